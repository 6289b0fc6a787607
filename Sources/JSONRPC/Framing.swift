/// How messages are delimited on the byte stream.
public enum Framing: Sendable, Equatable {
    /// `Content-Length: N\r\n\r\n` headers (the LSP base protocol).
    case contentLength
    /// One JSON message per line, `\n`-terminated (the Agent Client Protocol, MCP over stdio). The
    /// serializer never writes a raw newline inside a message, so a line is always one message.
    case newlineDelimited

    /// The bytes that carry `body` on the wire.
    public func encode(_ body: [UInt8]) -> [UInt8] {
        switch self {
        case .contentLength: frame(body)
        case .newlineDelimited: body + [0x0A]
        }
    }
}

/// A decoder for either framing, so `Connection` reads both the same way.
struct MessageDecoder: Sendable {
    private var contentLength: FrameDecoder?
    private var lines: LineDecoder?

    init(_ framing: Framing, maxMessageSize: Int) {
        switch framing {
        case .contentLength: contentLength = FrameDecoder(maxMessageSize: maxMessageSize)
        case .newlineDelimited: lines = LineDecoder(maxMessageSize: maxMessageSize)
        }
    }

    mutating func push(_ bytes: [UInt8]) {
        contentLength?.push(bytes)
        lines?.push(bytes)
    }

    mutating func next() -> FrameDecoder.Event? {
        if contentLength != nil { return contentLength!.next() }
        return lines!.next()
    }
}

/// Splits a byte stream into lines, one message each. Blank lines (and a `\r` before `\n`) are skipped.
/// A line longer than `maxMessageSize` is dropped as it arrives (never buffered whole) and reported once.
public struct LineDecoder: Sendable {
    public let maxMessageSize: Int
    private var buffer: [UInt8] = []
    /// Scanning for the newline resumes here, so a long line arriving in chunks is scanned once.
    private var scanned = 0
    /// Inside a line that is too long: drop bytes until its newline.
    private var discarding = false

    public init(maxMessageSize: Int = 64 << 20) { self.maxMessageSize = maxMessageSize }

    public mutating func push(_ bytes: some Collection<UInt8>) { buffer.append(contentsOf: bytes) }

    /// The next complete line or error, or nil when more input is needed.
    public mutating func next() -> FrameDecoder.Event? {
        while true {
            guard let newline = buffer[scanned...].firstIndex(of: 0x0A) else {
                scanned = buffer.count
                if !discarding, buffer.count > maxMessageSize {
                    discarding = true
                    buffer.removeAll()
                    scanned = 0
                    return .error(.messageTooLarge(claimed: "a line over \(maxMessageSize) bytes", limit: maxMessageSize))
                }
                if discarding { buffer.removeAll(); scanned = 0 }
                return nil
            }
            var line = Array(buffer[..<newline])
            buffer.removeFirst(newline + 1)
            scanned = 0
            if discarding { discarding = false; continue }
            if line.last == 0x0D { line.removeLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return .frame(line)
        }
    }
}
