import Agent
import JSONRPC
import JSONValue
import LSP

/// A run in progress. Only the server actor touches these.
struct ActiveRun: Sendable {
    var id: String
    var folder: WorkspaceFolder
    var requestID: RequestID
    var task: Task<Void, Never>
    /// The `$/progress` token, once known (the client's, or one the server created).
    var progressToken: JSON?
}

/// What the editor looked like when a run started, so nothing changed since is overwritten.
struct RunStartState: Sendable {
    /// Versions of the documents open in the folder at start.
    var openVersions: [DocumentURI: Int]
}

/// A finished run whose changes may still be applied with `fixpoint.applyFix`.
struct FinishedRun: Sendable {
    var id: String
    var folder: WorkspaceFolder
    var outcome: FixOutcome
    var start: RunStartState
    /// Once applied, the run's snapshot is released (dropped off the actor, so its folder is removed
    /// on another thread).
    var applied = false {
        didSet {
            guard applied, let base = outcome.retainedBase else { return }
            outcome.retainedBase = nil
            Task.detached { base.remove() }
        }
    }
}
