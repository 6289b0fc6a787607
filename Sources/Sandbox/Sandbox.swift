import ChildProcess
import Foundation

/// Runs commands for one fix run, confined as its policy says. Made once per run by `prepare`, which
/// finds out whether bubblewrap works here; never falls back silently: `confinement` says what holds.
public struct Sandbox: Sendable {
    public let settings: SandboxSettings
    public let confinement: Confinement
    /// bwrap's path when `confinement` is `.bubblewrap`.
    let bubblewrap: String?
    /// Variables removed even under `off` (the variable holding the model's API key).
    let hiddenEnvironment: [String]
    /// The environment commands are built from; nil is this process's (tests inject a HOME and secrets).
    var parentEnvironment: [String: String]?

    /// `hiding`: environment variables that must never reach a command, whatever their name.
    public static func prepare(_ settings: SandboxSettings, hiding: [String] = []) async throws(SandboxUnavailableError) -> Sandbox {
        if settings.policy == .off { return unconfined(settings, hiding: hiding) }
        switch await Bubblewrap.probe(configured: settings.bubblewrapPath) {
        case .available(let path):
            return Sandbox(settings: settings, confinement: .bubblewrap, bubblewrap: path, hiddenEnvironment: hiding, parentEnvironment: nil)
        case .unavailable(let reason, let fix):
            if settings.policy == .strict { throw SandboxUnavailableError(reason: reason, fix: fix) }
            return Sandbox(settings: settings, confinement: .limitsOnly(reason: reason), bubblewrap: nil, hiddenEnvironment: hiding,
                           parentEnvironment: nil)
        }
    }

    /// The default policy with default limits, which never refuses: bubblewrap where it works, the
    /// allowlist and limits only elsewhere (`confinement` says which).
    public static func standard(hiding: [String] = []) async -> Sandbox {
        let settings = SandboxSettings(policy: .standard)
        switch await Bubblewrap.probe(configured: settings.bubblewrapPath) {
        case .available(let path):
            return Sandbox(settings: settings, confinement: .bubblewrap, bubblewrap: path, hiddenEnvironment: hiding, parentEnvironment: nil)
        case .unavailable(let reason, _):
            return Sandbox(settings: settings, confinement: .limitsOnly(reason: reason), bubblewrap: nil, hiddenEnvironment: hiding,
                           parentEnvironment: nil)
        }
    }

    /// The `off` policy needs no probe: commands run with the user's rights (secret-named variables and
    /// `hiding` aside).
    public static func unconfined(_ settings: SandboxSettings = SandboxSettings(policy: .off), hiding: [String] = []) -> Sandbox {
        var settings = settings
        settings.policy = .off
        return Sandbox(settings: settings, confinement: .unconfined, bubblewrap: nil, hiddenEnvironment: hiding, parentEnvironment: nil)
    }

    /// Why `run_command` may not run under this sandbox; nil when it may.
    public var runCommandRefusal: String? {
        switch (settings.policy, confinement) {
        case (.strict, _):
            return "run_command is not available under the strict sandbox policy (tests only); use run_tests, read_file and search"
        case (_, .limitsOnly(let reason)):
            return "run_command is refused because the sandbox cannot run here (\(reason)); use run_tests, read_file and search"
        default:
            return nil
        }
    }

    /// Runs `/bin/sh -c command` in `workspace` (the snapshot: the only place it may write, its `.git`
    /// aside). `environment`: variables Fixpoint itself sets for this command, over the allowlisted ones.
    /// Cancelling the calling task kills the whole tree.
    public func run(_ command: String, in workspace: String, timeout: Double, environment: [String: String] = [:]) async -> SandboxedRun {
        let parent = parentEnvironment ?? ProcessInfo.processInfo.environment
        let realHome = parent["HOME"] ?? NSHomeDirectory()
        var spec: ProcessSpec
        var scratch: String?
        var cgroup: PidsCgroup?
        switch confinement {
        case .bubblewrap:
            let gitDir = workspace + "/.git"
            let arguments = BubblewrapArguments(
                workspace: workspace, readOnlyInside: FileManager.default.fileExists(atPath: gitDir) ? [gitDir] : [],
                hidden: SecretPaths.existing(home: realHome, extra: settings.hiddenPaths), tmpBytes: settings.limits.tmpBytes,
                workingDirectory: workspace, legacy: Bubblewrap.isLegacy(bubblewrap ?? ""))
            spec = ProcessSpec(executable: bubblewrap ?? "bwrap", arguments: arguments.make(command: ["/bin/sh", "-c", command]))
            spec.environment = SandboxEnvironment.build(parent: parent, extra: settings.environment, home: BubblewrapArguments.home,
                                                        realHome: realHome, tmp: "/tmp")
        case .limitsOnly:
            spec = ProcessSpec.shell(command, workingDirectory: workspace)
            let home = Self.makeScratch()
            scratch = home
            spec.environment = SandboxEnvironment.build(parent: parent, extra: settings.environment, home: home ?? "/nonexistent",
                                                        realHome: realHome, tmp: home ?? "/tmp")
        case .unconfined:
            spec = ProcessSpec.shell(command, workingDirectory: workspace)
            spec.environment = SandboxEnvironment.unconfined(parent: parent, hiding: hiddenEnvironment)
        }
        for (name, value) in environment where !SecretNames.isSecret(name) { spec.environment?[name] = value }
        for name in hiddenEnvironment { spec.environment?[name] = nil }
        spec.mergeStderr = true
        spec.timeout = timeout
        spec.outputLimit = settings.limits.outputBytes
        if confinement != .unconfined {
            cgroup = PidsCgroup.make(limit: settings.limits.processes)
            spec.cgroupProcsFile = cgroup?.procsFile
            // Root is exempt from RLIMIT_NPROC; for anyone else it is the fallback when no cgroup can be made.
            spec.resourceLimits = settings.limits.resourceLimits(processBase: cgroup == nil && getuid() != 0 ? UserTasks.count() : nil)
        }
        defer {
            if let cgroup { Thread.detachNewThread { cgroup.remove() } }
            if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
        }
        do {
            let out = try await ChildProcess.run(spec)
            return SandboxedRun(output: out, confinement: confinement, limits: settings.limits,
                                processLimit: cgroup != nil ? .cgroup : (getuid() == 0 ? .none : .rlimit))
        } catch {
            return SandboxedRun(launchError: Redaction.redact("\(error)"), confinement: confinement)
        }
    }

    /// HOME and TMPDIR for a command run without bubblewrap: a fresh folder, removed after.
    private static func makeScratch() -> String? {
        let path = NSTemporaryDirectory() + "/fixpoint-home-" + UUID().uuidString
        guard (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)) != nil else { return nil }
        return path
    }
}
