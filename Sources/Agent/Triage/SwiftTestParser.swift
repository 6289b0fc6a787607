import Foundation

/// `swift test`: XCTest (`Test Case 'Suite.test' failed`, `path:line: error: Suite.test : message`,
/// `Executed N tests, with M failures`), Swift Testing (`✘ Test name() recorded an issue at
/// File.swift:10:5: ...`, `Test run with N tests ... failed`), and compile errors before any test ran.
enum SwiftTestParser: TestOutputParser {
    static func parse(_ lines: [Substring]) -> TestDigest? {
        let recognised = lines.contains {
            $0.hasPrefix("Test Suite '") || $0.hasPrefix("Test Case '") || $0.contains("Test run with ")
                || $0.contains("Test run started") || ($0.contains(".swift:") && $0.contains(": error: "))
        }
        guard recognised else { return nil }
        var digest = TestDigest(runner: "swift test")
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            if line.hasPrefix("Test Case '"), line.contains("' passed") {
                if let name = TriageText.between(line, "Test Case '", "' passed") { digest.addPassed(xcTestName(name)) }
            } else if line.contains("Test "), line.contains(" passed after "), !line.contains("Test run with "),
                let name = TriageText.between(line, "Test ", " passed after ")
            {
                digest.addPassed(name)
            } else if line.hasPrefix("Test Case '"), line.contains("' failed") {
                if let name = TriageText.between(line, "Test Case '", "' failed") { digest.addFailure(xcTestName(name)) }
            } else if let rest = TriageText.after(line, ": error: "), let separator = rest.range(of: " : ") {
                // XCTest assertion: `/path/CalcTests.swift:12: error: CalcTests.testDivide : XCTAssertEqual failed: ...`
                let name = xcTestName(String(rest[..<separator.lowerBound]))
                let location = String(line[..<line.range(of: ": error: ")!.lowerBound])
                digest.addFailure(name, message: ["\(shortLocation(location)): \(rest[separator.upperBound...])"])
            } else if line.contains("Test "), line.contains(" recorded an issue"),
                let name = TriageText.between(line, "Test ", " recorded an issue")
            {
                var message = TriageText.trimmed(TriageText.after(line, " recorded an issue") ?? "")
                if message.hasPrefix("at ") { message.removeFirst(3) }
                var details = [message]
                // Swift Testing prints an issue's details on following `↳` lines.
                while index < lines.count, lines[index].contains("↳"), details.count < 8 {
                    details.append(TriageText.trimmed(lines[index]))
                    index += 1
                }
                digest.addFailure(name, message: details)
            } else if line.contains("Test "), line.contains(" failed after "), !line.contains("Test run with "),
                let name = TriageText.between(line, "Test ", " failed after ")
            {
                digest.addFailure(name)
            } else if line.contains(": error: ") || line.hasPrefix("error: ") || line.contains("Fatal error:") {
                if digest.errors.count < 20 { digest.errors.append(TriageText.trimmed(line)) }
            }
        }
        digest.listsPassing = true
        // `swift test` runs both libraries; a library that ran no tests only adds noise to the summary.
        var summary: [String] = []
        if let xc = lines.last(where: { $0.contains("Executed ") && $0.contains(" test") }), !xc.contains("Executed 0 tests") {
            summary.append(TriageText.trimmed(xc))
        }
        if let st = lines.last(where: { $0.contains("Test run with ") }), !st.contains("with 0 tests") {
            summary.append(TriageText.trimmed(st.drop { $0 != "T" }))
        }
        digest.summary = summary
        return digest
    }

    /// `-[CalcTests.CalcTests testDivide]` (Darwin) → `CalcTests.testDivide`; Linux names pass through.
    static func xcTestName(_ raw: String) -> String {
        guard raw.hasPrefix("-["), raw.hasSuffix("]") else { return raw }
        let parts = raw.dropFirst(2).dropLast().split(separator: " ")
        guard parts.count == 2 else { return raw }
        return "\(parts[0].split(separator: ".").last ?? parts[0]).\(parts[1])"
    }

    /// A file's path shortened to its last two components: the snapshot's absolute prefix is noise.
    static func shortLocation(_ location: String) -> String {
        let parts = location.split(separator: "/")
        return parts.count > 2 ? parts.suffix(2).joined(separator: "/") : location
    }
}
