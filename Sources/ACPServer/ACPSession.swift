import JSONRPC
import Runs

/// One ACP session: a repository the client opened, and at most one prompt turn at a time.
struct ACPSession: Sendable {
    let id: String
    /// The `cwd` the client gave.
    let cwd: String
    /// The git repository root that holds `cwd`: what runs work on, what paths are relative to.
    let repository: String
    var mode = SessionMode.ask
    var turn: Turn?

    /// A prompt turn in progress.
    struct Turn: Sendable {
        var requestID: RequestID
        var task: Task<Void, Never>?
        /// The run, once started.
        var runID: RunID?
        /// Set by `session/cancel`; the run is cancelled through the run service.
        var cancelled = false
    }
}

/// What the client said it can do, from `initialize`.
struct ClientFileSystem: Sendable, Equatable {
    var readTextFile = false
    var writeTextFile = false
}
