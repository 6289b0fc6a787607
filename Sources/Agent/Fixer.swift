/// Where the model comes from for a run.
public enum ModelSelection: Sendable, Equatable {
    /// The embedded default: Fixpoint starts `llama-server` with the cached default model and stops it after.
    case embedded(modelPath: String? = nil)
    /// Any OpenAI-compatible server.
    case remote(baseURL: String, model: String?, apiKeyEnv: String? = nil)
}

/// One changed file of a finished run, with whole contents before and after (nil: absent),
/// so a language server can turn it into workspace edits.
public struct FileChange: Sendable, Equatable {
    public var path: String
    public var before: String?
    public var after: String?
    public init(path: String, before: String?, after: String?) { self.path = path; self.before = before; self.after = after }
}

public struct FixOutcome: Sendable {
    public var report: RunReport
    public var changes: [FileChange]
    public init(report: RunReport, changes: [FileChange]) { self.report = report; self.changes = changes }
}

/// The one entry point both the CLI and the language server use. Cancel the calling task to stop a
/// run: the model request is aborted, commands are killed, snapshots are removed, and the report's
/// end reason is `cancelled`.
public enum Fixer {
    public static func run(
        _ request: FixRequest, model: ModelSelection, onEvent: @escaping @Sendable (AgentEvent) -> Void = { _ in }
    ) async -> FixOutcome {
        // Implemented by the agent issue (#5).
        FixOutcome(report: RunReport(status: .error, endReason: .error, error: "the agent has not landed yet"), changes: [])
    }
}
