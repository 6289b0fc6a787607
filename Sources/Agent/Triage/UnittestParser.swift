/// Python's unittest (`python -m unittest`): `FAIL: test_x (module.Class.test_x)` headlines, the
/// traceback's last line as the message, and the `Ran N tests` / `FAILED (failures=1)` summary.
enum UnittestParser: TestOutputParser {
    static func parse(_ lines: [Substring]) -> TestDigest? {
        guard lines.contains(where: { $0.hasPrefix("Ran ") && $0.contains(" test") }) else { return nil }
        var digest = TestDigest(runner: "unittest")
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard line.hasPrefix("FAIL: ") || line.hasPrefix("ERROR: ") else { index += 1; continue }
            let name = TriageText.trimmed(line.drop { $0 != " " })
            // The block runs to the next separator line; its last non-empty line is the assertion.
            var message: [String] = []
            index += 1
            while index < lines.count, !lines[index].hasPrefix("=====") && !lines[index].hasPrefix("-----") { index += 1 }
            index += 1
            var block: [Substring] = []
            while index < lines.count, !lines[index].hasPrefix("=====") && !lines[index].hasPrefix("-----") {
                block.append(lines[index])
                index += 1
            }
            if let location = block.last(where: { $0.contains("File \"") }) { message.append(TriageText.trimmed(location)) }
            if let last = block.last(where: { !TriageText.trimmed($0).isEmpty }) { message.append(TriageText.trimmed(last)) }
            digest.addFailure(name, message: message)
        }
        // `-v` prints one line per test: `test_x (module.Class.test_x) ... ok`.
        for line in lines where line.hasSuffix(" ... ok") {
            let name = TriageText.trimmed(line.dropLast(" ... ok".count))
            if name.contains(" (") { digest.addPassed(name) }
        }
        digest.listsPassing = !digest.passed.isEmpty
        let summary = lines.filter { ($0.hasPrefix("Ran ") && $0.contains(" test")) || $0.hasPrefix("FAILED (") || $0 == "OK" || $0.hasPrefix("OK (") }
        digest.summary = summary.map { TriageText.trimmed($0) }
        return digest
    }
}
