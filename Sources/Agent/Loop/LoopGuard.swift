import JSONValue

/// Notices a model going round in circles and answers briefly with what to do instead. Measured:
/// the embedded 1.5B model re-read one file eleven times in a row without this, and fixed the bug in
/// four steps with a one-line nudge.
struct LoopGuard {
    private var lastResult: [String: (step: Int, digest: String)] = [:]
    private var failedEdits: [String: (step: Int, error: String)] = [:]
    private(set) var consecutiveRepeats = 0
    /// `looks` calls in a row since the last call of another role. Measured: with the likely function
    /// shown in the orientation, the 1.5B model still paged through a 1,659-line file 150 lines at a
    /// time until its time ran out, never editing.
    private(set) var lookStreak = 0
    /// From this many looks in a row, each look's answer ends with `lookStreakNote`.
    static let lookStreakNoteAt = 3
    /// At this many looks in a row, the next constrained action may not look again.
    static let lookStreakStopAt = 5

    /// Counts the call's role towards `lookStreak`; the note to append to its answer, if any.
    mutating func noteRole(_ role: ToolRole?) -> String? {
        guard role == .looks else { lookStreak = 0; return nil }
        lookStreak += 1
        guard lookStreak >= Self.lookStreakNoteAt else { return nil }
        return "Note: \(lookStreak) looks in a row without a change. If you have seen the wrong line, fix it now with edit_file; "
            + "the likely places are listed in the first message."
    }

    static func key(_ name: String, _ arguments: String) -> String {
        let canonical = (try? JSON.parse(arguments).serialized()) ?? arguments
        return name + "\u{0}" + canonical
    }

    /// Called after a successful call. Returns a nudge to send instead of the output when this call
    /// repeats an earlier one with the same result.
    mutating func afterSuccess(_ tool: any AgentTool, arguments: String, output: String, step: Int) -> String? {
        let key = Self.key(tool.name, arguments)
        let digest = SHA256.hex(output)
        defer { lastResult[key] = (step, digest) }
        guard let previous = lastResult[key], previous.digest == digest else {
            consecutiveRepeats = 0
            return nil
        }
        consecutiveRepeats += 1
        return tool.repeatNudge(sinceStep: previous.step)
    }

    /// Called after a failed call (`tool` is nil when the model named no known tool). Returns a nudge
    /// when the same call failed the same way before.
    mutating func afterFailure(_ tool: (any AgentTool)?, name: String, arguments: String, error: String, step: Int) -> String? {
        let key = Self.key(name, arguments)
        defer { failedEdits[key] = (step, error) }
        guard let previous = failedEdits[key], previous.error == error else {
            consecutiveRepeats = 0
            return nil
        }
        consecutiveRepeats += 1
        return tool?.repeatedFailureNudge(sinceStep: previous.step, error: error)
            ?? Self.repeatedFailureNudge(sinceStep: previous.step, error: error)
    }

    static func repeatedFailureNudge(sinceStep step: Int, error: String) -> String {
        "This call already failed the same way at step \(step): \(error) Change the arguments or use another tool."
    }
}

// The nudges by role; tools whose repetition means something more specific override them.
extension AgentTool {
    public func repeatNudge(sinceStep step: Int) -> String {
        switch role {
        case .looks:
            return "You already called \(name) with these arguments at step \(step) and the result is unchanged; it is above. Do not repeat it. Next, make the change with edit_file, or run_tests, or submit if the tests pass."
        case .edits, .runs, .submits:
            return "Same call and same result as at step \(step). Do something different."
        }
    }

    public func repeatedFailureNudge(sinceStep step: Int, error: String) -> String {
        LoopGuard.repeatedFailureNudge(sinceStep: step, error: error)
    }
}
