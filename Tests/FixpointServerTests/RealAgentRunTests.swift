import Agent
import ChildProcess
import Foundation
import JSONRPC
import JSONValue
import ModelClient
import ModelTestSupport
import Testing
@testable import FixpointServer
import Runs

/// The language server driving the real agent (real Fixer, model client, snapshots and tests) against a
/// loopback model server; the user declines the offered edit, then asks the server to apply it, which
/// goes through the Git layer's safe apply.
@Suite struct RealAgentRunTests {
    @Test func aRealRunIsOfferedThenAppliedThroughTheGitLayer() async throws {
        let folder = try TempFolder(files: [
            "calc.py": "def add(a, b):\n    return a - b\n",
            "test.sh": "python3 -c 'from calc import add; assert add(2, 3) == 5'\n",
        ])
        let model = try LoopbackServer.chatServer(turns: [
            ChatScript(toolCalls: [ToolCall(id: "c1", name: "edit_file", arguments: #"{"path":"calc.py","old_text":"a - b","new_text":"a + b"}"#)]),
            ChatScript(toolCalls: [ToolCall(id: "c2", name: "submit", arguments: #"{"summary":"add adds"}"#)]),
        ])
        defer { model.stop() }
        // The model server comes from the folder's fixpoint.toml, as a user would configure it.
        try folder.write("fixpoint.toml", "modelUrl = \"\(model.baseURL)\"\ntestCommand = \"sh test.sh\"\n")
        let git = try await ChildProcess.shell("git init -q && git add -A && git -c user.name=t -c user.email=t@e commit -qm base", in: folder.path)
        try #require(git.status == .exited(0))

        let declineEdits: @Sendable (String, JSON?) -> Result<JSON, ResponseError> = { method, _ in
            method == "workspace/applyEdit" ? .success(["applied": false]) : .success(.null)
        }
        let client = await TestClient(runner: FixRunners.agent, answer: declineEdits)
        try await client.initialize(rootPath: folder.path)
        let report = try await client.request("workspace/executeCommand", [
            "command": "fixpoint.fixIssue", "arguments": [["issue": "add subtracts"]],
        ], timeout: 60)
        #expect(report["status"] == "verified", "\(report)")
        #expect(folder.read("calc.py") == "def add(a, b):\n    return a - b\n")  // declined: untouched

        let runID = try #require(client.messages("fixpoint/step").first?["runId"]?.stringValue)
        let applied = try await client.request("workspace/executeCommand", ["command": "fixpoint.applyFix", "arguments": [["runId": .string(runID)]]], timeout: 60)
        #expect(applied["applied"] == ["calc.py"])
        #expect(folder.read("calc.py") == "def add(a, b):\n    return a + b\n")
        _ = await client.finish()
    }

    /// The editor opened a folder below the repository root: unsaved buffers and the result map onto
    /// repository-relative paths both ways.
    @Test func aWorkspaceFolderInsideTheRepositoryMapsPathsThroughTheRoot() async throws {
        let repo = try TempFolder(files: [
            "sub/calc.py": "def add(a, b):\n    return a - b\n",
            "sub/test.sh": "cd sub && python3 -c 'from calc import add; assert add(2, 3) == 5'\n",
        ])
        let model = try LoopbackServer.chatServer(turns: [
            ChatScript(toolCalls: [ToolCall(id: "c1", name: "edit_file", arguments: #"{"path":"sub/calc.py","old_text":"a * b","new_text":"a + b"}"#)]),
            ChatScript(toolCalls: [ToolCall(id: "c2", name: "submit", arguments: #"{"summary":"add adds"}"#)]),
        ])
        defer { model.stop() }
        try repo.write("sub/fixpoint.toml", "modelUrl = \"\(model.baseURL)\"\ntestCommand = \"sh sub/test.sh\"\n")
        let git = try await ChildProcess.shell("git init -q && git add -A && git -c user.name=t -c user.email=t@e commit -qm base", in: repo.path)
        try #require(git.status == .exited(0))

        let client = await TestClient(runner: FixRunners.agent, answer: { method, _ in
            method == "workspace/applyEdit" ? .success(["applied": false]) : .success(.null)
        })
        try await client.initialize(rootPath: repo.path + "/sub")
        // An unsaved buffer (a - b written as a * b): the model's edit only matches the buffer's text.
        client.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(repo.uri("sub/calc.py")), "languageId": "python", "version": 1, "text": "def add(a, b):\n    return a * b\n",
        ]])
        let report = try await client.request("workspace/executeCommand", [
            "command": "fixpoint.fixIssue", "arguments": [["issue": "add multiplies"]],
        ], timeout: 60)
        #expect(report["status"] == "verified", "\(report)")
        #expect(report["files_changed"] == ["sub/calc.py"])
        // The offered edit names the real file (not <folder>/sub/calc.py) at the buffer's version.
        let edit = try #require(client.messages("workspace/applyEdit").first)
        let documents = edit["edit"]?["documentChanges"]?.arrayValue ?? []
        let uris = documents.compactMap { $0["textDocument"]?["uri"]?.stringValue }
        #expect(uris == [repo.uri("sub/calc.py")], "\(edit)")
        #expect(documents.first?["textDocument"]?["version"] == 1)
        _ = await client.finish()  // the run's kept base goes with the server
    }
}
