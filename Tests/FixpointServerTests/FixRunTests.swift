import Agent
import Foundation
import JSONRPC
import JSONValue
import LSP
import Synchronization
import Testing
@testable import FixpointServer

private let verified = RunReport(status: .verified, endReason: .submitted, patch: "--- a/a.txt\n+++ b/a.txt\n", filesChanged: ["a.txt"], steps: 2)

private func fix(_ issue: String = "make it say hello world", testCommand: String? = "true", extra: [String: JSON] = [:]) -> JSON {
    var args: [String: JSON] = ["issue": .string(issue)]
    if let testCommand { args["testCommand"] = .string(testCommand) }
    args.merge(extra) { $1 }
    return ["command": "fixpoint.fixIssue", "arguments": [.object(args)]]
}

private func answering(applied: Bool) -> @Sendable (String, JSON?) -> Result<JSON, ResponseError> {
    { method, _ in method == "workspace/applyEdit" ? .success(["applied": .bool(applied)]) : .success(.null) }
}

@Suite struct FixRunTests {
    @Test func aWholeRunReportsProgressAndOffersAConfirmableEdit() async throws {
        let folder = try TempFolder(files: ["a.txt": "hello\n", "old.txt": "remove me\n"])
        let recorder = Recorder()
        let outcome = FixOutcome(report: verified, changes: [
            FileChange(path: "a.txt", before: "hello\n", after: "hello world\n"),
            FileChange(path: "new.txt", before: nil, after: "new\n"),
            FileChange(path: "old.txt", before: "remove me\n", after: nil),
        ])
        let client = await TestClient(runner: ScriptedRunner.finishing(with: outcome, record: recorder), answer: answering(applied: true))
        try await client.initialize(rootPath: folder.path)
        client.notify("textDocument/didOpen", ["textDocument": ["uri": .string(folder.uri("a.txt")), "languageId": "text", "version": 5, "text": "hello\n"]])

        let result = try await client.request("workspace/executeCommand", fix())
        #expect(result == verified.toJSON())

        // The run saw the editor's buffer and the command's test command.
        let request = try #require(recorder.requests.first)
        #expect(request.overlays == ["a.txt": "hello\n"])
        #expect(request.testCommand == "true")
        #expect(request.repository == folder.path)

        // Progress on a token the server created, because the client supports it.
        let create = try #require(client.messages("window/workDoneProgress/create").first)
        let token = try #require(create["token"])
        let progress = client.messages("$/progress").filter { $0["token"] == token }.compactMap { $0["value"] }
        #expect(progress.map { $0["kind"] } == ["begin", "report", "report", "end"])
        #expect(progress.first?["cancellable"] == true)
        #expect(progress[1]["message"]?.stringValue?.hasPrefix("step 1/300 · read_file · read a.txt · 120 tok · cache 50%") == true)
        #expect(progress.last?["message"]?.stringValue?.hasPrefix("verified fix") == true)
        let steps = client.messages("fixpoint/step")
        #expect(steps.count == 3)
        // The end is mirrored for clients without $/progress.
        #expect(steps.last == ["runId": "run-1", "kind": "run_end", "outcome": "verified", "summary": progress.last?["message"] ?? .null])
        #expect(steps.first?["runId"] == "run-1")
        #expect(steps.first?["tool"] == "read_file")
        #expect(steps.first?["cacheHitRate"] == 0.5)
        #expect(client.messages("window/logMessage").contains { $0["message"]?.stringValue?.contains("step 2/300") == true })

        // One edit, needing confirmation: a versioned text edit, a file creation and a deletion.
        let apply = try #require(client.messages("workspace/applyEdit").first)
        #expect(apply["edit"]?["changeAnnotations"]?["fixpoint.fix"]?["needsConfirmation"] == true)
        let changes = try #require(apply["edit"]?["documentChanges"]?.arrayValue)
        #expect(changes.count == 4)
        #expect(DocumentURI(changes[0]["textDocument"]?["uri"]?.stringValue ?? "") == DocumentURI(path: folder.path + "/a.txt"))
        #expect(changes[0]["textDocument"]?["version"] == 5)
        #expect(changes[0]["edits"]?[0] == ["range": TextRange(start: .init(line: 0, character: 5), end: .init(line: 0, character: 5)).json, "newText": " world", "annotationId": "fixpoint.fix"])
        #expect(changes[1]["kind"] == "create")
        #expect(changes[2]["textDocument"]?["version"] == .null)
        #expect(changes[2]["edits"]?[0]?["newText"] == "new\n")
        #expect(changes[3]["kind"] == "delete")
        #expect(changes.allSatisfy { $0["annotationId"] == "fixpoint.fix" || $0["edits"]?[0]?["annotationId"] == "fixpoint.fix" })
        // The server never writes the files itself when the client applies the edit.
        #expect(folder.read("a.txt") == "hello\n")
        #expect(folder.read("new.txt") == nil)
    }

