import Config
import Sandbox

/// A run as the settings describe it: the one place where settings become a `FixRequest`, used by the
/// CLI and every server face, so they cannot drift apart.
public struct FixPlan: Sendable {
    public var request: FixRequest
    public var model: ModelSelection
    public var actionMode: ActionMode?
    /// Context per trajectory to assume when the server does not say.
    public var contextSize: Int?
    /// Where the run writes its journal (and, beside it, its checkpoint); faces that keep runs
    /// resumable set it.
    public var journalPath: String?
    /// Go on from a killed run's last completed step.
    public var resume: ResumePoint?

    public init(request: FixRequest, model: ModelSelection) {
        self.request = request
        self.model = model
    }

    /// `settings` are the layers already overlaid (defaults, editor, `fixpoint.toml`, then the command's
    /// own). `location` says where a missing test command should be set, for the error.
    public init(repository: String, issue: String, settings: Settings, location: String) throws(ConfigError) {
        guard let testCommand = settings.testCommand, !testCommand.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ConfigError(location: location, problem: .missingTestCommand)
        }
        var request = FixRequest(repository: repository, issue: issue, testCommand: testCommand)
        if let v = settings.maxSteps { request.maxSteps = v }
        if let v = settings.heavy { request.heavy = v }
        if let v = settings.repairSamples { request.repairSamples = v }
        if let v = settings.maxStepTokens { request.maxTokensPerStep = v }
        request.tokenBudget = settings.tokenBudget
        request.timeLimit = settings.timeout
        if let v = settings.commandTimeout { request.commandTimeout = v }
        if let v = settings.allowRunCommand { request.allowRunCommand = v }
        if let v = settings.failToPass { request.failToPass = v }
        request.sandbox = Self.sandbox(settings)
        self.request = request
        if let url = settings.modelURL {
            model = .remote(baseURL: url, model: settings.model, apiKeyEnv: settings.apiKeyEnv)
        } else {
            model = .embedded(modelPath: settings.model)
        }
        actionMode = settings.actionMode.flatMap(ActionMode.init(rawValue:))
        contextSize = settings.contextSize
    }

    /// The `[sandbox]` settings; each value was checked against its key's limits already.
    static func sandbox(_ settings: Settings) -> SandboxSettings {
        var sandbox = SandboxSettings(policy: settings.sandboxPolicy.flatMap(SandboxPolicy.init(rawValue:)) ?? .default)
        if let v = settings.sandboxApproveCommands { sandbox.approveCommands = v }
        if let v = settings.sandboxCpuSeconds { sandbox.limits.cpuSeconds = UInt64(v) }
        if let v = settings.sandboxMemoryMB { sandbox.limits.memoryBytes = UInt64(v) << 20 }
        if let v = settings.sandboxFileSizeMB { sandbox.limits.fileSizeBytes = UInt64(v) << 20 }
        if let v = settings.sandboxProcesses { sandbox.limits.processes = UInt64(v) }
        if let v = settings.sandboxOutputKB { sandbox.limits.outputBytes = v << 10 }
        sandbox.hiddenPaths = settings.sandboxHide ?? []
        sandbox.environment = settings.sandboxEnvironment ?? []
        return sandbox
    }

    /// `base` with this plan's action mode and context size.
    public func options(_ base: RunOptions = RunOptions()) -> RunOptions {
        var options = base
        options.actionMode = actionMode
        options.contextSize = contextSize
        if let journalPath { options.trajectoryPath = journalPath }
        if let resume { options.resume = resume }
        return options
    }
}
