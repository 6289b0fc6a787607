/// A reader for the small subset of TOML that `fixpoint.toml` uses:
///
///     # comment
///     testCommand = "swift test"   # trailing comment
///     maxSteps = 120
///     heavy = 1
///     allowRunCommand = false
///
/// One `key = value` per line; keys are bare (`A-Za-z0-9_-`); values are basic strings in double
/// quotes (escapes `\" \\ \n \t`), literal strings in single quotes, decimal integers (`_` allowed) or
/// `true`/`false`. Tables, arrays, dates, floats and multi-line strings are rejected with the line number.
public enum FixpointTOML {
    public enum Value: Sendable, Equatable {
        case string(String)
        case int(Int)
        case bool(Bool)
    }

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "fixpoint.toml line \(line): \(reason)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> [String: Value] {
        var result: [String: Value] = [:]
        for (index, rawLine) in TextDocumentLines.split(text).enumerated() {
            let lineNumber = index + 1
            var line = Substring(rawLine).trimmingWhitespace
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                if line.hasPrefix("[") { throw ParseError(line: lineNumber, reason: "tables are not supported; put keys at the top level") }
                throw ParseError(line: lineNumber, reason: "expected 'key = value'")
            }
            let key = line[..<equals].trimmingWhitespace
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                throw ParseError(line: lineNumber, reason: "'\(key)' is not a bare key (letters, digits, '_' and '-')")
            }
            line = line[line.index(after: equals)...].trimmingWhitespace
            let (value, rest) = try parseValue(line, lineNumber: lineNumber)
            let trailing = rest.trimmingWhitespace
            guard trailing.isEmpty || trailing.hasPrefix("#") else {
                throw ParseError(line: lineNumber, reason: "unexpected text after the value: '\(trailing)'")
            }
            guard result[String(key)] == nil else { throw ParseError(line: lineNumber, reason: "'\(key)' is set twice") }
            result[String(key)] = value
        }
        return result
    }

    private static func parseValue(_ text: Substring, lineNumber: Int) throws(ParseError) -> (Value, Substring) {
        guard let first = text.first else { throw ParseError(line: lineNumber, reason: "missing value after '='") }
        if first == "\"" || first == "'" {
            var out = ""
            var index = text.index(after: text.startIndex)
            while index < text.endIndex {
                let c = text[index]
                if c == first { return (.string(out), text[text.index(after: index)...]) }
                if c == "\\" && first == "\"" {
                    index = text.index(after: index)
                    guard index < text.endIndex else { break }
                    switch text[index] {
                    case "\"": out.append("\"")
                    case "\\": out.append("\\")
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    default: throw ParseError(line: lineNumber, reason: "unsupported escape '\\\(text[index])'")
                    }
                } else {
                    out.append(c)
                }
                index = text.index(after: index)
            }
            throw ParseError(line: lineNumber, reason: "unterminated string")
        }
        let end = text.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "#" }) ?? text.endIndex
        let word = text[..<end]
        let rest = text[end...]
        if word == "true" { return (.bool(true), rest) }
        if word == "false" { return (.bool(false), rest) }
        let digits = word.replacingOccurrences(of: "_", with: "")
        if let i = Int(digits) { return (.int(i), rest) }
        throw ParseError(
            line: lineNumber, reason: "unsupported value '\(word)': use a quoted string, an integer, or true/false")
    }
}

/// Splits text into lines at `\n`, `\r\n` or `\r`.
enum TextDocumentLines {
    static func split(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

extension Substring {
    var trimmingWhitespace: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return s
    }

    func replacingOccurrences(of target: String, with replacement: String) -> String {
        String(self).replacingOccurrences(of: target, with: replacement)
    }
}