    @Test func aTestOnlyPatchIsNotOffered() async throws {
        let folder = try TempFolder(files: ["test_a.py": "assert 1 == 2\n"])
        var report = RunReport(status: .unverified, endReason: .submitted, patch: "--- a/test_a.py\n+++ b/test_a.py\n", filesChanged: ["test_a.py"], steps: 2)
        report.tests.testFilesTouched = ["test_a.py"]
        let outcome = FixOutcome(report: report, changes: [FileChange(path: "test_a.py", before: "assert 1 == 2\n", after: "assert 1 == 1\n")])
        let client = await TestClient(runner: ScriptedRunner.finishing(with: outcome, record: Recorder()), answer: answering(applied: true))
        try await client.initialize(rootPath: folder.path)
        let result = try await client.request("workspace/executeCommand", fix())
        #expect(result["tests"]?["test_files_touched"] == ["test_a.py"])
        #expect(client.messages("workspace/applyEdit").isEmpty)
        #expect(client.messages("window/showMessage").contains { $0["message"]?.stringValue?.contains("changes only test files") == true })
        #expect(folder.read("test_a.py") == "assert 1 == 2\n")
    }

    @Test func aDeclinedEditStaysAvailableToApplyFix() async throws {
        let folder = try TempFolder(files: ["a.txt": "hello\n", "old.txt": "bye\n"])
        let outcome = FixOutcome(report: verified, changes: [
            FileChange(path: "a.txt", before: "hello\n", after: "hello world\n"),
            FileChange(path: "sub/new.txt", before: nil, after: "new\n"),
            FileChange(path: "old.txt", before: "bye\n", after: nil),
        ])
        let client = await TestClient(runner: ScriptedRunner.finishing(with: outcome), answer: answering(applied: false))
        try await client.initialize(rootPath: folder.path)
        _ = try await client.request("workspace/executeCommand", fix())
        let message = try await client.waitFor("window/showMessage")
        #expect(message["message"]?.stringValue?.contains("not applied") == true)
        #expect(message["message"]?.stringValue?.contains("fixpoint.applyFix") == true)

        let applied = try await client.request("workspace/executeCommand", ["command": "fixpoint.applyFix", "arguments": [["runId": "run-1"]]])
        #expect(applied["applied"] == ["a.txt", "sub/new.txt", "old.txt"])
        #expect(applied["skipped"] == [])
        #expect(folder.read("a.txt") == "hello world\n")
        #expect(folder.read("sub/new.txt") == "new\n")
        #expect(folder.read("old.txt") == nil)

        let again = try await client.requestError("workspace/executeCommand", ["command": "fixpoint.applyFix", "arguments": [["runId": "run-1"]]])
        #expect(again.message.contains("already applied"))
        let unknown = try await client.requestError("workspace/executeCommand", ["command": "fixpoint.applyFix", "arguments": [["runId": "run-9"]]])
        #expect(unknown.code == -32602)
        #expect(unknown.message.contains("arguments[0].runId"))
    }

