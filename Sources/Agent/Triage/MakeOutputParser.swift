import Foundation

/// make, including Automake's test harness: `FAIL: name` lines, the `# TOTAL:`/`# FAIL:` summary,
/// compiler errors and failed assertions, and make's own `make: *** [target] Error 1` line.
enum MakeOutputParser: TestOutputParser {
    static func parse(_ lines: [Substring]) -> TestDigest? {
        let recognised = lines.contains { isMakeError($0) || $0.hasPrefix("# TOTAL:") }
        guard recognised else { return nil }
        var digest = TestDigest(runner: "make")
        for line in lines {
            if line.hasPrefix("FAIL: ") || line.hasPrefix("ERROR: ") || line.hasPrefix("XPASS: ") {
                digest.addFailure(String(line.drop { $0 != " " }.dropFirst()))
            } else if line.contains(": error: ") || line.contains("Assertion `") || line.contains("Assertion failed")
                || line.contains("Segmentation fault") || line.hasPrefix("FAILED") || line.hasPrefix("Error: ")
            {
                if digest.errors.count < 20 { digest.errors.append(TriageText.trimmed(line)) }
            }
        }
        let counts = ["TOTAL", "PASS", "FAIL", "ERROR"].compactMap { key -> String? in
            lines.last { $0.hasPrefix("# \(key):") }.map { TriageText.trimmed($0.dropFirst(2)).replacingOccurrences(of: "  ", with: " ") }
        }
        digest.summary = counts.isEmpty ? [] : [counts.joined(separator: ", ")]
        digest.summary += lines.filter(isMakeError).suffix(2).map(String.init)
        return digest
    }

    /// `make: *** [Makefile:8: test] Error 1`, `make[1]: *** …`, `gmake: *** …`.
    static func isMakeError(_ line: Substring) -> Bool {
        guard let stars = line.range(of: ": *** ") else { return false }
        return line[..<stars.lowerBound].hasSuffix("make") || line[..<stars.lowerBound].hasSuffix("]")
            && line[..<stars.lowerBound].contains("make[")
    }
}
