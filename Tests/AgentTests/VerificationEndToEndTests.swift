import Foundation
import Testing

@testable import Agent

/// The rules of "verified" through a whole run: real repositories, real test commands, a scripted model.
@Suite struct VerificationEndToEndTests {
    /// The exploit from issue #10: the model edits the failing test's expectation to the buggy value
    /// and submits (questioned once, it submits again). Not verified, and --apply writes nothing.
    @Test func editingTheTestsExpectationIsNotAFix() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let untouched = try await repo.fingerprint()
        let model = ScriptedModel(turns: [
            ScriptedModel.call("edit_file", ["path": "test_calc.py", "old_text": "== 5", "new_text": "== -1"]),
            ScriptedModel.call("run_tests", [:]),
            ScriptedModel.call("submit", ["summary": "tests pass"]),
            ScriptedModel.call("submit", ["summary": "tests pass"]),
        ])
        var o = options(model)
        o.applyToUserTree = true
        let outcome = await Fixer.run(fixRequest(repo, maxSteps: 8), model: .embedded(), options: o)
        #expect(outcome.report.status == .unverified)
        #expect(outcome.report.patch.contains("== -1"))  // returned, but never applied
        #expect(outcome.report.tests.testFilesTouched == ["test_calc.py"])
        #expect(outcome.report.tests.verificationReason?.contains("only test files") == true)
        #expect(outcome.appliedFiles == nil)
        #expect(try await repo.fingerprint() == untouched)
    }

    /// Changing code and the test together: the test file is restored before judging, so the
    /// code change alone must make the user's test pass.
    @Test func aTestEditBesideAWrongCodeChangeIsJudgedByTheOriginalTest() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let model = ScriptedModel(turns: [
            ScriptedModel.call("edit_file", ["path": "calc.py", "old_text": "a - b", "new_text": "a * b"]),
            ScriptedModel.call("edit_file", ["path": "test_calc.py", "old_text": "== 5", "new_text": "== 6"]),
            ScriptedModel.call("submit", ["summary": "done"]),
            ScriptedModel.call("submit", ["summary": "done"]),
        ])
        let outcome = await Fixer.run(fixRequest(repo, maxSteps: 8), model: .embedded(), options: options(model))
        #expect(outcome.report.status == .unverified)
        #expect(outcome.report.tests.testFilesTouched == ["test_calc.py"])
        #expect(outcome.report.tests.after?.exitCode != 0)
    }

    /// A right fix plus a new regression test: verified, and the test file is listed.
    @Test func aRightFixWithANewTestIsVerifiedAndTheTestListed() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let model = ScriptedModel(turns: [
            ScriptedModel.call("edit_file", ["path": "calc.py", "old_text": "a - b", "new_text": "a + b"]),
            ScriptedModel.call("write_file", ["path": "tests/test_more.py", "content": "def test_more():\n    pass\n"]),
            ScriptedModel.call("submit", ["summary": "add adds"]),
        ])
        let outcome = await Fixer.run(fixRequest(repo, maxSteps: 8), model: .embedded(), options: options(model))
        #expect(outcome.report.status == .verified)
        #expect(outcome.report.tests.testFilesTouched == ["tests/test_more.py"])
        #expect(outcome.report.tests.verification == .exitCode)  // run_tests.sh prints nothing a runner would
        #expect(outcome.report.tests.verificationReason?.contains("could not be read") == true)
    }

    /// A unittest project with a test that needs a printer: it fails before and after, and does not
    /// block the right fix.
    @Test func anUnrelatedFailingTestDoesNotBlockTheFix() async throws {
        let repo = try await TempRepo.unittestProject()
        defer { repo.remove() }
        let model = ScriptedModel(turns: [
            ScriptedModel.call("edit_file", ["path": "calc.py", "old_text": "add(a, b):\n    return a - b", "new_text": "add(a, b):\n    return a + b"]),
            ScriptedModel.call("submit", ["summary": "add adds"]),
        ])
        let outcome = await Fixer.run(unittestRequest(repo), model: .embedded(), options: options(model))
        let tests = outcome.report.tests
        #expect(outcome.report.status == .verified, "\(tests.verificationReason ?? "")")
        #expect(tests.verification == .tests)
        #expect(tests.failToPass == ["test_add (test_calc.CalcTests.test_add)"])
        #expect(tests.stillFailing == ["test_print (test_calc.CalcTests.test_print)"])
        #expect(tests.passToPassBroken.isEmpty)
    }

    /// Fixing the bug by breaking another function: a test that passed before fails now.
    @Test func breakingAPassingTestIsUnverified() async throws {
        let repo = try await TempRepo.unittestProject()
        defer { repo.remove() }
        let model = ScriptedModel(turns: [
            ScriptedModel.call("write_file", ["path": "calc.py", "content": "def add(a, b):\n    return a + b\n\ndef sub(a, b):\n    return 0\n"]),
            ScriptedModel.call("submit", ["summary": "add adds"]),
            ScriptedModel.call("submit", ["summary": "add adds"]),
        ])
        let outcome = await Fixer.run(unittestRequest(repo), model: .embedded(), options: options(model))
        #expect(outcome.report.status == .unverified)
        #expect(outcome.report.tests.failToPass == ["test_add (test_calc.CalcTests.test_add)"])
        #expect(outcome.report.tests.passToPassBroken == ["test_sub (test_calc.CalcTests.test_sub)"])
    }

    /// Named targets (--fail-to-pass): the named test must pass, whatever else failed before.
    @Test func namedTargetsDecide() async throws {
        let repo = try await TempRepo.unittestProject()
        defer { repo.remove() }
        let model = ScriptedModel(turns: [
            ScriptedModel.call("edit_file", ["path": "calc.py", "old_text": "add(a, b):\n    return a - b", "new_text": "add(a, b):\n    return a + b"]),
            ScriptedModel.call("submit", ["summary": "add adds"]),
            ScriptedModel.call("submit", ["summary": "add adds"]),
        ])
        var request = unittestRequest(repo)
        request.failToPass = ["test_print (test_calc.CalcTests)"]
        let outcome = await Fixer.run(request, model: .embedded(), options: options(model))
        #expect(outcome.report.status == .unverified)
        #expect(outcome.report.tests.stillFailing == ["test_print (test_calc.CalcTests)"])
    }

    func unittestRequest(_ repo: TempRepo) -> FixRequest {
        var request = FixRequest(repository: repo.path, issue: "add() subtracts", testCommand: "python3 -m unittest -v")
        request.maxSteps = 8
        request.commandTimeout = 60
        request.repairSamples = 0   // scripts the agent loop
        return request
    }
}

extension TempRepo {
    /// `add` is wrong, `sub` is right, and `test_print` needs a printer this machine does not have.
    static func unittestProject() async throws -> TempRepo {
        try await TempRepo(files: [
            "calc.py": "def add(a, b):\n    return a - b\n\ndef sub(a, b):\n    return a - b\n",
            "test_calc.py": """
                import unittest
                from calc import add, sub

                class CalcTests(unittest.TestCase):
                    def test_add(self):
                        self.assertEqual(add(2, 3), 5)

                    def test_sub(self):
                        self.assertEqual(sub(5, 3), 2)

                    def test_print(self):
                        self.fail("no printer attached")

                """,
        ])
    }
}
