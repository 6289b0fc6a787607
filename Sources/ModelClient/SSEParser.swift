import Foundation

/// A line-based Server-Sent Events parser fed arbitrary byte chunks (a chunk may end mid-line,
/// mid-CRLF or mid-UTF-8 sequence). Handles LF, CRLF and lone CR line ends, multi-line `data:`
/// fields (joined with "\n"), comment/ping lines starting with `:`, and `data: [DONE]`.
public struct SSEParser: Sendable {
    public enum Event: Sendable, Hashable {
        /// The joined `data:` lines of one event.
        case data(String)
        case done
    }

    private var line: [UInt8] = []
    private var dataLines: [String] = []
    private var hasData = false
    private var afterCR = false
    /// Bytes of the lines read since the last blank line (the event still being built).
    private var pendingBytes = 0

    public init() {}

    /// Feeds bytes; returns the events they completed.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [Event] where Bytes.Element == UInt8 {
        var events: [Event] = []
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == 0x0A { continue }  // the LF of a CRLF
            }
            switch byte {
            case 0x0A: endLine(into: &events)
            case 0x0D:
                afterCR = true
                endLine(into: &events)
            default: line.append(byte)
            }
        }
        return events
    }

    /// At end of stream. By the SSE rules an event not ended by a blank line is incomplete and is
    /// discarded, never dispatched: a connection closed in the middle of a `data:` line must not
    /// hand a JSON fragment on as if it were a chunk. Returns how many bytes were discarded
    /// (0 when the stream ended on an event boundary), so the caller can say the stream was cut.
    @discardableResult
    public mutating func finish() -> Int {
        let discarded = pendingBytes + line.count
        pendingBytes = 0
        line.removeAll()
        dataLines.removeAll()
        hasData = false
        afterCR = false
        return discarded
    }

    private mutating func endLine(into events: inout [Event]) {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            pendingBytes = 0
            dispatch(into: &events)
            return
        }
        pendingBytes += line.count + 1
        if line.first == UInt8(ascii: ":") { return }  // comment / keep-alive ping
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = text[...]
            value = ""
        }
        if field == "data" {
            dataLines.append(String(value))
            hasData = true
        }
        // `event:`, `id:`, `retry:` carry nothing chat completions need.
    }

    private mutating func dispatch(into events: inout [Event]) {
        guard hasData else { return }
        let payload = dataLines.joined(separator: "\n")
        dataLines.removeAll()
        hasData = false
        if payload.trimmingCharacters(in: .whitespaces) == "[DONE]" {
            events.append(.done)
        } else {
            events.append(.data(payload))
        }
    }
}
