import Foundation

/// CTest: `2/3 Test #2: test_div ....***Failed  0.01 sec` status lines (followed by the test's own
/// output under `--output-on-failure`), `The following tests FAILED:`, and `67% tests passed, …`.
enum CTestParser: TestOutputParser {
    static func parse(_ lines: [Substring]) -> TestDigest? {
        let recognised = lines.contains {
            $0.hasPrefix("Test project ") || $0.contains("% tests passed") || $0.contains("The following tests FAILED")
        }
        guard recognised else { return nil }
        var digest = TestDigest(runner: "ctest")
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            if line.contains("Test #"), line.contains(" Passed "), let rest = TriageText.after(line, ": ") {
                digest.addPassed(String(rest.prefix { $0 != " " }))
                continue
            }
            guard line.contains("Test #"), line.contains("***") || line.contains("Failed"), !line.contains(" Passed "),
                let rest = TriageText.after(line, ": ")
            else { continue }
            let name = String(rest.prefix { $0 != " " })
            let status = TriageText.after(line, "***").map { String($0.prefix { !$0.isWhitespace }) } ?? "Failed"
            var message = ["status: \(status)"]
            while index < lines.count, !isStatusOrStart(lines[index]), !lines[index].contains("% tests passed") {
                let text = TriageText.trimmed(lines[index])
                if !text.isEmpty, message.count < 12 { message.append(text) }
                index += 1
            }
            digest.addFailure(name, message: message)
        }
        // Names from the closing list, in case status lines were cut from the output.
        if let start = lines.firstIndex(where: { $0.contains("The following tests FAILED") }) {
            for line in lines[(start + 1)...] {
                guard let rest = TriageText.after(line, " - ") else { break }
                digest.addFailure(String(rest.prefix { $0 != " " }))
            }
        }
        digest.listsPassing = true
        digest.summary = lines.filter { $0.contains("% tests passed") }.map { TriageText.trimmed($0) }
        return digest
    }

    static func isStatusOrStart(_ line: Substring) -> Bool {
        let t = line.drop { $0 == " " }
        return t.hasPrefix("Start ") || line.contains("Test #") || t.hasPrefix("Total Test time")
    }
}
