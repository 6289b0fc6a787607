import Agent

/// The turn's last message: verified or not, with the test evidence and the patch.
enum FinalMessage {
    static func text(_ report: RunReport) -> String {
        var lines: [String] = []
        switch report.status {
        case .verified:
            lines.append("**Verified fix.** Fixpoint ran your tests on a fresh copy with this patch applied: the tests that failed before now pass, and none that passed broke.")
        case .unverified:
            lines.append("**Not verified.** Fixpoint has a patch, but your tests did not confirm it (the run ended: \(report.endReason.rawValue)). It is not applied.")
        case .noPatch:
            lines.append("**No fix.** The run ended (\(report.endReason.rawValue)) without changing anything.")
        case .error:
            lines.append("**Fixpoint could not finish:** \(report.error ?? "unknown error")")
        }
        if let before = report.tests.before { lines.append(evidence("Tests before any change", before)) }
        if let after = report.tests.after { lines.append(evidence("Tests with the patch (fresh copy)", after)) }
        lines.append("\(report.steps) steps, \(report.toolCalls) tool calls, \(Int(report.timing.wallS.rounded())) s.")
        if !report.patch.isEmpty {
            lines.append("Files: \(report.filesChanged.joined(separator: ", "))\n\n```diff\n\(report.patch.hasSuffix("\n") ? report.patch : report.patch + "\n")```")
        }
        return lines.joined(separator: "\n\n")
    }

    private static func evidence(_ title: String, _ run: RunReport.TestRun) -> String {
        let tail = run.outputTail.split(separator: "\n", omittingEmptySubsequences: false).suffix(12).joined(separator: "\n")
        let verdict = run.passed ? "passed" : "failed"
        return "\(title): \(verdict) (exit \(run.exitCode))" + (tail.isEmpty ? "" : "\n```\n\(tail)\n```")
    }
}
