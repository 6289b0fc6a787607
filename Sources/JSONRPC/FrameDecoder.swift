/// Why a frame was dropped. The decoder resynchronises on the next header after each of these.
public enum FramingError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingContentLength(header: String)
    case invalidContentLength(String)
    /// The frame claims more than the limit; its body is skipped as it arrives and never buffered.
    case messageTooLarge(claimed: String, limit: Int)
    case headerTooLong(limit: Int)
    case malformedHeaderLine(String)

    public var description: String {
        switch self {
        case .missingContentLength(let header): "frame header has no Content-Length: \(header.debugDescription)"
        case .invalidContentLength(let value): "Content-Length is not a non-negative integer: \(value.debugDescription)"
        case .messageTooLarge(let claimed, let limit): "frame claims \(claimed) bytes, more than the \(limit)-byte limit"
        case .headerTooLong(let limit): "frame header is longer than \(limit) bytes without a blank line"
        case .malformedHeaderLine(let line): "header line is not 'Name: value': \(line.debugDescription)"
        }
    }
}

/// Splits a byte stream into `Content-Length` frames (LSP base protocol).
///
/// After a malformed header the decoder drops bytes until the next `Content-` header name, so one bad
/// frame costs one error, not the connection. A frame that claims more than `maxMessageSize` is
/// rejected from its header alone: nothing of that size is ever allocated.
public struct FrameDecoder: Sendable {
    public enum Event: Sendable, Equatable {
        case frame([UInt8])
        case error(FramingError)
    }

    public let maxMessageSize: Int
    public static let maxHeaderSize = 8 * 1024

    /// Unconsumed input starts at `start`; compacted when the dead prefix grows.
    private var buffer: [UInt8] = []
    private var start = 0
    private var resynchronising = false

    public init(maxMessageSize: Int = 64 << 20) { self.maxMessageSize = maxMessageSize }

    public mutating func push(_ bytes: some Collection<UInt8>) { buffer.append(contentsOf: bytes) }

    /// The next complete frame or error, or nil when more input is needed.
    public mutating func next() -> Event? {
        defer { compact() }
        if resynchronising, !resynchronise() { return nil }
        guard let headerEnd = find(Self.blankLine, from: start) else {
            if buffer.count - start > Self.maxHeaderSize {
                start = buffer.count
                resynchronising = true
                return .error(.headerTooLong(limit: Self.maxHeaderSize))
            }
            return nil
        }
        let headerText = String(decoding: buffer[start..<headerEnd], as: UTF8.self)
        let bodyStart = headerEnd + Self.blankLine.count
        let length: Int
        switch Self.contentLength(in: headerText, limit: maxMessageSize) {
        case .failure(let error):
            start = bodyStart
            resynchronising = true
            return .error(error)
        case .success(let value): length = value
        }
        guard buffer.count - bodyStart >= length else { return nil }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        start = bodyStart + length
        return .frame(body)
    }

    static let blankLine: [UInt8] = Array("\r\n\r\n".utf8)
    static let headerPrefix: [UInt8] = Array("content-".utf8)

    static func contentLength(in header: String, limit: Int) -> Result<Int, FramingError> {
        var length: Int?
        for line in header.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { return .failure(.malformedHeaderLine(String(line))) }
            let name = line[..<colon].trimmingSpaces.lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces
            guard name == "content-length" else { continue }  // Content-Type and unknown headers are ignored.
            guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                return .failure(.invalidContentLength(String(value)))
            }
            // Digits only: anything longer than the limit's digits, or larger than it, is too large.
            guard value.count <= String(limit).count, let parsed = Int(value), parsed <= limit else {
                return .failure(.messageTooLarge(claimed: String(value.prefix(40)), limit: limit))
            }
            length = parsed
        }
        guard let length else { return .failure(.missingContentLength(header: String(header.prefix(200)))) }
        return .success(length)
    }

    /// Drops input up to the next `Content-` (any case); true when found.
    private mutating func resynchronise() -> Bool {
        var index = start
        while index + Self.headerPrefix.count <= buffer.count {
            if matchesHeaderPrefix(at: index) {
                start = index
                resynchronising = false
                return true
            }
            index += 1
        }
        // Keep a tail that could be the beginning of a split "Content-".
        start = max(start, buffer.count - (Self.headerPrefix.count - 1))
        return false
    }

    private func matchesHeaderPrefix(at index: Int) -> Bool {
        for (offset, expected) in Self.headerPrefix.enumerated() {
            var byte = buffer[index + offset]
            if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
            if byte != expected { return false }
        }
        return true
    }

    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard buffer.count - from >= needle.count else { return nil }
        var index = from
        while index + needle.count <= buffer.count {
            if buffer[index] == needle[0], buffer[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.count < 1 << 20)
            start = 0
        } else if start > 64 * 1024, start > buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
    }
}

/// Encodes one frame.
public func frame(_ body: [UInt8]) -> [UInt8] {
    Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let first = s.first, first == " " || first == "\t" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return s
    }
}
