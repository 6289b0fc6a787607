import Foundation

/// pytest: failures from the "short test summary info" (`FAILED path::test - message`), messages
/// from the FAILURES/ERRORS blocks (`E   ...` lines and the `file:line: Error` location).
enum PytestParser: TestOutputParser {
    static func parse(_ lines: [Substring]) -> TestDigest? {
        let recognised = lines.contains {
            $0.contains("test session starts") || $0.contains("short test summary info") || isSummary($0)
                || (($0.hasPrefix("FAILED ") || $0.hasPrefix("ERROR ")) && $0.contains("::"))
        }
        guard recognised else { return nil }
        var digest = TestDigest(runner: "pytest")
        let blocks = failureBlocks(lines)

        for line in lines where line.hasPrefix("FAILED ") || line.hasPrefix("ERROR ") {
            let rest = line.drop { $0 != " " }.dropFirst()
            let parts = rest.split(separator: " - ", maxSplits: 1, omittingEmptySubsequences: false)
            let nodeID = TriageText.trimmed(parts[0])
            guard !nodeID.isEmpty, !nodeID.contains(" ") else { continue }
            var message = blocks.first { matches(headline: $0.headline, nodeID: nodeID) }?.message ?? []
            if message.isEmpty, parts.count > 1 { message = [TriageText.trimmed(parts[1])] }
            digest.addFailure(nodeID, message: message)
        }
        if digest.failures.isEmpty {
            for block in blocks { digest.addFailure(block.headline, message: block.message) }
        }
        // Passing tests: `PASSED id` in the summary (`-rp`, `-rA`) or `id PASSED [ 40%]` lines (`-v`).
        for line in lines {
            if line.hasPrefix("PASSED ") {
                let nodeID = TriageText.trimmed(line.dropFirst("PASSED ".count))
                if !nodeID.contains(" ") { digest.addPassed(nodeID) }
            } else if line.contains("::"), let range = line.range(of: " PASSED") {
                let nodeID = TriageText.trimmed(line[..<range.lowerBound])
                if !nodeID.contains(" ") { digest.addPassed(nodeID) }
            }
        }
        digest.listsPassing = !digest.passed.isEmpty
        if let summary = lines.last(where: isSummary) {
            digest.summary = [TriageText.trimmed(summary.filter { $0 != "=" })]
        }
        return digest
    }

    /// `== 2 failed, 3 passed in 0.05s ==`, `1 error in 0.2s`, `no tests ran in 0.01s`.
    static func isSummary(_ line: Substring) -> Bool {
        let words = TriageText.trimmed(line.filter { $0 != "=" }).split(separator: " ")
        guard words.count >= 4, words.contains("in"), let last = words.last else { return false }
        let timed = words[words.count - 2] == "in" && last.hasSuffix("s") && Double(last.dropLast()) != nil
            || words.contains { $0.hasPrefix("(") && $0.contains(":") }
        let counted = Int(words[0]) != nil && ["passed", "failed", "error", "errors", "skipped", "deselected", "xfailed", "xpassed", "warning", "warnings"].contains(words[1].trimmingCharacters(in: [","]))
        return timed && (counted || (words[0] == "no" && words[1] == "tests"))
    }

    struct Block { var headline: String; var message: [String] }

    /// The `____ test_name ____` blocks of the FAILURES and ERRORS sections.
    static func failureBlocks(_ lines: [Substring]) -> [Block] {
        rawBlocks(lines).map { Block(headline: $0.headline, message: message(from: $0.body)) }
    }

    /// The same blocks with their whole bodies: the test's source lines pytest shows, the `E` lines
    /// and the frames.
    static func rawBlocks(_ lines: [Substring]) -> [(headline: String, body: [Substring])] {
        var blocks: [(headline: String, body: [Substring])] = []
        var inSection = false
        var current: (headline: String, body: [Substring])?
        func finish() {
            if let c = current { blocks.append(c) }
            current = nil
        }
        for line in lines {
            if line.hasPrefix("====") {
                finish()
                inSection = line.contains(" FAILURES ") || line.contains(" ERRORS ")
                continue
            }
            guard inSection else { continue }
            if line.hasPrefix("___"), line.hasSuffix("___") {
                finish()
                let headline = line.trimmingCharacters(in: CharacterSet(charactersIn: "_ "))
                current = (headline, [])
            } else {
                current?.body.append(line)
            }
        }
        finish()
        return blocks
    }

    static func message(from body: [Substring]) -> [String] {
        var message = body.filter { $0.hasPrefix("E ") }.prefix(12).map { "E " + TriageText.trimmed($0.dropFirst(2)) }
        // The location line pytest prints under the traceback: `tests/test_calc.py:12: AssertionError`.
        if let location = body.last(where: { line in
            let parts = line.split(separator: ":", maxSplits: 2)
            return parts.count == 3 && Int(parts[1]) != nil && !line.hasPrefix(" ")
        }) {
            message.append(String(location))
        }
        if message.isEmpty {
            message = body.filter { !TriageText.trimmed($0).isEmpty }.suffix(5).map(String.init)
        }
        return message
    }

    /// Block headlines are `test_x`, `TestClass.test_x` or `test_x[param]`; node ids end with
    /// the same words joined by `::`.
    static func matches(headline: String, nodeID: String) -> Bool {
        let tail = headline.replacingOccurrences(of: ".", with: "::")
        return nodeID == headline || nodeID.hasSuffix("::" + tail) || nodeID.hasSuffix("::" + headline)
    }
}
