import JSONRPC
import JSONValue
import LSP

extension FixpointServer {
    /// `textDocument/codeAction`: "Fixpoint: fix …" for each diagnostic in the request's context and for
    /// each `FIXME` / `TODO(fixpoint)` comment on the requested lines. Each runs `fixpoint.fixIssue`.
    func codeActions(_ params: JSON?) throws(ResponseError) -> JSON {
        let p = Params(params, path: "params")
        let uri = try p.uri("textDocument.uri")
        let range = try p.range("range")
        if let only = p.optional("context.only")?.arrayValue?.compactMap(\.stringValue),
            !only.contains(where: { "quickfix".hasPrefix($0) })
        {
            return []
        }
        guard let folder = folder(for: uri), let relative = folder.relativePath(of: uri) else { return [] }
        guard let text = documents[uri]?.text ?? uri.path.flatMap(FileEditPlanner.readFile) else { return [] }
        let lines = TextDocument.lines(of: text)
        var actions: [JSON] = []

        let diagnostics = p.optional("context.diagnostics")?.arrayValue ?? []
        for (index, diagnostic) in diagnostics.enumerated() {
            let d = p.nested("context.diagnostics[\(index)]", diagnostic)
            let message = try d.string("message")
            let at = try d.range("range")
            var issue = "Fix this problem reported in \(relative) at line \(at.start.line + 1), column \(at.start.character + 1)"
            var origin: [String] = []
            if let source = try d.optionalString("source") { origin.append(source) }
            if let code = d.optional("code") { origin.append(code.stringValue ?? code.description) }
            if !origin.isEmpty { issue += " (\(origin.joined(separator: " ")))" }
            issue += ":\n\(message)\n\n" + Self.excerpt(lines, around: at.start.line, path: relative)
            actions.append(Self.action(title: "Fixpoint: fix “\(Self.oneLine(message))”", issue: issue, uri: uri, diagnostic: diagnostic))
        }

        let lastLine = min(range.end.line, lines.count - 1)
        if range.start.line <= lastLine {
            for lineNumber in range.start.line...lastLine {
                guard let note = Self.fixmeNote(in: lines[lineNumber]) else { continue }
                let issue = "Resolve this \(note.marker) comment in \(relative) at line \(lineNumber + 1): \(note.text)\n\n"
                    + Self.excerpt(lines, around: lineNumber, path: relative)
                actions.append(Self.action(title: "Fixpoint: fix \(note.marker) “\(Self.oneLine(note.text))”", issue: issue, uri: uri, diagnostic: nil))
            }
        }
        return .array(actions)
    }

    static func action(title: String, issue: String, uri: DocumentURI, diagnostic: JSON?) -> JSON {
        var action: [String: JSON] = [
            "title": .string(title), "kind": "quickfix",
            "command": ["title": .string(title), "command": "fixpoint.fixIssue", "arguments": [["issue": .string(issue), "uri": uri.json]]],
        ]
        if let diagnostic { action["diagnostics"] = [diagnostic] }
        return .object(action)
    }

    /// `FIXME` or `TODO(fixpoint)` on a line, and the comment text after it.
    static func fixmeNote(in line: Substring) -> (marker: String, text: String)? {
        for marker in ["TODO(fixpoint)", "FIXME"] {
            guard let found = line.range(of: marker) else { continue }
            var text = line[found.upperBound...].drop { $0 == ":" || $0 == " " || $0 == "\t" }
            for closer in ["*/", "-->", "#}"] where text.hasSuffix(closer) { text = text.dropLast(closer.count) }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return (marker, trimmed.isEmpty ? "(no description)" : String(trimmed))
        }
        return nil
    }

    /// Up to five lines either side, numbered, as context for the model.
    static func excerpt(_ lines: [Substring], around line: Int, path: String) -> String {
        let first = max(0, line - 5), last = min(lines.count - 1, line + 5)
        guard first <= last else { return "" }
        let body = (first...last).map { "\($0 + 1)\($0 == line ? ">" : " ") \(lines[$0])" }.joined(separator: "\n")
        return "Code around it (\(path), lines \(first + 1)-\(last + 1)):\n```\n\(body)\n```"
    }

    static func oneLine(_ text: String) -> String {
        let first = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return first.count > 60 ? String(first.prefix(57)) + "…" : first
    }
}
