import Agent
import Foundation
import JSONValue
import ModelClient
import Sandbox
import Testing

/// The sandbox as a fix run uses it: tests, run_command and verification inside it, the report
/// saying how the run was confined, and secrets redacted from everything the run writes or sends.
@Suite(.serialized) struct SandboxedRunTests {
    @Test func aRunStatesItsSandboxAndRunCommandIsConfined() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        var request = fixRequest(repo)
        request.allowRunCommand = true
        let model = ScriptedModel(turns: [
            ScriptedModel.call("run_command", ["command": .string("touch /etc/fixpoint-probe 2>&1; touch \(repo.path)/escaped 2>&1; echo done")]),
        ] + theFix)
        let outcome = await Fixer.run(request, model: .embedded(), options: options(model))
        let sandbox = try #require(outcome.report.sandbox)
        #expect(sandbox.policy == "standard")
        #expect(sandbox.sandboxed)
        #expect(sandbox.runCommand == "enabled")
        #expect(outcome.report.status == .verified)
        let observation = model.requests[1].messages.last?.content ?? ""
        #expect(observation.contains("Read-only file system"), "\(observation)")
        #expect(!FileManager.default.fileExists(atPath: "/etc/fixpoint-probe"))
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/escaped"))
        #expect(outcome.report.toJSON()["sandbox"]?["sandboxed"] == .bool(true))
    }

    @Test func withoutBubblewrapTheReportSaysNotSandboxedAndRunCommandIsRefused() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        var request = fixRequest(repo)
        request.allowRunCommand = true
        request.sandbox.bubblewrapPath = "/bin/false"  // fault injection: a bwrap that cannot start a sandbox
        let model = ScriptedModel(turns: theFix)
        let outcome = await Fixer.run(request, model: .embedded(), options: options(model))
        let sandbox = try #require(outcome.report.sandbox)
        #expect(!sandbox.sandboxed)
        #expect(sandbox.detail.hasPrefix("not sandboxed"), "\(sandbox.detail)")
        #expect(sandbox.runCommand.hasPrefix("refused"), "\(sandbox.runCommand)")
        #expect(model.requests.first?.tools.contains { $0.name == "run_command" } == false)
        // Tests still run (allowlist and limits) and the fix is still verified.
        #expect(outcome.report.status == .verified)
    }

    @Test func strictWithoutBubblewrapRefusesTheRun() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        var request = fixRequest(repo)
        request.sandbox.policy = .strict
        request.sandbox.bubblewrapPath = "/bin/false"
        let outcome = await Fixer.run(request, model: .embedded(), options: options(ScriptedModel(turns: theFix)))
        #expect(outcome.report.status == .error)
        #expect(outcome.failure == .configuration)
        #expect(outcome.report.error?.contains("strict") == true)
    }

    @Test func theUserCanDeclineACommand() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        var request = fixRequest(repo)
        request.allowRunCommand = true
        request.commandApproval = { _ in false }
        let model = ScriptedModel(turns: [ScriptedModel.call("run_command", ["command": "touch ran"])] + theFix)
        _ = await Fixer.run(request, model: .embedded(), options: options(model))
        #expect(model.requests[1].messages.last?.content?.contains("declined") == true)
    }

    @Test func secretsAreRedactedFromObservationsReportsAndTheJournal() async throws {
        let secret = "sk-fixpoint-test-" + UUID().uuidString
        Redaction.register(secret)
        let repo = try await TempRepo(files: [
            "calc.py": "def add(a, b):\n    return a - b\n",
            "test_calc.py": "from calc import add\n\ndef test_add():\n    assert add(2, 3) == 5\n",
            "config.env": "API_KEY=\(secret)\n",
            "run_tests.sh": "cat config.env\npython3 -c 'import test_calc; test_calc.test_add(); print(\"1 passed\")'\n",
        ])
        defer { repo.remove() }
        let journal = repo.path + ".jsonl"
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let model = ScriptedModel(turns: [ScriptedModel.call("read_file", ["path": "config.env"])] + theFix)
        let outcome = await Fixer.run(fixRequest(repo), model: .embedded(), options: options(model, trajectory: journal))
        let sent = model.requests.flatMap(\.messages).compactMap(\.content).joined(separator: "\n")
        #expect(sent.contains(Redaction.placeholder), "the model saw the file, redacted")
        #expect(!sent.contains(secret))
        #expect(!outcome.report.toJSON().serialized().contains(secret))
        #expect(!(try String(contentsOfFile: journal, encoding: .utf8)).contains(secret))
    }
}
