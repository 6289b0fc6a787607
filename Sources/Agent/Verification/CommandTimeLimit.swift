import Foundation

/// How long one test or command run may take: `--command-timeout`, cut short when the run's deadline
/// (`--timeout`) comes first, so a tool call or a candidate's tests never keep a run past its limit
/// (a benchmark task's tests that looped ran 208 s past a 300 s run before the repair was bounded).
struct CommandTimeLimit: Equatable, Sendable {
    /// Seconds the run may take.
    let seconds: Double
    /// Whether the run's deadline, not `--command-timeout`, set `seconds`.
    let byDeadline: Bool

    /// nil when less than a second is left before `deadline` (reference-date seconds; nil: none):
    /// nothing should be started then.
    static func at(_ now: Date = Date(), commandTimeout: Double, deadline: Double?) -> CommandTimeLimit? {
        guard let deadline else { return CommandTimeLimit(seconds: commandTimeout, byDeadline: false) }
        let left = deadline - now.timeIntervalSinceReferenceDate
        guard left >= 1 else { return nil }
        return left < commandTimeout ? CommandTimeLimit(seconds: left, byDeadline: true)
                                     : CommandTimeLimit(seconds: commandTimeout, byDeadline: false)
    }

    /// What stopped a run that timed out, for the model and the report.
    var stoppedBy: String { byDeadline ? "at the run's time limit" : "by --command-timeout" }

    /// A test run that timed out, as the model and the report are told.
    var testsStopped: String { "The tests were still running after \(Int(seconds.rounded())) s and were stopped \(stoppedBy)." }
}
