import Foundation
import Testing

@testable import Agent

@Suite struct TestEditTests {
    @Test func recognisesTestFilesByConvention() {
        for path in ["test/slugify.test.js", "tests/test_x.py", "pkg/foo_test.go", "src/a.spec.ts", "Tests/FooTests.swift", "test_calc.py"] {
            #expect(TestPaths.isTest(path), "\(path)")
        }
        for path in ["src/slugify.js", "calc.py", "Sources/Agent/Loop/AgentLoop.swift", "contest.py", "latest/x.py"] {
            #expect(!TestPaths.isTest(path), "\(path)")
        }
    }

    @Test func editingATestFileIsAnsweredWithAReminder() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let model = ScriptedModel(turns: [
            ScriptedModel.call("edit_file", ["path": "test_calc.py", "old_text": "== 5", "new_text": "== -1"]),
        ])
        let outcome = await Fixer.run(fixRequest(repo, maxSteps: 3), model: .embedded(), options: options(model))
        #expect(outcome.report.events.contains { $0.kind == .testEdit })
        #expect(model.requests[1].messages.last?.content?.contains("is a test file") == true)
    }
}

@Suite struct OnlyTestsSubmitTests {
    @Test func submittingOnlyTestChangesIsQuestionedOnce() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let model = ScriptedModel(turns: [
            ScriptedModel.call("edit_file", ["path": "test_calc.py", "old_text": "== 5", "new_text": "== -1"]),
            ScriptedModel.call("submit", ["summary": "tests fixed"]),
        ])
        let outcome = await Fixer.run(fixRequest(repo, maxSteps: 5), model: .embedded(), options: options(model))
        #expect(model.requests[2].messages.last?.content?.hasPrefix("Only test files have been changed (test_calc.py)") == true)
        #expect(outcome.report.steps == 3)  // the second submit ends the run
        #expect(outcome.report.filesChanged == ["test_calc.py"])
    }
}

@Suite struct FailingSubmitTests {
    @Test func submittingRightAfterFailingTestsIsQuestionedOnce() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let model = ScriptedModel(turns: [
            ScriptedModel.call("edit_file", ["path": "calc.py", "old_text": "a - b", "new_text": "a * b"]),
            ScriptedModel.call("run_tests", [:]),
            ScriptedModel.call("submit", ["summary": "done"]),
            ScriptedModel.call("edit_file", ["path": "calc.py", "old_text": "a * b", "new_text": "a + b"]),
            ScriptedModel.call("run_tests", [:]),
            ScriptedModel.call("submit", ["summary": "done"]),
        ])
        let outcome = await Fixer.run(fixRequest(repo, maxSteps: 10), model: .embedded(), options: options(model))
        #expect(model.requests[3].messages.last?.content?.hasPrefix("The last run_tests failed (exit 1)") == true)
        #expect(outcome.report.status == .verified)
        #expect(outcome.report.steps == 6)
    }
}
