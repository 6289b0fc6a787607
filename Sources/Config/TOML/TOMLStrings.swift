/// The four string forms of TOML: basic `"…"` (escapes), literal `'…'` (none), and their multi-line
/// forms `"""…"""` and `'''…'''`, where a newline right after the opening is dropped and a closing
/// may be followed by up to two more quotes that belong to the content.
extension TOMLCursor {
    mutating func readString() throws(TOMLSyntaxError) -> String {
        let quote = current!
        let multiLine = peek(1) == quote && peek(2) == quote
        let start = index
        advance(multiLine ? 3 : 1)
        if multiLine { _ = skipLineEnd() }
        var content: [UInt8] = []
        while true {
            guard let byte = current else { throw error("unterminated string", at: start) }
            if byte == quote {
                if !multiLine { advance(); break }
                if peek(1) == quote, peek(2) == quote {
                    advance(3)
                    for _ in 0..<2 where current == quote { content.append(quote); advance() }
                    break
                }
                content.append(byte); advance()
            } else if byte == .backslash && quote == .quote {
                try readEscape(into: &content, multiLine: multiLine)
            } else if byte == .lineFeed || (byte == .carriageReturn && peek(1) == .lineFeed) {
                guard multiLine else { throw error("a single-line string cannot span lines; close it or use \"\"\" or '''") }
                if byte == .carriageReturn { advance() }
                content.append(.lineFeed); advance()
            } else if (byte < 0x20 && byte != .tab) || byte == 0x7F {
                throw error("control character \(found) in a string; write it as an escape")
            } else {
                content.append(byte); advance()
            }
        }
        return String(decoding: content, as: UTF8.self)
    }

    private mutating func readEscape(into content: inout [UInt8], multiLine: Bool) throws(TOMLSyntaxError) {
        let escapeStart = index
        advance()
        guard let letter = current else { throw error("unterminated string") }
        if multiLine, letter == .space || letter == .tab || letter == .lineFeed || letter == .carriageReturn {
            // A line-ending backslash: the line end and all whitespace after it are dropped.
            skipSpaces()
            guard skipLineEnd() else { throw error("a backslash in a multi-line string must end its line or start an escape", at: escapeStart) }
            while current == .space || current == .tab || current == .lineFeed || (current == .carriageReturn && peek(1) == .lineFeed) {
                advance()
            }
            return
        }
        switch letter {
        case UInt8(ascii: "b"): content.append(0x08)
        case UInt8(ascii: "t"): content.append(.tab)
        case UInt8(ascii: "n"): content.append(.lineFeed)
        case UInt8(ascii: "f"): content.append(0x0C)
        case UInt8(ascii: "r"): content.append(.carriageReturn)
        case .quote: content.append(.quote)
        case .backslash: content.append(.backslash)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let digits = letter == UInt8(ascii: "u") ? 4 : 8
            guard index + digits < bytes.count,
                  let value = UInt32(String(decoding: bytes[index + 1...index + digits], as: UTF8.self), radix: 16),
                  bytes[index + 1...index + digits].allSatisfy({ $0.isHexDigit }),
                  let scalar = Unicode.Scalar(value) else {
                throw error("\\\(Character(Unicode.Scalar(letter))) needs \(digits) hex digits naming a Unicode scalar value", at: escapeStart)
            }
            content.append(contentsOf: Array(String(Character(scalar)).utf8))
            advance(digits)
        default:
            throw error("unknown escape \\\(found.trimmingQuotes); use \\\\ for a backslash", at: escapeStart)
        }
        advance()
    }
}

private extension UInt8 {
    var isHexDigit: Bool {
        isDigit || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "f")) || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "F"))
    }
}

private extension String {
    var trimmingQuotes: Substring { hasPrefix("'") && hasSuffix("'") && count >= 2 ? dropFirst().dropLast() : Substring(self) }
}
