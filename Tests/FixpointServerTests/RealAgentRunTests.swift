import Agent
import ChildProcess
import Foundation
import JSONRPC
import JSONValue
import ModelClient
import ModelTestSupport
import Testing
@testable import FixpointServer

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
    }
}
