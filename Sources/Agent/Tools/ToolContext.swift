/// What a tool may use while it runs: the workspace it is confined to, and the loop's own services
/// for the tools whose work lives elsewhere (tests, commands, the Git layer). The loop fills the
/// closures; the defaults answer with a clear "not available" so tests can build a context cheaply.
public struct ToolContext: Sendable {
    public var workspace: Workspace
    /// Runs the configured test command, with optional extra arguments; returns the observation.
    public var runTests: @Sendable (String?) async -> String
    /// Runs a shell command in the snapshot; nil when `run_command` is disabled for this run.
    public var runCommand: (@Sendable (String) async -> String)?
    /// The change so far, as a unified diff against the base.
    public var gitDiff: @Sendable () async throws(ToolError) -> String
    /// Applies a unified diff to the snapshot through the Git layer.
    public var applyPatch: @Sendable (String) async throws(ToolError) -> String
    /// The most output bytes a tool should answer with. File, listing and search tools stop at a
    /// clean boundary below it and say how to get the rest, so the loop's own cut never lands
    /// in the middle of a read_file window. Set it to the loop's observation limit.
    public var maxOutputBytes: Int

    public init(
        workspace: Workspace,
        runTests: @escaping @Sendable (String?) async -> String = { _ in "run_tests is not available in this run." },
        runCommand: (@Sendable (String) async -> String)? = nil,
        gitDiff: @escaping @Sendable () async throws(ToolError) -> String = { () async throws(ToolError) -> String in
            throw ToolError("git_diff is not available in this run.")
        },
        applyPatch: @escaping @Sendable (String) async throws(ToolError) -> String = { (_: String) async throws(ToolError) -> String in
            throw ToolError("apply_patch is not available in this run; use edit_file or write_file instead.")
        },
        maxOutputBytes: Int = 16 * 1024
    ) {
        self.workspace = workspace
        self.runTests = runTests
        self.runCommand = runCommand
        self.gitDiff = gitDiff
        self.applyPatch = applyPatch
        self.maxOutputBytes = max(1024, maxOutputBytes)
    }
}
