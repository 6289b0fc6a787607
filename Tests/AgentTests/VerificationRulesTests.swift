import Foundation
import Testing

@testable import Agent

/// Each rule of "verified" (docs/cli.md, "Verification") on its own, on synthetic runs.
@Suite struct VerificationRulesTests {
    func run(passed: Set<String>, failed: Set<String>, exit: Int32? = nil) -> TestOutcomes {
        TestOutcomes(runner: "pytest", passed: passed, failed: failed, exitCode: exit ?? (failed.isEmpty ? 0 : 1))
    }
    func judge(_ before: TestOutcomes, _ after: TestOutcomes?, named: [String] = [], touched: [String] = [], onlyTests: Bool = false,
               unrelated: Set<String> = [], addsSkip: Bool = false) -> Verification {
        VerificationRules.judge(before: before, after: after, named: named, testFilesTouched: touched, onlyTestsChanged: onlyTests,
                                unrelated: unrelated, codeAddsSkip: addsSkip)
    }

    @Test func aTestThatFailedBeforeAndPassesNowVerifies() {
        let v = judge(run(passed: ["t::a"], failed: ["t::bug"]), run(passed: ["t::a", "t::bug"], failed: []))
        #expect(v.verified)
        #expect(v.method == .tests)
        #expect(v.failToPass == ["t::bug"])
        #expect(v.stillFailing.isEmpty && v.passToPassBroken.isEmpty)
    }

    @Test func anUnrelatedPreExistingFailureDoesNotBlock() {
        let v = judge(run(passed: ["t::a"], failed: ["t::bug", "t::needs_printer"]),
                      run(passed: ["t::a", "t::bug"], failed: ["t::needs_printer"]), unrelated: ["t::needs_printer"])
        #expect(v.verified)
        #expect(v.failToPass == ["t::bug"])
        #expect(v.stillFailing == ["t::needs_printer"])
        #expect(v.reason.contains("call none of the project's code") || v.reason.contains("calls none of the project's code"))
    }

    /// Seen on the real-code benchmark: a change that made 1 of 11 failing tests pass was "verified".
    /// A test that calls the project's code and still fails means the bug is not all fixed.
    @Test func aPartialFixIsNotVerifiedWhenNoTargetsAreNamed() {
        let before = run(passed: ["t::a"], failed: ["t::bug1", "t::bug2", "t::needs_printer"])
        let partial = judge(before, run(passed: ["t::a", "t::bug1"], failed: ["t::bug2", "t::needs_printer"]),
                            unrelated: ["t::needs_printer"])
        #expect(!partial.verified)
        #expect(partial.failToPass == ["t::bug1"] && partial.stillFailing == ["t::bug2", "t::needs_printer"])
        #expect(partial.reason.contains("1 that calls the project's code still fails"), "\(partial.reason)")
        #expect(partial.reason.contains("--fail-to-pass"))
        // Named, the user decides what shows the fix: the other failure does not block.
        #expect(judge(before, run(passed: ["t::a", "t::bug1"], failed: ["t::bug2", "t::needs_printer"]), named: ["t::bug1"]).verified)
        let whole = judge(before, run(passed: ["t::a", "t::bug1", "t::bug2"], failed: ["t::needs_printer"]), unrelated: ["t::needs_printer"])
        #expect(whole.verified)
    }

    /// pathspec on the real-code benchmark: the bug made 53 tests fail; fixed, 7 pass and 46 are
    /// skipped again (an optional module is missing). Skipped tests neither show nor block the fix;
    /// named ones must pass; a patch whose code adds a skip gets no such allowance.
    @Test func testsThatFailedBeforeAndAreSkippedNowDoNotBlock() {
        let before = run(passed: ["t::a"], failed: ["t::bug", "t::hs1", "t::hs2"])
        let after = run(passed: ["t::a", "t::bug"], failed: [])
        let v = judge(before, after)
        #expect(v.verified, "\(v.reason)")
        #expect(v.failToPass == ["t::bug"] && v.stillFailing.isEmpty && v.skippedNow == ["t::hs1", "t::hs2"])
        #expect(v.reason.contains("2 that failed before are skipped now"), "\(v.reason)")

        let skipping = judge(before, after, addsSkip: true)
        #expect(!skipping.verified && skipping.stillFailing == ["t::hs1", "t::hs2"] && skipping.skippedNow.isEmpty)
        let named = judge(before, after, named: ["t::bug", "t::hs1"])
        #expect(!named.verified && named.stillFailing == ["t::hs1"])
        // All skipped, none passing: nothing shows the fix.
        #expect(!judge(before, run(passed: ["t::a"], failed: [])).verified)
    }

