/// One test run as verification reads it: which tests passed and which failed, by the runner's ids,
/// or nothing when the output could not be read (then only the exit code counts).
public struct TestOutcomes: Sendable, Equatable {
    /// The recognised runner ("pytest", "go test", …); nil when the output could not be read.
    public var runner: String?
    public var passed: Set<String>
    public var failed: Set<String>
    /// Whether the output names passing tests; when not, a completed run's unnamed tests passed.
    public var listsPassing: Bool
    /// The runner got to its summary (a run that crashed or timed out part-way did not).
    public var completed: Bool
    public var exitCode: Int32
    public var timedOut: Bool

    public init(runner: String?, passed: Set<String> = [], failed: Set<String> = [], listsPassing: Bool = true,
                completed: Bool = true, exitCode: Int32, timedOut: Bool = false) {
        self.runner = runner; self.passed = passed; self.failed = failed; self.listsPassing = listsPassing
        self.completed = completed; self.exitCode = exitCode; self.timedOut = timedOut
    }

    /// Reads a run's output. `directory` is where it ran: runners that print absolute paths in test
    /// ids (node's TAP file lines) would otherwise name the same test differently in two copies.
    public static func read(output: String, exitCode: Int32, timedOut: Bool, directory: String? = nil) -> TestOutcomes {
        guard let digest = TestOutputCondenser.digest(output) else {
            return TestOutcomes(runner: nil, listsPassing: false, completed: false, exitCode: exitCode, timedOut: timedOut)
        }
        func clean(_ id: String) -> String {
            guard let directory, !directory.isEmpty else { return id }
            return id.replacingOccurrences(of: directory + "/", with: "")
        }
        let failed = Set(digest.failures.map { clean($0.name) })
        let passed = Set(digest.passed.map(clean)).subtracting(failed)
        return TestOutcomes(runner: digest.runner, passed: passed, failed: failed, listsPassing: digest.listsPassing,
                            completed: !digest.summary.isEmpty && !timedOut, exitCode: exitCode, timedOut: timedOut)
    }

    /// Whether the rules can judge this run test by test: a runner was recognised and the run either
    /// named tests or reached its summary. A compile error with no test ids is not readable.
    public var isReadable: Bool {
        runner != nil && (!passed.isEmpty || !failed.isEmpty || (completed && !listsPassing && exitCode == 0))
    }

    /// Whether the test `id` (a runner id, or one the user named) passed in this run.
    public func passes(_ id: String) -> Bool {
        if failed.contains(id) { return false }
        if passed.contains(id) { return true }
        if failed.contains(where: { TestID.same($0, id) }) { return false }
        if passed.contains(where: { TestID.same($0, id) }) { return true }
        // A file or class that failed to load before is judged by the tests it holds now.
        let inside = passed.filter { TestID.contains(id, $0) }
        if !inside.isEmpty { return !failed.contains { TestID.contains(id, $0) } }
        // Runners that name only failures: a completed run that does not name the test passed it.
        return !listsPassing && completed && !timedOut
    }

    /// Whether the run names `id` as failed.
    public func fails(_ id: String) -> Bool {
        failed.contains(id) || failed.contains { TestID.same($0, id) } || failed.contains { TestID.contains($0, id) }
    }
}

/// Matching test ids written by different hands: the runner's and the user's (`--fail-to-pass`,
/// SWE-bench's FAIL_TO_PASS).
public enum TestID {
    /// Equal, or the same test written at two lengths: `tests/test_a.py::test_x` vs `test_a.py::test_x`,
    /// unittest's `test_x (mod.Class.test_x)` (3.11+) vs `test_x (mod.Class)` (older and SWE-bench).
    public static func same(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let (na, nb) = (normalized(a), normalized(b))
        if na == nb { return true }
        return na.hasSuffix("/" + nb) || nb.hasSuffix("/" + na)
    }

    /// Whether `inner` is a test inside the file, class or suite `outer` (`a.py` ⊃ `a.py::T::test_x`).
    public static func contains(_ outer: String, _ inner: String) -> Bool {
        let (o, i) = (normalized(outer), normalized(inner))
        return i.count > o.count && (i.hasPrefix(o + "::") || i.hasPrefix(o + "/") || i.hasPrefix(o + "."))
    }

    static func normalized(_ id: String) -> String {
        var id = id.hasPrefix("./") ? String(id.dropFirst(2)) : id
        // unittest: `test_x (mod.Class.test_x)` → `test_x (mod.Class)`.
        if id.hasSuffix(")"), let open = id.range(of: " (") {
            let name = id[..<open.lowerBound]
            let inner = id[open.upperBound..<id.index(before: id.endIndex)]
            if inner.hasSuffix("." + name) { id = "\(name) (\(inner.dropLast(name.count + 1)))" }
        }
        return id
    }
}
