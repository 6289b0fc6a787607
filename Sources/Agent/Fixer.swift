import Git

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
    /// Why a run could not even start, for the CLI's exit code (2 configuration, 3 unreachable).
    public enum Failure: Sendable, Equatable { case configuration, modelUnreachable }

    public var report: RunReport
    public var changes: [FileChange]
    public var failure: Failure?
    /// Files written into the user's working tree (only when the request asked for it).
    public var appliedFiles: [String]?
    public var applyError: String?
    /// Share of consecutive model requests whose messages extended the previous request exactly.
    public var prefixReuse: Double?
    /// The patch and its base, kept when `RunOptions.retainBase` asks for it, so the result can later be
    /// written to the user's tree through the Git layer's safe apply. Its holder applies or discards it.
    public var pendingApply: PendingApply?

    public init(report: RunReport, changes: [FileChange], failure: Failure? = nil) {
        self.report = report; self.changes = changes; self.failure = failure
    }
}