    @Test func aPatchThatAddsASkipIsRecognised() {
        let skip = PatchSection(path: "m.py", text: "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-x = 1\n+pytest.skip('later')\n")
        let plain = PatchSection(path: "m.py", text: "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-skip = 1\n+skip_count = 2\n")
        #expect(skip.addsSkip)
        #expect(plain.addsSkip, "any added line that mentions a skip counts: the rule errs towards blocking")
        #expect(!PatchSection(path: "m.py", text: "@@ -1 +1 @@\n-skip = 1\n+x = 2\n").addsSkip, "a removed line does not")
    }

    @Test func breakingATestThatPassedBeforeIsUnverified() {
        let v = judge(run(passed: ["t::a", "t::b"], failed: ["t::bug"]), run(passed: ["t::bug", "t::b"], failed: ["t::a"]))
        #expect(!v.verified)
        #expect(v.failToPass == ["t::bug"])
        #expect(v.passToPassBroken == ["t::a"])
    }

    @Test func aPassingTestThatVanishesCountsAsBroken() {
        // E.g. the patch made a module fail to import and the runner lists passing tests.
        let v = judge(run(passed: ["t::a", "u::b"], failed: ["t::bug"]), run(passed: ["t::bug", "t::a"], failed: []))
        #expect(!v.verified)
        #expect(v.passToPassBroken == ["u::b"])
    }

    @Test func namedTargetsMustAllPass() {
        let before = run(passed: ["t::a"], failed: ["t::bug1", "t::bug2"])
        let half = judge(before, run(passed: ["t::a", "t::bug1"], failed: ["t::bug2"]), named: ["t::bug1", "t::bug2"])
        #expect(!half.verified)
        #expect(half.failToPass == ["t::bug1"] && half.stillFailing == ["t::bug2"])
        let all = judge(before, run(passed: ["t::a", "t::bug1", "t::bug2"], failed: []), named: ["t::bug1", "t::bug2"])
        #expect(all.verified)
    }

    @Test func namedTargetsMatchShorterIDs() {
        let v = judge(run(passed: [], failed: ["tests/test_a.py::test_x"]), run(passed: ["tests/test_a.py::test_x"], failed: []),
                      named: ["test_a.py::test_x"])
        #expect(v.verified)
        #expect(TestID.same("test_x (calc.Tests.test_x)", "test_x (calc.Tests)"))
        #expect(!TestID.same("tests/test_a.py::test_x", "tests/test_a.py::test_xy"))
    }

    @Test func nothingFailingBeforeAndNothingNamedIsUnverified() {
        let v = judge(run(passed: ["t::a"], failed: []), run(passed: ["t::a"], failed: []))
        #expect(!v.verified)
        #expect(v.reason.contains("--fail-to-pass"))
    }

    @Test func aTestOnlyPatchIsNeverVerified() {
        let v = judge(run(passed: [], failed: ["t::bug"]), nil, touched: ["tests/test_t.py"], onlyTests: true)
        #expect(!v.verified)
        #expect(v.testFilesTouched == ["tests/test_t.py"])
        #expect(v.reason.contains("only test files"))
        // Even if a judging run had passed.
        let w = judge(run(passed: [], failed: ["t::bug"]), run(passed: ["t::bug"], failed: []), touched: ["t.py"], onlyTests: true)
        #expect(!w.verified)
    }

    @Test func unreadableOutputFallsBackToTheExitCode() {
        let before = TestOutcomes(runner: nil, exitCode: 1)
        let fixed = judge(before, TestOutcomes(runner: nil, exitCode: 0))
        #expect(fixed.verified)
        #expect(fixed.method == .exitCode)
        #expect(fixed.reason.contains("could not be read"))
        let broken = judge(before, TestOutcomes(runner: nil, exitCode: 2))
        #expect(!broken.verified && broken.method == .exitCode)
        // Passing before and after shows nothing, unless the user named the tests.
        let passing = TestOutcomes(runner: nil, exitCode: 0)
        #expect(!judge(passing, passing).verified)
        #expect(judge(passing, passing, named: ["x"]).verified)
        // A timeout is not a pass.
        #expect(!judge(before, TestOutcomes(runner: nil, exitCode: 0, timedOut: true)).verified)
    }

    /// A run stopped by a time limit shows nothing, even with every test it printed passing (it
    /// may hang in a test it had not reached, or in teardown).
    @Test func aRunCutShortIsNotVerifiedWhateverItPrinted() {
        var cut = run(passed: ["t::bug", "t::other"], failed: [])
        #expect(judge(run(passed: ["t::other"], failed: ["t::bug"]), cut).verified, "the same run, finished, would be")
        cut.timedOut = true
        let v = judge(run(passed: ["t::other"], failed: ["t::bug"]), cut)
        #expect(!v.verified && v.reason.contains("stopped before they finished"))
    }

    @Test func aFileThatFailedToLoadIsJudgedByItsTests() {
        // pytest reports a collection error by file; after the fix its tests are listed one by one.
        let v = judge(run(passed: ["b.py::t"], failed: ["tests/test_a.py"]),
                      run(passed: ["b.py::t", "tests/test_a.py::test_1", "tests/test_a.py::test_2"], failed: []))
        #expect(v.verified)
        #expect(v.failToPass == ["tests/test_a.py"])
    }

