import Foundation
import ModelClient
import Sandbox

/// Everything one trajectory needs besides its snapshot and model.
struct TrajectorySettings: Sendable {
    var index: Int
    var seed: Int?
    var issue: String
    var testCommand: String
    var maxSteps: Int
    var maxTokensPerStep: Int
    var tokenBudget: Int?
    /// Absolute deadline (seconds since reference date), if any.
    var deadline: Double?
    /// The time limit the deadline came from, in seconds (for messages).
    var timeLimit: Double?
    var contextSize: Int
    var actionMode: ActionMode
    var model: String?
    var temperature: Double
    var allowRunCommand: Bool
    var commandTimeout: Double
    /// Where the test command and `run_command` run (and whether `run_command` may).
    var sandbox: Sandbox
    /// Asked before each `run_command` when set; false refuses it.
    var commandApproval: (@Sendable (String) async -> Bool)?
    var maxConsecutiveFormatErrors = 8
    /// When the run began: progress events count seconds from here, as the run's other events do
    /// (the tests before and the focused repair come first).
    var runStarted = Date()
    /// Whether the test command failed on the base: a `submit` with no change is then questioned once.
    var testsFailedBefore = false
    /// Observations kept verbatim when a compaction stubs old ones.
    var keepObservations = 6
    /// Turns kept verbatim when a compaction folds history into the ledger.
    var keepTurns = 8
}

extension TrajectorySettings {
    /// Why the run must end before the next step, if it must: cancellation, then the step, token and
    /// time budgets.
    func budgetEnd(step: Int, usage: RunReport.UsageTotals, now: Date = Date()) -> RunReport.EndReason? {
        if Task.isCancelled { return .cancelled }
        if step >= maxSteps { return .maxSteps }
        if let tokenBudget, usage.promptTokens + usage.completionTokens >= tokenBudget { return .tokenBudget }
        if let deadline, now.timeIntervalSinceReferenceDate >= deadline { return .timeLimit }
        return nil
    }
}

extension TrajectorySettings {
    var timeLimitDescription: String {
        timeLimit.map { String(format: "%g s", $0) } ?? "deadline"
    }
}

extension ModelError {
    /// Whether the failure means the server could not be reached (the CLI's exit 3).
    var meansUnreachable: Bool {
        switch self {
        case .connection, .timeout: true
        default: false
        }
    }
}

/// What a trajectory hands back to the Fixer.
struct TrajectoryOutcome: Sendable {
    var endReason: RunReport.EndReason
    var steps: Int
    var toolCalls: Int
    var usage: RunReport.UsageTotals
    var modelSeconds: Double
    var toolSeconds: Double
    var events: [RunReport.Event]
    var error: String?
    /// Requests whose messages extended the previous request's exactly, and how many had a predecessor.
    var prefixExtensions: Int
    var prefixComparisons: Int
    var submitted: Bool
    var modelUnreachable: Bool
}
