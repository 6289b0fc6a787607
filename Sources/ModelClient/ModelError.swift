/// Why a model request failed. Every message carries what the server (or the network) said.
public enum ModelError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The prompt does not fit: compact the conversation, don't retry as is.
    case contextOverflow(promptTokens: Int?, contextSize: Int?, message: String)
    case rateLimited(retryAfter: Double?, message: String)
    /// An HTTP error status (or an error object in a 200 answer) not covered by a case above.
    case server(status: Int, message: String)
    /// Could not connect, or the connection broke before any answer: refused, reset, DNS, TLS.
    case connection(String)
    case timeout(String)
    /// The answer started but ended before its finish (no `[DONE]`/finish_reason, truncated body).
    case streamCut(String)
    /// The server answered something that is not a chat completion (not JSON, wrong shape).
    case invalidResponse(String)
    case cancelled

    /// Worth retrying the same request: the server may answer next time.
    public var isTransient: Bool {
        switch self {
        case .rateLimited, .connection, .timeout, .streamCut: return true
        case .server(let status, _): return status == 408 || status == 425 || status >= 500
        case .contextOverflow, .invalidResponse, .cancelled: return false
        }
    }

    public var description: String {
        switch self {
        case .contextOverflow(let p, let c, let m):
            let sizes = [p.map { "prompt \($0) tokens" }, c.map { "context \($0) tokens" }].compactMap { $0 }.joined(separator: ", ")
            return "context overflow\(sizes.isEmpty ? "" : " (\(sizes))"): \(m) — shorten the conversation or raise the server's context size"
        case .rateLimited(let after, let m):
            return "rate limited\(after.map { " (retry after \($0)s)" } ?? ""): \(m)"
        case .server(let status, let m): return "server error HTTP \(status): \(m)"
        case .connection(let m): return "connection failed: \(m)"
        case .timeout(let m): return "timed out: \(m)"
        case .streamCut(let m): return "response cut short: \(m)"
        case .invalidResponse(let m): return "invalid response: \(m)"
        case .cancelled: return "cancelled"
        }
    }
}

extension ModelError {
    /// The same error with a note appended to its message (e.g. how many retries were spent).
    func noting(_ note: String) -> ModelError {
        switch self {
        case .contextOverflow(let p, let c, let m): return .contextOverflow(promptTokens: p, contextSize: c, message: "\(m) (\(note))")
        case .rateLimited(let a, let m): return .rateLimited(retryAfter: a, message: "\(m) (\(note))")
        case .server(let s, let m): return .server(status: s, message: "\(m) (\(note))")
        case .connection(let m): return .connection("\(m) (\(note))")
        case .timeout(let m): return .timeout("\(m) (\(note))")
        case .streamCut(let m): return .streamCut("\(m) (\(note))")
        case .invalidResponse(let m): return .invalidResponse("\(m) (\(note))")
        case .cancelled: return .cancelled
        }
    }
}
