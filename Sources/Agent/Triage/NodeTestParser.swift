import Foundation

/// `node --test`: the TAP reporter (`not ok 2 - name` with a YAML block holding `error:`), and the
/// spec reporter (`✖ name (1.2ms)` lines, a `✖ failing tests:` section, `ℹ tests 2` counts).
enum NodeTestParser: TestOutputParser {
    static func parse(_ lines: [Substring]) -> TestDigest? {
        if lines.contains(where: { $0.hasPrefix("TAP version") })
            || (lines.contains { isTestLine($0) } && lines.contains { $0.hasPrefix("# tests ") || $0.hasPrefix("# fail ") })
        {
            return parseTAP(lines)
        }
        if lines.contains(where: { $0.hasPrefix("ℹ tests ") || $0.hasPrefix("✖ failing tests") }) {
            return parseSpec(lines)
        }
        return nil
    }

    static func isTestLine(_ line: Substring) -> Bool {
        let t = line.drop { $0 == " " }
        return t.hasPrefix("ok ") || t.hasPrefix("not ok ")
    }

    static func parseTAP(_ lines: [Substring]) -> TestDigest {
        var digest = TestDigest(runner: "node --test")
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let body = line.drop { $0 == " " }
            index += 1
            if body.hasPrefix("ok ") {
                var name = String(body.dropFirst("ok ".count).drop { $0.isNumber }.drop { $0 == " " })
                if name.hasPrefix("- ") { name.removeFirst(2) }
                if !name.contains(" # ") { digest.addPassed(name) }  // `# SKIP` / `# TODO` did not pass
                continue
            }
            guard body.hasPrefix("not ok ") else { continue }
            var name = String(body.dropFirst("not ok ".count).drop { $0.isNumber }.drop { $0 == " " })
            if name.hasPrefix("- ") { name.removeFirst(2) }
            if let hash = name.range(of: " # ") {
                let directive = name[hash.upperBound...].uppercased()
                if directive.hasPrefix("SKIP") || directive.hasPrefix("TODO") { continue }
                name = String(name[..<hash.lowerBound])
            }
            // The YAML diagnostics block: more indented than the test line, between --- and ...
            let indent = TriageText.indentation(line)
            var yaml: [Substring] = []
            if index < lines.count, TriageText.trimmed(lines[index]) == "---" {
                index += 1
                while index < lines.count, TriageText.trimmed(lines[index]) != "..." {
                    if TriageText.indentation(lines[index]) <= indent, !TriageText.trimmed(lines[index]).isEmpty { break }
                    yaml.append(lines[index])
                    index += 1
                }
            }
            if yaml.contains(where: { $0.contains("failureType: 'subtestsFailed'") }) { continue }  // a parent suite
            digest.addFailure(name, message: message(fromYAML: yaml))
        }
        digest.listsPassing = true
        let counts = ["tests", "pass", "fail", "cancelled", "skipped"].compactMap { key -> String? in
            lines.last { $0.hasPrefix("# \(key) ") }.map { String($0.dropFirst(2)) }
        }
        if !counts.isEmpty { digest.summary = [counts.joined(separator: ", ")] }
        return digest
    }

    /// `error:` (a scalar or a `|-` block), `expected:`/`actual:`, and `location:` from a TAP YAML block.
    static func message(fromYAML yaml: [Substring]) -> [String] {
        var message: [String] = []
        var index = 0
        while index < yaml.count {
            let field = TriageText.trimmed(yaml[index])
            let fieldIndent = TriageText.indentation(yaml[index])
            index += 1
            if field.hasPrefix("error:") {
                let value = TriageText.trimmed(field.dropFirst("error:".count))
                if value == "|-" || value == "|" || value == ">-" {
                    while index < yaml.count,
                        TriageText.indentation(yaml[index]) > fieldIndent || TriageText.trimmed(yaml[index]).isEmpty
                    {
                        let text = TriageText.trimmed(yaml[index])
                        if !text.isEmpty, message.count < 8 { message.append(text) }
                        index += 1
                    }
                } else {
                    message.append(unquote(value))
                }
            } else if field.hasPrefix("expected:") || field.hasPrefix("actual:") || field.hasPrefix("location:") {
                message.append(field)
            }
        }
        return message
    }

    static func unquote(_ s: String) -> String {
        guard s.count >= 2, s.hasPrefix("'"), s.hasSuffix("'") else { return s }
        return s.dropFirst().dropLast().replacingOccurrences(of: "''", with: "'")  // YAML escapes ' as ''

    }

    static func parseSpec(_ lines: [Substring]) -> TestDigest {
        var digest = TestDigest(runner: "node --test")
        // Prefer the recap section at the end; otherwise the ✖ lines where they happened.
        let recap = lines.firstIndex { $0.hasPrefix("✖ failing tests") }.map { lines[($0 + 1)...] } ?? lines[...]
        var index = recap.startIndex
        while index < recap.endIndex {
            let line = recap[index]
            index += 1
            let body = line.drop { $0 == " " }
            guard body.hasPrefix("✖ "), !body.hasPrefix("✖ failing tests") else { continue }
            var name = String(body.dropFirst(2))
            if let paren = name.range(of: " (", options: .backwards), name.hasSuffix(")") {
                name = String(name[..<paren.lowerBound])
            }
            var message: [String] = []
            // The recap names where the test is: `test at test/math.test.js:8:3`.
            let previous = index - 2 >= recap.startIndex ? recap[index - 2] : ""
            if previous.hasPrefix("test at ") { message.append(String(previous)) }
            let indent = TriageText.indentation(line)
            while index < recap.endIndex, TriageText.indentation(recap[index]) > indent, message.count < 8 {
                let text = TriageText.trimmed(recap[index])
                if text.hasPrefix("at ") { break }  // the stack trace starts
                if !text.isEmpty { message.append(text) }
                index += 1
            }
            digest.addFailure(name, message: message)
        }
        for line in lines {
            let body = line.drop { $0 == " " }
            guard body.hasPrefix("✔ ") else { continue }
            var name = String(body.dropFirst(2))
            if let paren = name.range(of: " (", options: .backwards), name.hasSuffix(")") { name = String(name[..<paren.lowerBound]) }
            if !name.hasSuffix("# SKIP"), !name.contains(" # SKIP"), !name.contains(" # TODO") { digest.addPassed(name) }
        }
        digest.listsPassing = true
        // In the live part, suites that failed only because of children are ✖ too, with no message.
        if !lines.contains(where: { $0.hasPrefix("✖ failing tests") }) {
            if digest.failures.count > 1 { digest.failures.removeAll { $0.message.isEmpty } }
        }
        let counts = ["tests", "pass", "fail", "cancelled", "skipped"].compactMap { key -> String? in
            lines.last { $0.hasPrefix("ℹ \(key) ") }.map { String($0.dropFirst(2)) }
        }
        if !counts.isEmpty { digest.summary = [counts.joined(separator: ", ")] }
        return digest
    }
}
