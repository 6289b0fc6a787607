/// Where a TOML document went wrong: line and column from 1 (columns count characters).
struct TOMLSyntaxError: Error, Equatable {
    let line: Int
    let column: Int
    let message: String
}

/// A position in the document's UTF-8 bytes, with the line it is on. Every syntax character of TOML
/// is ASCII, so the reader works on bytes and only decodes the contents of strings.
struct TOMLCursor {
    let bytes: [UInt8]
    private(set) var index = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
        // A byte-order mark some editors write is not part of the document.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    var atEnd: Bool { index >= bytes.count }
    var current: UInt8? { index < bytes.count ? bytes[index] : nil }
    func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

    func starts(with text: String) -> Bool {
        let wanted = Array(text.utf8)
        return bytes.count - index >= wanted.count && bytes[index..<index + wanted.count].elementsEqual(wanted)
    }

    mutating func advance(_ count: Int = 1) { index = min(index + count, bytes.count) }

    func error(_ message: String, at position: Int? = nil) -> TOMLSyntaxError {
        let at = min(position ?? index, bytes.count)
        var line = 1
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        for offset in 0..<at where bytes[offset] == .lineFeed { line += 1; start = offset + 1 }
        let column = bytes[start..<at].filter { $0 & 0xC0 != 0x80 }.count + 1
        return TOMLSyntaxError(line: line, column: column, message: message)
    }

    /// What the cursor is looking at, for messages: `'x'`, `end of line`, `end of file`.
    var found: String {
        guard let byte = current else { return "end of file" }
        if byte == .lineFeed || byte == .carriageReturn { return "end of line" }
        if byte < 0x20 || byte == 0x7F { return "control character U+\(String(byte, radix: 16, uppercase: true))" }
        var end = index + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "'\(String(decoding: bytes[index..<end], as: UTF8.self))'"
    }

    // MARK: Whitespace, comments, line ends

    mutating func skipSpaces() {
        while let byte = current, byte == .space || byte == .tab { advance() }
    }

    /// A `#` comment up to (not including) the line end. Control characters other than tab are not
    /// allowed in one.
    mutating func skipComment() throws(TOMLSyntaxError) {
        guard current == .hash else { return }
        while let byte = current, byte != .lineFeed {
            if byte == .carriageReturn, peek(1) == .lineFeed { return }
            if (byte < 0x20 && byte != .tab) || byte == 0x7F { throw error("control character in a comment") }
            advance()
        }
    }

    /// A line end (LF or CRLF); false if the cursor is not at one.
    mutating func skipLineEnd() -> Bool {
        if current == .lineFeed { advance(); return true }
        if current == .carriageReturn, peek(1) == .lineFeed { advance(2); return true }
        return false
    }

    /// Spaces, comments and line ends, as allowed between the values of an array.
    mutating func skipBlankLines() throws(TOMLSyntaxError) {
        while true {
            skipSpaces()
            try skipComment()
            if !skipLineEnd() { return }
        }
    }
}

extension UInt8 {
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let hash = UInt8(ascii: "#")
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")

    var isBareKeyCharacter: Bool {
        switch self {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}
