import JSONValue

/// One HTTP exchange as seen by the loopback server.
public struct RecordedRequest: Sendable {
    public var method: String
    public var path: String
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: [UInt8]
    /// Which accepted connection carried it (1-based): equal numbers mean a reused connection.
    public var connectionNumber: Int
    /// When its last byte arrived (benchmarks measure the client's time between an answer and the next request).
    public var receivedAt: ContinuousClock.Instant = .now

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
    public var json: JSON? { try? JSON.parse(body) }
    /// True when the request asked for a streamed answer (`"stream": true`).
    public var wantsStream: Bool { json?["stream"]?.boolValue ?? false }
}

/// What the loopback server does with one request: a status and headers, a body in parts with
/// pauses between them, and how the exchange ends — including the faults a real network has.
public struct ScriptedReply: Sendable {
    public enum Part: Sendable {
        case bytes([UInt8])
        case pause(seconds: Double)
        /// The server sends nothing more until the test opens the gate: what the client does before
        /// then, it did with only the bytes sent so far.
        case hold(ReplyGate)
    }

    public enum Framing: Sendable {
        /// `Transfer-Encoding: chunked`, one HTTP chunk per `.bytes` part (what SSE servers send).
        case chunked
        /// `Content-Length` of all parts together.
        case contentLength
        /// No length: the body ends when the server closes the connection.
        case closeDelimited
    }

    public enum Ending: Sendable {
        /// The body completes; the connection stays open for the next request (keep-alive).
        case complete
        /// The connection is closed after the parts, before the body is complete (stream cut).
        case cut
        /// The connection is reset (RST) after the parts.
        case reset
        /// Nothing more is sent, and the connection stays open until the client gives up.
        case hang
    }

    public var delayBeforeHead: Double = 0
    public var status: Int = 200
    public var headers: [(name: String, value: String)] = []
    public var parts: [Part] = []
    public var framing: Framing = .contentLength
    public var ending: Ending = .complete
    /// Reset the connection as soon as the request is read, sending nothing.
    public var resetImmediately = false

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], parts: [Part] = [],
                framing: Framing = .contentLength, ending: Ending = .complete, delayBeforeHead: Double = 0) {
        self.status = status
        self.headers = headers
        self.parts = parts
        self.framing = framing
        self.ending = ending
        self.delayBeforeHead = delayBeforeHead
    }

    // MARK: Builders

    public static func json(_ value: JSON, status: Int = 200, headers: [(name: String, value: String)] = []) -> ScriptedReply {
        ScriptedReply(status: status, headers: [("Content-Type", "application/json")] + headers, parts: [.bytes(value.serializedBytes())])
    }

    public static func text(_ body: String, status: Int = 200, contentType: String = "text/plain", headers: [(name: String, value: String)] = []) -> ScriptedReply {
        ScriptedReply(status: status, headers: [("Content-Type", contentType)] + headers, parts: [.bytes(Array(body.utf8))])
    }

    /// A Server-Sent Events answer: each payload becomes `data: <payload>` + a blank line, then
    /// `data: [DONE]` when `done`. `chunkSize` splits the bytes into HTTP chunks of that size, with
    /// `pause` seconds between them; `lineEnding` may be "\r\n".
    public static func sse(_ payloads: [String], done: Bool = true, lineEnding: String = "\n", chunkSize: Int? = nil,
                           pause: Double = 0, ending: Ending = .complete) -> ScriptedReply {
        var text = ""
        for payload in payloads { text += "data: \(payload)\(lineEnding)\(lineEnding)" }
        if done { text += "data: [DONE]\(lineEnding)\(lineEnding)" }
        return sseRaw(text, chunkSize: chunkSize, pause: pause, ending: ending)
    }

    /// SSE from raw text, exactly as given (for comments, pings, multi-line data, odd line ends).
    public static func sseRaw(_ text: String, chunkSize: Int? = nil, pause: Double = 0, ending: Ending = .complete) -> ScriptedReply {
        let bytes = Array(text.utf8)
        var parts: [Part] = []
        let size = max(1, chunkSize ?? max(bytes.count, 1))
        var start = 0
        while start < bytes.count {
            if start > 0, pause > 0 { parts.append(.pause(seconds: pause)) }
            parts.append(.bytes(Array(bytes[start..<min(bytes.count, start + size)])))
            start += size
        }
        return ScriptedReply(status: 200, headers: [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")],
                             parts: parts, framing: .chunked, ending: ending)
    }

    /// How a stream is cut in the middle of a line.
    public enum Cut: Sendable, CaseIterable {
        /// No length and no chunking: the server closes the connection cleanly mid-line.
        case closedCleanly
        /// Chunked, with a proper last chunk: a proxy that ends its side cleanly when its upstream dies.
        case chunkedEndedCleanly
        /// Chunked, the connection closed before the last chunk (curl sees a partial transfer).
        case chunkedAbruptly
        /// Chunked, the connection reset (RST) mid-line.
        case reset
    }

    /// The first `bytes` bytes of an SSE answer (cut wherever that falls, mid-line included), then
    /// the connection ends as `cut` says.
    public static func sseCut(_ payloads: [String], after bytes: Int, how cut: Cut) -> ScriptedReply {
        var text = ""
        for payload in payloads { text += "data: \(payload)\n\n" }
        let kept = Array(Array(text.utf8).prefix(bytes))
        let framing: Framing = cut == .closedCleanly ? .closeDelimited : .chunked
        let ending: Ending = switch cut {
        case .closedCleanly, .chunkedEndedCleanly: .complete
        case .chunkedAbruptly: .cut
        case .reset: .reset
        }
        return ScriptedReply(status: 200, headers: [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")],
                             parts: [.bytes(kept)], framing: framing, ending: ending)
    }

    /// An OpenAI-style error body with the given status.
    public static func error(status: Int, message: String, type: String? = nil, headers: [(name: String, value: String)] = []) -> ScriptedReply {
        var error: [String: JSON] = ["message": .string(message), "code": .int(status)]
        if let type { error["type"] = .string(type) }
        return .json(["error": .object(error)], status: status, headers: headers)
    }

    /// The connection is reset without an answer (like a crashed server).
    public static var reset: ScriptedReply {
        var reply = ScriptedReply()
        reply.resetImmediately = true
        return reply
    }

    /// The server accepts the request and never answers.
    public static var hang: ScriptedReply { ScriptedReply(parts: [], framing: .chunked, ending: .hang) }
}
