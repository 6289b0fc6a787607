/// The text of one open document and the operations LSP needs on it, all in UTF-16 positions.
/// Lines end at `\n`, `\r\n` or `\r`, as the protocol says.
public struct TextDocument: Sendable, Equatable {
    public var uri: DocumentURI
    public var languageID: String
    public var version: Int
    public private(set) var text: String

    public init(uri: DocumentURI, languageID: String, version: Int, text: String) {
        self.uri = uri; self.languageID = languageID; self.version = version; self.text = text
    }

    /// Replaces `range` (or everything, when nil) with `newText`. Positions past a line's end clamp to it,
    /// lines past the end clamp to the end of the text, and an offset inside a surrogate pair moves before it.
    public mutating func apply(range: TextRange?, newText: String) {
        guard let range else { text = newText; return }
        var units = Array(text.utf16)
        let start = Self.offset(of: range.start, in: units)
        let end = max(start, Self.offset(of: range.end, in: units))
        units.replaceSubrange(start..<end, with: Array(newText.utf16))
        text = String(decoding: units, as: UTF16.self)
    }

    /// The UTF-16 offset of `position`, clamped as `apply` describes.
    public static func offset(of position: Position, in units: [UInt16]) -> Int {
        var line = 0, index = 0
        while line < position.line {
            guard index < units.count else { return units.count }
            let unit = units[index]
            index += 1
            if unit == 0x0A { line += 1 }
            else if unit == 0x0D {
                if index < units.count, units[index] == 0x0A { index += 1 }
                line += 1
            }
        }
        var lineEnd = index
        while lineEnd < units.count, units[lineEnd] != 0x0A, units[lineEnd] != 0x0D { lineEnd += 1 }
        var offset = min(index + position.character, lineEnd)
        // Never split a surrogate pair.
        if offset > 0, offset < units.count, UTF16.isTrailSurrogate(units[offset]), UTF16.isLeadSurrogate(units[offset - 1]) {
            offset -= 1
        }
        return offset
    }

    /// The position at the end of the text.
    public var endPosition: Position { Self.endPosition(of: text) }

    public static func endPosition(of text: String) -> Position {
        let lines = Self.lines(of: text)
        return Position(line: lines.count - 1, character: lines.last.map { $0.utf16.count } ?? 0)
    }

    /// The lines without their terminators (a trailing terminator gives a final empty line).
    public static func lines(of text: String) -> [Substring] {
        var result: [Substring] = []
        var lineStart = text.startIndex
        var index = text.startIndex
        let scalars = text.unicodeScalars
        while index < text.endIndex {
            let scalar = scalars[index]
            if scalar == "\n" || scalar == "\r" {
                result.append(text[lineStart..<index])
                var next = scalars.index(after: index)
                if scalar == "\r", next < text.endIndex, scalars[next] == "\n" { next = scalars.index(after: next) }
                index = next
                lineStart = next
            } else {
                index = scalars.index(after: index)
            }
        }
        result.append(text[lineStart..<text.endIndex])
        return result
    }
}
