import JSONValue

/// Notices a model going round in circles and answers briefly with what to do instead. Measured:
/// the embedded 1.5B model re-read one file eleven times in a row without this, and fixed the bug in
/// four steps with a one-line nudge.
struct LoopGuard {
    private var lastResult: [String: (step: Int, digest: String)] = [:]
    private var failedEdits: [String: (step: Int, error: String)] = [:]
    private(set) var consecutiveRepeats = 0

    static func key(_ name: String, _ arguments: String) -> String {
        let canonical = (try? JSON.parse(arguments).serialized()) ?? arguments
        return name + "\u{0}" + canonical
    }

    /// Called after a successful call. Returns a nudge to send instead of the output when this call
    /// repeats an earlier one with the same result.
    mutating func afterSuccess(name: String, arguments: String, output: String, step: Int) -> String? {
        let key = Self.key(name, arguments)
        let digest = SHA256.hex(output)
        defer { lastResult[key] = (step, digest) }
        guard let previous = lastResult[key], previous.digest == digest else {
            consecutiveRepeats = 0
            return nil
        }
        consecutiveRepeats += 1
        switch name {
        case "read_file", "list_files", "search":
            return "You already called \(name) with these arguments at step \(previous.step) and the result is unchanged; it is above. Do not repeat it. Next, make the change with edit_file, or run_tests, or submit if the tests pass."
        case "run_tests":
            return "The tests give the same result as at step \(previous.step) (shown above). Change the code before running them again."
        case "git_diff":
            return "The diff is unchanged since step \(previous.step). If the tests pass, call submit; otherwise edit the code."
        default:
            return "Same call and same result as at step \(previous.step). Do something different."
        }
    }

    /// Called after a failed call. Returns a nudge when the same call failed the same way before.
    mutating func afterFailure(name: String, arguments: String, error: String, step: Int) -> String? {
        let key = Self.key(name, arguments)
        defer { failedEdits[key] = (step, error) }
        guard let previous = failedEdits[key], previous.error == error else {
            consecutiveRepeats = 0
            return nil
        }
        consecutiveRepeats += 1
        if name == "edit_file" {
            return "This exact edit already failed at step \(previous.step): \(error) Read the lines you want to change with read_file and copy old_text exactly as shown (without the line numbers), or use write_file."
        }
        return "This call already failed the same way at step \(previous.step): \(error) Change the arguments or use another tool."
    }
}
