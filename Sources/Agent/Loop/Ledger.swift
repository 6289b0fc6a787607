/// What the harness itself knows about the run, kept outside the model's memory: it replaces
/// folded turns after a compaction, so the model keeps the goal and the state of its work.
struct Ledger {
    var goal: String
    var testCommand: String
    /// "path | +3 -1" lines from the current diff.
    var diffStat: [String] = []
    var latestTestResult: String?
    var failingTests: [String] = []
    /// One line per call made so far: "step 4: edit_file(path=src/a.py) → ok".
    var attempts: [String] = []

    /// Notes one call and whether it failed.
    mutating func note(step: Int, call: String, failed: Bool) {
        attempts.append("step \(step): \(call) → \(failed ? "error" : "ok")")
    }

    /// Notes the latest run of the tests.
    mutating func noteTests(exitCode: Int32, failing: [String]) {
        latestTestResult = "exit \(exitCode)" + (exitCode == 0 ? " (passing)" : "")
        failingTests = failing
    }

    func render() -> String {
        var lines = ["[Fixpoint ledger — earlier steps were folded to save context. This is the state of the work.]"]
        lines.append("Goal: " + (goal.count > 600 ? String(goal.prefix(600)) + "…" : goal))
        lines.append("Test command: \(testCommand)")
        lines.append("Files changed so far: " + (diffStat.isEmpty ? "none" : ""))
        lines += diffStat.map { "  " + $0 }
        if let latestTestResult { lines.append("Latest test result: \(latestTestResult)") }
        if !failingTests.isEmpty { lines.append("Failing tests: " + failingTests.prefix(15).joined(separator: ", ")) }
        if !attempts.isEmpty {
            lines.append("What was tried (latest last):")
            lines += attempts.suffix(30).map { "  " + $0 }
        }
        lines.append("Continue from here: look at the current code, fix what remains, run the tests, then submit.")
        return lines.joined(separator: "\n")
    }

    /// "+a -d" per file from a unified diff.
    static func diffStat(of patch: String) -> [String] {
        var stats: [(String, Int, Int)] = []
        for line in patch.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("diff --git ") {
                let path = line.split(separator: " ").last.map { String($0.dropFirst(2)) } ?? "?"
                stats.append((path, 0, 0))
            } else if !stats.isEmpty, line.hasPrefix("+"), !line.hasPrefix("+++") {
                stats[stats.count - 1].1 += 1
            } else if !stats.isEmpty, line.hasPrefix("-"), !line.hasPrefix("---") {
                stats[stats.count - 1].2 += 1
            }
        }
        return stats.map { "\($0.0) | +\($0.1) -\($0.2)" }
    }
}
