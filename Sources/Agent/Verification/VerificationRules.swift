/// The rules that decide whether a patch is verified (docs/cli.md, "Verification"), as a pure
/// function of the test runs before and after, so each rule is tested on its own.
///
/// - A patch that changes only test files is never verified.
/// - Test by test (both runs readable): the target tests — the ones the user named, else the ones
///   that failed before — must pass now (all named ones; when none were named, at least one, and
///   every one still failing must be `unrelated`: it exercises none of the project's code, like a
///   test that needs a printer — `UnrelatedFailures`), and no test that passed before may fail now.
///   Tests still failing are listed. With no targets named, one that failed before and did not run
///   now (skipped) neither shows the fix nor blocks it — unless the patch's code adds a skip.
/// - A run stopped by a time limit is never verified, whatever it printed before it was stopped.
/// - Otherwise the exit code: the command must exit 0 now, and must have failed before unless the
///   user named the tests (else nothing shows the fix).
public enum VerificationRules {
    /// `after` is nil when the judging run was not needed (a test-only patch).
    /// `unrelated`: tests that failed before and exercise none of the project's code (`UnrelatedFailures`).
    /// `codeAddsSkip`: the patch's code adds a line that skips tests (`PatchSection.addsSkip`).
    public static func judge(before: TestOutcomes, after: TestOutcomes?, named: [String], testFilesTouched: [String],
                             onlyTestsChanged: Bool, unrelated: Set<String> = [], codeAddsSkip: Bool = false) -> Verification {
        let readable = before.isReadable && (after?.isReadable ?? false) && before.runner == after?.runner
        let method: VerificationMethod = readable ? .tests : .exitCode
        if onlyTestsChanged {
            var v = Verification(verified: false, method: method,
                                 reason: "The patch changes only test files (\(Verification.list(testFilesTouched))); a fix must change the code under test.")
            v.testFilesTouched = testFilesTouched
            return v
        }
        guard let after else {
            return Verification(verified: false, method: .exitCode, reason: "The tests could not be run on the patched copy.")
        }
        if after.timedOut {
            // The targets may have passed before the run hung; the tests it never reached show nothing.
            var v = Verification(verified: false, method: method, reason: "The tests were stopped before they finished (a time limit); a run cut short does not show the fix.")
            v.testFilesTouched = testFilesTouched
            return v
        }
        var v = readable ? byTests(before: before, after: after, named: named, unrelated: unrelated, codeAddsSkip: codeAddsSkip)
                         : byExitCode(before: before, after: after, named: named)
        v.testFilesTouched = testFilesTouched
        return v
    }

    static func byTests(before: TestOutcomes, after: TestOutcomes, named: [String], unrelated: Set<String> = [],
                        codeAddsSkip: Bool = false) -> Verification {
        let targets = named.isEmpty ? before.failed.sorted() : named
        if targets.isEmpty {
            return Verification(verified: false, method: .tests, reason: "No test failed before the change, so no test shows the fix; "
                                + "name the tests that show it (--fail-to-pass, failToPass in fixpoint.toml).")
        }
        var v = Verification(verified: false, method: .tests, reason: "")
        v.failToPass = targets.filter { after.passes($0) }
        // Absent from a completed run that lists passing tests: skipped now. A patch that adds a skip
        // could hide a failure that way, so then they count as still failing.
        let skipped = named.isEmpty && !codeAddsSkip && after.listsPassing && after.completed
        v.skippedNow = skipped ? targets.filter { !after.passes($0) && !after.fails($0) } : []
        v.stillFailing = targets.filter { !after.passes($0) && !v.skippedNow.contains($0) }
        v.passToPassBroken = broken(before: before, after: after, targets: targets)

        // Unnamed: a still-failing test that calls the project's code means the bug is not all fixed.
        let blocking = named.isEmpty ? v.stillFailing.filter { !unrelated.contains($0) } : v.stillFailing
        let targetsMet = !v.failToPass.isEmpty && blocking.isEmpty
        v.verified = targetsMet && v.passToPassBroken.isEmpty
        if !v.passToPassBroken.isEmpty {
            v.reason = "\(v.passToPassBroken.count) test\(plural(v.passToPassBroken.count)) that passed before fail\(v.passToPassBroken.count == 1 ? "s" : "") now."
        } else if v.failToPass.isEmpty, named.isEmpty {
            v.reason = "None of the \(targets.count) test\(plural(targets.count)) that failed before pass\(targets.count == 1 ? "es" : "") now."
        } else if !targetsMet, !named.isEmpty {
            v.reason = "\(v.stillFailing.count) of the \(targets.count) named test\(plural(targets.count)) still do\(v.stillFailing.count == 1 ? "es" : "") not pass."
        } else if !targetsMet {
            v.reason = "\(v.failToPass.count) of the \(targets.count) tests that failed before pass now, but \(blocking.count) that call\(blocking.count == 1 ? "s" : "") "
                + "the project's code still fail\(blocking.count == 1 ? "s" : "") (listed): the bug is not all fixed. If \(blocking.count == 1 ? "it fails" : "they fail") "
                + "for reasons unrelated to the issue, name the tests that show the fix (--fail-to-pass, failToPass in fixpoint.toml)."
        } else {
            v.reason = "\(v.failToPass.count) test\(plural(v.failToPass.count)) that failed before pass\(v.failToPass.count == 1 ? "es" : "") now and no test that passed before fails"
                + (v.stillFailing.isEmpty ? "" : "; \(v.stillFailing.count) that failed before still fail\(v.stillFailing.count == 1 ? "s" : "") "
                    + (named.isEmpty ? "and call\(v.stillFailing.count == 1 ? "s" : "") none of the project's code (listed)" : "(listed)"))
                + (v.skippedNow.isEmpty ? "" : "; \(v.skippedNow.count) that failed before \(v.skippedNow.count == 1 ? "is" : "are") skipped now (listed)")
                + "."
        }
        return v
    }

    /// Tests that passed before and do not now: reported failing, missing from a run that lists
    /// passing tests, or failing now without having failed before (where passing tests are not listed).
    static func broken(before: TestOutcomes, after: TestOutcomes, targets: [String]) -> [String] {
        var broken = before.passed.intersection(after.failed)
        if after.listsPassing {
            broken.formUnion(before.passed.subtracting(after.passed).subtracting(after.failed))
        }
        broken.formUnion(after.failed.subtracting(before.failed).filter { id in !targets.contains { TestID.same($0, id) } })
        // A file that failed to load before is a target judged by its tests, not a broken test.
        return broken.filter { id in !targets.contains { TestID.same($0, id) || TestID.contains($0, id) } }.sorted()
    }

    static func byExitCode(before: TestOutcomes, after: TestOutcomes, named: [String]) -> Verification {
        let passesNow = after.exitCode == 0 && !after.timedOut
        let failedBefore = before.exitCode != 0 || before.timedOut
        let unread = "The test output could not be read test by test, so the exit code decided: "
        if !passesNow {
            return Verification(verified: false, method: .exitCode,
                                reason: unread + (after.timedOut ? "the tests timed out." : "the test command exits \(after.exitCode)."))
        }
        if !failedBefore, named.isEmpty {
            return Verification(verified: false, method: .exitCode,
                                reason: unread + "the tests passed before the change too, so they do not show the fix.")
        }
        return Verification(verified: true, method: .exitCode,
                            reason: unread + (failedBefore ? "the test command failed before (exit \(before.exitCode)) and exits 0 now." : "the test command exits 0."))
    }

    static func plural(_ n: Int) -> String { n == 1 ? "" : "s" }
}
