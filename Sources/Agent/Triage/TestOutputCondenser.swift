/// Turns a test command's output into what the model needs: for a recognised runner (pytest,
/// node --test, swift test, cargo test, go test, ctest, make) the failing tests with their messages,
/// the runner's summary line, and the tail of the output; anything else gets `OutputTriage.headTail`.
public enum TestOutputCondenser {
    /// Failures shown with their messages; more are listed by name only.
    public static let maxDetailedFailures = 20
    static let maxListedFailures = 100
    static let maxMessageLines = 10
    static let tailLines = 25
    static let tailBytes = 4 * 1024

    /// Most specific first: a wrapper like make can print another runner's output.
    static var parsers: [any TestOutputParser.Type] {
        [PytestParser.self, UnittestParser.self, CargoTestParser.self, GoTestParser.self, SwiftTestParser.self, NodeTestParser.self,
         CTestParser.self, MakeOutputParser.self]
    }

    /// `detailedFailures`: how many failures are shown with their messages (the orientation shows
    /// fewer than `run_tests` does).
    public static func condense(_ output: String, exitCode: Int32, detailedFailures: Int = maxDetailedFailures) -> String {
        guard let digest = digest(output) else {
            return "Exit code \(exitCode).\n" + OutputTriage.headTail(output, moreHint: "run_tests with args to run fewer tests")
        }
        var out = ["\(digest.runner): exit code \(exitCode)" + (digest.summary.isEmpty ? "" : " — " + digest.summary.joined(separator: "; "))]
        // pytest's `PASSED id` recap (`-rp`, which verification asks for) says nothing the digest
        // does not: without it the output shown is the failures and the summary, not a page of names.
        let lines = TriageText.lines(output).filter { !$0.hasPrefix("PASSED ") }

        // Short output: the names plus the output itself say it all; repeating messages would only add.
        if lines.count <= tailLines, output.utf8.count <= tailBytes {
            if !digest.failures.isEmpty {
                out.append("Failing tests (\(digest.failures.count)): " + digest.failures.map(\.name).joined(separator: ", "))
            }
            out.append("Output:")
            out.append(lines.joined(separator: "\n"))
            return out.joined(separator: "\n")
        }

        if !digest.failures.isEmpty {
            out.append("Failing tests (\(digest.failures.count)):")
            for (index, failure) in digest.failures.enumerated() {
                if index == maxListedFailures {
                    out.append("  … and \(digest.failures.count - maxListedFailures) more")
                    break
                }
                out.append("  ✗ \(failure.name)")
                guard index < detailedFailures else { continue }
                for line in failure.message.prefix(maxMessageLines) { out.append("      " + cut(line)) }
                if failure.message.count > maxMessageLines { out.append("      …") }
            }
        }
        if !digest.errors.isEmpty {
            out.append("Errors:")
            out.append(contentsOf: digest.errors.map { "  " + cut($0) })
        }

        if digest.failures.isEmpty, digest.errors.isEmpty, exitCode != 0 {
            // Recognised, but nothing to point at (a collection error, a crash): show more of the output.
            out.append("Output (\(lines.count) lines):")
            out.append(OutputTriage.headTail(lines.joined(separator: "\n"), maxLines: 120, maxBytes: 12 * 1024,
                                             moreHint: "run_tests with args to run fewer tests"))
        } else {
            let tail = lines.suffix(exitCode == 0 ? 10 : tailLines)
            out.append("Last \(tail.count) of \(lines.count) lines of output:")
            out.append(OutputTriage.headTail(tail.joined(separator: "\n"), maxLines: tailLines, maxBytes: tailBytes))
        }
        return out.joined(separator: "\n")
    }

    /// The names of the failing tests, as the runner writes them (pytest node ids, `Suite.test`, …);
    /// empty when the runner is not recognised or nothing failed.
    public static func failingTests(_ output: String) -> [String] {
        digest(output)?.failures.map(\.name) ?? []
    }

    /// The structured reading of a runner's output, or nil when no runner is recognised.
    public static func digest(_ output: String) -> TestDigest? {
        let lines = TriageText.lines(output)
        for parser in parsers {
            if let digest = parser.parse(lines) { return digest }
        }
        return nil
    }

    private static func cut(_ line: String) -> String {
        line.count > 300 ? String(line.prefix(300)) + " …" : line
    }
}