    @Test func runnersThatNameOnlyFailuresInferPasses() {
        // unittest without -v: a completed run that does not name a test passed it.
        let before = TestOutcomes(runner: "unittest", failed: ["test_add (t.T.test_add)"], listsPassing: false, exitCode: 1)
        let after = TestOutcomes(runner: "unittest", listsPassing: false, exitCode: 0)
        #expect(judge(before, after).verified)
        let regressed = TestOutcomes(runner: "unittest", failed: ["test_sub (t.T.test_sub)"], listsPassing: false, exitCode: 1)
        let v = judge(before, regressed)
        #expect(!v.verified)
        #expect(v.passToPassBroken == ["test_sub (t.T.test_sub)"])
        #expect(v.failToPass == ["test_add (t.T.test_add)"])
    }

    @Test func feedbackTellsTheModelWhatToDo() {
        var v = judge(run(passed: ["t::a"], failed: ["t::bug"]), run(passed: ["t::bug"], failed: ["t::a"]), touched: ["test_t.py"])
        v.testFilesTouched = ["test_t.py"]
        #expect(v.feedback.contains("Passed before, fail now: t::a"))
        #expect(v.feedback.contains("test_t.py"))
    }
}

@Suite struct PatchSectionTests {
    @Test func splitsByFileAndJoinsBack() {
        let patch = """
            diff --git a/calc.py b/calc.py
            index 1..2 100644
            --- a/calc.py
            +++ b/calc.py
            @@ -1 +1 @@
            -a - b
            +a + b
            diff --git a/tests/test_calc.py b/tests/test_calc.py
            new file mode 100644
            --- /dev/null
            +++ b/tests/test_calc.py
            @@ -0,0 +1 @@
            +x

            """
        let sections = PatchSection.split(patch)
        #expect(sections.map(\.path) == ["calc.py", "tests/test_calc.py"])
        #expect(PatchSection.join(sections) == patch)
        #expect(sections[0].text.hasSuffix("+a + b\n"))
    }

    @Test func deletedFilesAreNamedByTheirOldPath() {
        let patch = "diff --git a/old_test.py b/old_test.py\ndeleted file mode 100644\n--- a/old_test.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
        #expect(PatchSection.split(patch).map(\.path) == ["old_test.py"])
    }

    @Test func testFilesByConventionAndByTheRunnersIDs() {
        #expect(TestPaths.isTest("tests/helpers.py") && TestPaths.isTest("conftest.py") && TestPaths.isTest("pkg/a_test.go"))
        #expect(!TestPaths.isTest("src/contest.py") && !TestPaths.isTest("latest/x.py"))
        #expect(TestPaths.files(namedBy: ["checks/check_calc.py::test_add", "test_x (m.T)"]) == ["checks/check_calc.py"])
    }
}

/// Which failing tests exercise none of the project's code, on real files.
@Suite struct UnrelatedFailuresTests {
    @Test func aTestThatCallsNoProjectCodeIsUnrelatedAndOneThatDoesIsNot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("unrelated-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/tests", withIntermediateDirectories: true)
        try "def add(a, b):\n    return a - b\n\n\nclass Printer:\n    pass\n".write(toFile: root + "/calc.py", atomically: true, encoding: .utf8)
        try """
            import unittest
            from calc import add, Printer

            def check(x):
                return add(x, x)

            class CalcTests(unittest.TestCase):
                def test_add(self):
                    self.assertEqual(add(2, 3), 5)

                def test_print(self):
                    self.fail("no printer attached")

                def test_helper(self):
                    self.assertEqual(check(1), 2)

                def test_printer_object(self):
                    Printer()
            """.write(toFile: root + "/tests/test_calc.py", atomically: true, encoding: .utf8)
        let failing: Set<String> = [
            "test_add (tests.test_calc.CalcTests.test_add)", "test_print (tests.test_calc.CalcTests.test_print)",
            "tests/test_calc.py::CalcTests::test_helper", "tests/test_calc.py::CalcTests::test_printer_object[x]",
            "tests/test_gone.py::test_missing", "SomeSuite.someTest",
        ]
        #expect(UnrelatedFailures.find(failing: failing, root: root) == ["test_print (tests.test_calc.CalcTests.test_print)"],
                "a helper of the test file calling add counts; a class of the project counts; unknown ids and files do not excuse")
        #expect(UnrelatedFailures.location(of: "test_x (test_calc.CalcTests)", root: root) == nil, "no test_calc.py at the root")
        #expect(UnrelatedFailures.location(of: "test_x (tests.test_calc.CalcTests)", root: root)! == ("tests/test_calc.py", "test_x"))
    }
}
