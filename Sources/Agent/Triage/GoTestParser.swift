import Foundation

/// `go test`: `--- FAIL: TestName (0.00s)` with the indented log lines under it, `FAIL\tpkg` /
/// `ok  \tpkg` package lines, panics, and build errors (`./calc.go:5:2: undefined: x`).
enum GoTestParser: TestOutputParser {
    static func parse(_ lines: [Substring]) -> TestDigest? {
        let recognised = lines.contains {
            $0.contains("--- FAIL: ") || $0.contains("--- PASS: ") || $0.hasPrefix("=== RUN ") || isPackageLine($0)
        }
        guard recognised else { return nil }
        var digest = TestDigest(runner: "go test")
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            if let rest = TriageText.after(line, "--- PASS: ") {
                digest.addPassed(String(rest.prefix { $0 != " " }))
            } else if let rest = TriageText.after(line, "--- FAIL: ") {
                let name = String(rest.prefix { $0 != " " })
                let indent = TriageText.indentation(line)
                var message: [String] = []
                while index < lines.count, TriageText.indentation(lines[index]) > indent,
                    !lines[index].contains("--- FAIL: "), !lines[index].contains("--- PASS: "), !lines[index].contains("--- SKIP: ")
                {
                    if message.count < 12 { message.append(TriageText.trimmed(lines[index])) }
                    index += 1
                }
                digest.addFailure(name, message: message)
            } else if line.hasPrefix("panic: ") || isBuildError(line) {
                if digest.errors.count < 20 { digest.errors.append(String(line)) }
            }
        }
        // A parent test that failed only through its subtests adds nothing to their messages.
        let names = digest.failures.map(\.name)
        digest.failures.removeAll { parent in
            parent.message.isEmpty && names.contains { $0.hasPrefix(parent.name + "/") }
        }
        digest.listsPassing = !digest.passed.isEmpty
        let packages = lines.filter(isPackageLine)
        let failing = packages.filter { $0.hasPrefix("FAIL") }.map { TriageText.trimmed($0.replacingOccurrences(of: "\t", with: " ")) }
        let passing = packages.filter { $0.hasPrefix("ok") }.count
        digest.summary = failing + (passing > 0 ? ["\(passing) package\(passing == 1 ? "" : "s") ok"] : [])
        return digest
    }

    /// `ok  \texample.com/calc\t0.002s`, `FAIL\texample.com/calc\t0.002s`, `FAIL\texample.com/x [build failed]`.
    static func isPackageLine(_ line: Substring) -> Bool {
        (line.hasPrefix("ok  \t") || line.hasPrefix("FAIL\t") || line.hasPrefix("?   \t")) && line.split(separator: "\t").count >= 2
    }

    /// `./calc.go:5:2: undefined: x` or `calc_test.go:9:1: ...` at the start of a line.
    static func isBuildError(_ line: Substring) -> Bool {
        guard !line.hasPrefix(" "), !line.hasPrefix("\t"), let go = line.range(of: ".go:") else { return false }
        return line[go.upperBound...].first?.isNumber == true && line[go.upperBound...].contains(": ")
    }
}
