import Foundation
import JSONValue

/// One answer of the focused repair: line `line` of `path` replaced by `replacement` (one or more
/// lines, indented like the line they replace).
struct LineFix: Hashable, Sendable {
    var path: String
    var line: Int
    var replacement: [String]
    var diagnosis: String

    /// What the fix changes, without the model's words: two answers with the same change are one.
    var change: String { "\(path):\(line)\n" + replacement.joined(separator: "\n") }

    /// Reads the model's JSON answer about `definition`; nil when it names no line of it or says
    /// nothing usable as code. `named`: the line the question named (the search's answers carry
    /// only the replacement).
    static func decode(_ content: String, definition: FocusSnippet.Shown, named: Int? = nil) -> LineFix? {
        guard let json = try? JSON.parse(content.trimmingCharacters(in: .whitespacesAndNewlines)),
              let answer = json["replacement"]?.stringValue,
              let number = named ?? json["line"]?.stringValue.flatMap({ Int($0.prefix { $0.isNumber }) }),
              definition.sourceRows.contains(where: { $0.number == number }) else { return nil }
        var lines = answer.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingSuffix(\.isWhitespace) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        while lines.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeFirst() }
        guard !lines.isEmpty else { return nil }
        lines[0] = withoutCopiedNumber(lines[0], number: number)
        if lines.count == 1 { lines[0] = withoutBackticks(lines[0]) }
        let original = definition.sourceRows.first { $0.number == number }?.text ?? ""
        if definition.path.hasSuffix(".py"), commentStart(original) == nil {
            lines = lines.compactMap { line in
                guard let start = commentStart(line) else { return line }
                let code = String(line[..<start]).trimmingSuffix(\.isWhitespace)
                return code.trimmingCharacters(in: .whitespaces).isEmpty ? nil : code
            }
            guard !lines.isEmpty else { return nil }
        }
        return LineFix(path: definition.path, line: number, replacement: lines,
                       diagnosis: json["diagnosis"]?.stringValue ?? "")
    }

    /// An answer to the unbound-name question (`MissingAssignment`) as an insertion: the missing
    /// statement — the answer's lines before the named line as it is, or its first line when the
    /// model rewrote that line — above `original`, unchanged. The model goes on rewriting the code
    /// after the statement: session 7's semver answers each rewrote the `if` chain below it and
    /// each was a syntax error.
    func insertion(above original: String) -> LineFix {
        let line = original.trimmingCharacters(in: .whitespaces)
        let statement = replacement.firstIndex { $0.trimmingCharacters(in: .whitespaces) == line }.map { Array(replacement[..<$0]) }
            ?? Array(replacement.prefix(1))
        let ownIndent = statement.first.map { String($0.prefix { $0 == " " || $0 == "\t" }) } ?? ""
        return LineFix(path: path, line: self.line, replacement: statement + [ownIndent + line], diagnosis: diagnosis)
    }

    /// The file's text with the fix made, or nil when the line is not there or nothing changes.
    /// The replacement is shifted to the replaced line's indentation (continuation lines keep
    /// theirs relative to its first line, in tabs where the file's line is tab-indented); trailing
    /// lines that repeat the file's next lines are left out (the model rewrote the line and went on
    /// copying the code after it); a one-line answer for a line that ends in a comma (an argument
    /// or item of a bracketed list) gets the comma back unless that alone is the change (parse:
    /// `evaluate_result=True` for `evaluate_result=False,` was a syntax error); a CRLF file stays CRLF.
    func applied(to text: String) -> String? {
        // Not split(separator:): "\r\n" is one Character in Swift, so a CRLF file would be one line.
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        guard line >= 1, line <= lines.count else { return nil }
        let original = lines[line - 1]
        let carriageReturn = original.hasSuffix("\r") ? "\r" : ""
        let indent = String(original.prefix { $0 == " " || $0 == "\t" })
        let tabs = indent.contains("\t") && !indent.contains(" ")
        let ownIndent = replacement[0].prefix { $0 == " " || $0 == "\t" }.count
        var rows = replacement
        if rows.count == 1, Self.endsInComma(original), !Self.endsInComma(rows[0]),
           (rows[0] + ",").trimmingCharacters(in: .whitespaces) != original.trimmingCharacters(in: .whitespacesAndNewlines) {
            rows[0] += ","
        }
        var fitted = rows.map { row -> String in
            let leading = row.prefix { $0 == " " || $0 == "\t" }.count
            let body = row.dropFirst(min(leading, ownIndent))
            guard !row.trimmingCharacters(in: .whitespaces).isEmpty else { return carriageReturn }
            return indent + (tabs ? Self.spacesAsTabs(body) : String(body)) + carriageReturn
        }
        let following = lines.dropFirst(line).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let repeated = (1..<max(1, fitted.count)).last { count in
            fitted.suffix(count).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } == Array(following.prefix(count))
        }
        if let repeated { fitted.removeLast(repeated) }
        guard fitted != [original] else { return nil }
        lines.replaceSubrange((line - 1)...(line - 1), with: fitted)
        return lines.joined(separator: "\n")
    }

    private static func endsInComma(_ line: String) -> Bool {
        line.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(",")
    }

    /// A continuation line's leading spaces as tabs, four to a tab (the model writes spaces): mixed
    /// indentation is a `TabError` in Python.
    private static func spacesAsTabs(_ body: Substring) -> String {
        let spaces = body.prefix { $0 == " " }.count
        return String(repeating: "\t", count: (spaces + 3) / 4) + body.dropFirst(spaces)
    }

    /// `41: x = 1` or `   41| x = 1` copied from the choices or the numbered code → `x = 1`; only
    /// the chosen line's own number counts (`3: 'three',` in a dict is code).
    static func withoutCopiedNumber(_ line: String, number: Int) -> String {
        let trimmed = line.drop { $0 == " " }
        let digits = trimmed.prefix { $0.isNumber }
        guard Int(digits) == number else { return line }
        let rest = trimmed.dropFirst(digits.count)
        guard rest.hasPrefix(": ") || rest.hasPrefix("| ") || rest.hasPrefix("|") else { return line }
        return String(rest.dropFirst(rest.hasPrefix("|") && !rest.hasPrefix("| ") ? 1 : 2))
    }

    /// Where a Python line's `#` comment starts, outside string literals; nil when it has none.
    /// The model annotates its change (`return word  # Corrected to …`): in a user's patch that is
    /// noise, and two answers differing only in it are one change.
    static func commentStart(_ line: String) -> String.Index? {
        var quote: Character?
        var escaped = false
        for index in line.indices {
            let character = line[index]
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "#" {
                return index
            }
        }
        return nil
    }

    /// `` `x = 1` `` → `x = 1`: a one-line answer wrapped in backticks.
    static func withoutBackticks(_ line: String) -> String {
        let indent = line.prefix { $0 == " " }
        let body = line.dropFirst(indent.count)
        guard body.count >= 2, body.hasPrefix("`"), body.hasSuffix("`"), !body.hasPrefix("```") else { return line }
        return String(indent) + String(body.dropFirst().dropLast())
    }
}

extension String {
    func trimmingSuffix(_ drop: (Character) -> Bool) -> String {
        var out = self
        while let last = out.last, drop(last) { out.removeLast() }
        return out
    }
}
