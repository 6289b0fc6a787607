import Config
import Sandbox

/// What one `fix` run needs. The CLI and the server faces build it through `FixPlan`.
public struct FixRequest: Sendable {
    /// A folder inside the user's git repository.
    public var repository: String
    public var issue: String
    public var testCommand: String
    public var maxSteps: Int = Defaults.maxSteps
    /// Parallel trajectories (heavy mode); 1 means a single run.
    public var heavy: Int = Defaults.heavy
    /// Focused-repair answers asked about each of the likeliest definitions before the agent loop
    /// (`FocusedRepair`); 0 goes straight to the loop. Heavy mode asks `heavy` times as many.
    public var repairSamples: Int = Defaults.repairSamples
    /// Per-step output budget (reasoning plus the call), in tokens.
    public var maxTokensPerStep: Int = Defaults.maxStepTokens
    /// Total token budget (prompt + completion over the run); nil for none.
    public var tokenBudget: Int? = nil
    /// Wall-clock limit in seconds; nil for none.
    public var timeLimit: Double? = nil
    /// Unsaved editor buffers: repository-relative path → full text. They override the disk.
    public var overlays: [String: String] = [:]
    /// `run_command` is off unless enabled.
    public var allowRunCommand = false
    /// Timeout for one test or command run, in seconds.
    public var commandTimeout: Double = Defaults.commandTimeout
    /// The tests that show the issue is fixed (FAIL_TO_PASS), in the runner's ids; empty: any test
    /// that fails before the change and passes after it shows the fix.
    public var failToPass: [String] = []
    /// How the test command and `run_command` are confined (policy, limits, hidden paths, allowlist).
    public var sandbox = SandboxSettings()
    /// Asked before each `run_command` when set (an editor asks its user); false refuses the command.
    public var commandApproval: (@Sendable (String) async -> Bool)?

    public init(repository: String, issue: String, testCommand: String) {
        self.repository = repository
        self.issue = issue
        self.testCommand = testCommand
    }
}