    @Test func documentsChangedDuringTheRunAreNotOffered() async throws {
        let folder = try TempFolder(files: ["a.txt": "one\n", "b.txt": "two\n", "c.txt": "three\n"])
        let gate = Gate()
        let outcome = FixOutcome(report: verified, changes: [
            FileChange(path: "a.txt", before: "one\n", after: "ONE\n"),
            FileChange(path: "b.txt", before: "two\n", after: "TWO\n"),
            FileChange(path: "c.txt", before: "three\n", after: "THREE\n"),
        ])
        // The user declines the offered edit, then asks the server to write the run to disk.
        let client = await TestClient(runner: ScriptedRunner.gated(gate, outcome: outcome), answer: answering(applied: false))
        try await client.initialize(rootPath: folder.path)
        let a = JSON.string(folder.uri("a.txt"))
        client.notify("textDocument/didOpen", ["textDocument": ["uri": a, "languageId": "text", "version": 1, "text": "one\n"]])
        let run = Task { try await client.request("workspace/executeCommand", fix()) }
        try await client.waitFor("fixpoint/step")
        // While the run goes on: the user types in a.txt, and c.txt changes on disk.
        client.notify("textDocument/didChange", ["textDocument": ["uri": a, "version": 2], "contentChanges": [["text": "one!\n"]]])
        try folder.write("c.txt", "changed elsewhere\n")
        // Other requests are still answered promptly.
        _ = try await client.request("textDocument/codeAction", ["textDocument": ["uri": a], "range": ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 0]]])
        gate.open()
        _ = try await run.value

        let warning = try await client.waitFor("window/showMessage") { $0["type"] == 2 }
        let text = warning["message"]?.stringValue ?? ""
        #expect(text.contains("a.txt (it was edited since the run started (version 1 → 2))"))
        #expect(text.contains("c.txt (its text changed since the run started)"))
        let changes = try #require(client.messages("workspace/applyEdit").first?["edit"]?["documentChanges"]?.arrayValue)
        #expect(changes.count == 1)
        #expect(changes[0]["textDocument"]?["uri"]?.stringValue?.hasSuffix("/b.txt") == true)
        #expect(folder.read("c.txt") == "changed elsewhere\n")

        // Writing the run to disk now skips the stale files and says why.
        let applied = try await client.request("workspace/executeCommand", ["command": "fixpoint.applyFix", "arguments": [["runId": "run-1"]]])
        #expect(applied["applied"] == ["b.txt"])
        #expect(applied["skipped"]?.arrayValue?.compactMap { $0["path"]?.stringValue } == ["a.txt", "c.txt"])
        #expect(folder.read("a.txt") == "one\n")
    }

    @Test func applyFixOnAResultThatNoLongerAppliesIsContentModified() async throws {
        let folder = try TempFolder(files: ["a.txt": "one\n"])
        let outcome = FixOutcome(report: verified, changes: [FileChange(path: "a.txt", before: "one\n", after: "ONE\n")])
        let client = await TestClient(runner: ScriptedRunner.finishing(with: outcome), answer: answering(applied: false))
        try await client.initialize(rootPath: folder.path)
        _ = try await client.request("workspace/executeCommand", fix())
        try folder.write("a.txt", "one, edited by hand\n")
        let error = try await client.requestError("workspace/executeCommand", ["command": "fixpoint.applyFix", "arguments": [["runId": "run-1"]]])
        #expect(error.code == -32801)
        #expect(error.message.contains("a.txt (its text changed since the run started)"))
        #expect(folder.read("a.txt") == "one, edited by hand\n")
    }

    @Test func clientsWithoutApplyEditGetThePatchAsAMessage() async throws {
        let folder = try TempFolder(files: ["a.txt": "hello\n"])
        let outcome = FixOutcome(report: verified, changes: [FileChange(path: "a.txt", before: "hello\n", after: "hello world\n")])
        let client = await TestClient(runner: ScriptedRunner.finishing(with: outcome))
        try await client.initialize(rootPath: folder.path, capabilities: [:])
        // The client's own token carries progress even though it did not announce workDoneProgress.
        var params = fix()
        if case .object(var object) = params { object["workDoneToken"] = "client-token"; params = .object(object) }
        _ = try await client.request("workspace/executeCommand", params)
        #expect(client.messages("window/workDoneProgress/create").isEmpty)
        #expect(client.messages("$/progress").allSatisfy { $0["token"] == "client-token" })
        #expect(client.messages("$/progress").count == 4)
        #expect(client.messages("workspace/applyEdit").isEmpty)
        let message = try await client.waitFor("window/showMessage")
        #expect(message["message"]?.stringValue?.contains(verified.patch) == true)
    }

    @Test func settingsComeFromEditorTomlAndArgumentsInThatOrder() async throws {
        let folder = try TempFolder(files: ["fixpoint.toml": "# project settings\ntestCommand = \"make test\"  # ours\nmaxSteps = 7\n"])
        let recorder = Recorder()
        let client = await TestClient(runner: ScriptedRunner.finishing(with: .init(report: .init(status: .noPatch, endReason: .maxSteps), changes: []), steps: 1, record: recorder))
        try await client.initialize(rootPath: folder.path, options: ["testCommand": "npm test", "heavy": 2, "modelUrl": "http://127.0.0.1:9/v1", "model": "kimi", "apiKeyEnv": "KIMI_KEY"])
        _ = try await client.request("workspace/executeCommand", fix(testCommand: nil))
        client.notify("workspace/didChangeConfiguration", ["settings": ["fixpoint": ["heavy": 3]]])
        _ = try await client.request("workspace/executeCommand", fix(testCommand: "pytest -x", extra: ["maxSteps": 50]))
        let requests = recorder.requests
        #expect(requests.map(\.testCommand) == ["make test", "pytest -x"])
        #expect(requests.map(\.maxSteps) == [7, 50])
        #expect(requests.map(\.heavy) == [2, 3])
        #expect(recorder.models.first == .remote(baseURL: "http://127.0.0.1:9/v1", model: "kimi", apiKeyEnv: "KIMI_KEY"))

        let badArg = try await client.requestError("workspace/executeCommand", fix(extra: ["heavy": 0]))
        #expect(badArg.code == -32602)
        #expect(badArg.message.contains("params.arguments[0].heavy"))
        try folder.write("fixpoint.toml", "testCommand = \"open\n")
        let broken = try await client.requestError("workspace/executeCommand", fix())
        #expect(broken.message.contains("fixpoint.toml: line 1"))
    }

    @Test func aRunNeedsATestCommandAndAnIssue() async throws {
        let folder = try TempFolder()
        let client = await TestClient()
        try await client.initialize(rootPath: folder.path)
        let noTests = try await client.requestError("workspace/executeCommand", fix(testCommand: nil))
        #expect(noTests.code == -32602)
        #expect(noTests.message.contains("params.arguments[0].testCommand"))
        let noIssue = try await client.requestError("workspace/executeCommand", ["command": "fixpoint.fixIssue", "arguments": [["testCommand": "true"]]])
        #expect(noIssue.message.contains("params.arguments[0].issue"))
    }
}
