import JSONValue

/// The phases of a turn, shown as ACP's `plan`. Every phase is always listed; statuses move forward.
enum PlanPhase: Int, CaseIterable, Sendable {
    case testsBefore, fix, verify, apply

    func content(mode: SessionMode) -> String {
        switch self {
        case .testsBefore: "Snapshot the repository and run your tests before any change"
        case .fix: "Find the cause and fix it (the agent's steps)"
        case .verify: "Verify: run your tests on a fresh copy with the patch applied"
        case .apply:
            mode == .ask ? "Ask you, then write a verified fix to your files" : "Write a verified fix to your files"
        }
    }

    enum Status: String, Sendable { case pending, inProgress = "in_progress", completed }

    /// The `plan` update for `current`: earlier phases completed, `current` in progress (or completed).
    static func update(current: PlanPhase?, done: Bool = false, mode: SessionMode) -> JSON {
        let entries = allCases.map { phase -> JSON in
            let status: Status = switch current {
            case nil: .pending
            case let current? where phase.rawValue < current.rawValue: .completed
            case let current? where phase == current: done ? .completed : .inProgress
            default: .pending
            }
            return ["content": .string(phase.content(mode: mode)), "priority": "high", "status": .string(status.rawValue)]
        }
        return ["sessionUpdate": "plan", "entries": .array(entries)]
    }
}
