/// Why the harness questioned a `submit` instead of ending the run.
enum SubmitObjection: Sendable, Equatable {
    /// Nothing changed while the tests fail.
    case nothingChanged
    /// Only test files changed (these, in the snapshot's order).
    case onlyTestsChanged([String])
    /// The model's latest run_tests failed with this exit code.
    case testsFailing(exitCode: Int32)
    /// The model submitted an edit without testing it; the harness ran the tests and they failed.
    case testsFailingAtSubmit(exitCode: Int32, output: String)

    /// The first sentence: the event's detail.
    var headline: String {
        switch self {
        case .nothingChanged: "Nothing has been changed yet and the tests still fail, so the issue is not fixed"
        case .onlyTestsChanged(let files): "Only test files have been changed (\(files.joined(separator: ", ")))"
        case .testsFailing(let exit): "The last run_tests failed (exit \(exit)), so the change does not fix the issue yet"
        case .testsFailingAtSubmit(let exit, _): "Fixpoint ran the tests before accepting the submit and they fail (exit \(exit)), so the change does not fix the issue yet"
        }
    }

    /// What the model reads instead of the submit's acknowledgement.
    var message: String {
        let advice = switch self {
        case .nothingChanged: "Make the fix with edit_file (copy old_text exactly from read_file), then run_tests."
        case .onlyTestsChanged: "The tests describe the wanted behaviour: change the code they test so they pass, then run_tests."
        case .testsFailing: "Read the failures above, fix the code, and run_tests again."
        case .testsFailingAtSubmit(_, let output): "The test output:\n\(output)\nRead the failures, fix the code, then submit again."
        }
        if case .testsFailingAtSubmit = self { return headline + ". " + advice }
        return headline + ". " + advice + " Call submit again only if you really cannot fix it."
    }
}

/// Decides whether a `submit` ends the run. Small models give up after one failed edit, so while the
/// tests failed before the run, a `submit` with nothing changed is questioned twice, and the first
/// `submit` of a change once if only test files changed or the model's latest run_tests failed.
///
/// A submit of an edit the model has not tested since is tested by the harness first (up to
/// `maxTestsAtSubmit` times): when the tests fail, the model reads them and the run goes on, instead
/// of ending in a verification failure it never sees.
struct SubmitPolicy {
    let testsFailedBefore: Bool
    static let maxTestsAtSubmit = 2
    /// Empty submits questioned so far: up to `maxEmptySubmitObjections` (measured: the 1.5B model
    /// submitted nothing again right after its first empty submit was questioned; an empty submit
    /// is a failed run either way).
    private var emptyObjections = 0
    static let maxEmptySubmitObjections = 2
    /// Whether a submit of a change was questioned (only test files changed, or tests failing): once.
    private var changeQuestioned = false
    /// Exit code of the model's latest run_tests, if it ran any.
    private var lastTestExit: Int32?
    /// An edit succeeded after the latest test run.
    private var untestedEdit = false
    private var testsAtSubmit = 0

    init(testsFailedBefore: Bool) { self.testsFailedBefore = testsFailedBefore }

    mutating func noteTests(exitCode: Int32) { lastTestExit = exitCode; untestedEdit = false }
    mutating func noteEdit() { untestedEdit = true }

    /// Whether to run the tests before accepting this submit (its outcome goes to `noteTests`).
    mutating func wantsTestsBeforeSubmit() -> Bool {
        guard testsFailedBefore, untestedEdit, testsAtSubmit < Self.maxTestsAtSubmit else { return false }
        testsAtSubmit += 1
        return true
    }

    /// The objection to this submit, if any; `changedFiles` is asked only when an objection is possible.
    mutating func review(changedFiles: () async -> [String]) async -> SubmitObjection? {
        guard testsFailedBefore, emptyObjections < Self.maxEmptySubmitObjections || !changeQuestioned else { return nil }
        let changed = await changedFiles()
        if changed.isEmpty {
            guard emptyObjections < Self.maxEmptySubmitObjections else { return nil }
            emptyObjections += 1
            return .nothingChanged
        }
        guard !changeQuestioned else { return nil }
        let objection: SubmitObjection? =
            if changed.allSatisfy(TestPaths.isTest) { .onlyTestsChanged(changed) }
            else if let last = lastTestExit, last != 0 { .testsFailing(exitCode: last) }
            else { nil }
        if objection != nil { changeQuestioned = true }
        return objection
    }
}
