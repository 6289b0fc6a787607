import JSONRPC

/// Where the server is in the LSP lifecycle, and what each state lets through.
public enum Lifecycle: Sendable, Equatable {
    case waitingForInitialize
    case running
    case shutDown

    /// The error for a request with `method` in this state, or nil when it may be handled.
    public func refusal(ofRequest method: String) -> ResponseError? {
        switch self {
        case .waitingForInitialize:
            return method == "initialize" ? nil : .serverNotInitialized
        case .running:
            return method == "initialize" ? .invalidRequest("'initialize' was already received; send it once per session") : nil
        case .shutDown:
            return .invalidRequest("the server is shut down: only the 'exit' notification is accepted now")
        }
    }

    /// Whether a notification is handled in this state (`exit` always is).
    public func accepts(notification method: String) -> Bool {
        method == "exit" || self == .running
    }

    /// The process exit code for `exit` in this state: 0 after `shutdown`, 1 without.
    public var exitCode: Int32 { self == .shutDown ? 0 : 1 }
}
