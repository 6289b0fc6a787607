import Agent

/// A run that ended with an outcome (not cancelled). Its changes may still be applied once.
public struct FinishedRun: Sendable {
    public let id: RunID
    /// The repository root the run worked on.
    public let repository: String
    public internal(set) var outcome: FixOutcome
    /// Once applied, the run's kept base is gone (the apply removed it) and it cannot be applied again.
    public internal(set) var applied = false
}

/// How a run ended, as its face sees it.
public enum RunEnd: Sendable {
    /// Cancelled by a face (or the run's end reason is `cancelled`): nothing is kept to apply.
    case cancelled
    case finished(FinishedRun)
}
