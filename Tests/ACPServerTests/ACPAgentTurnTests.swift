import Agent
import Foundation
import JSONRPC
import JSONValue
import ModelClient
import ModelTestSupport
import Runs
import Testing
@testable import ACPServer

/// Whole turns with the real agent (real Fixer, model client, snapshots, tests) against a loopback model
/// server that plays a scripted model.
@Suite struct ACPAgentTurnTests {
    static let files = [
        "calc.py": "def add(a, b):\n    return a - b\n",
        "test.sh": "python3 -c 'from calc import add; assert add(2, 3) == 5'\n",
    ]

    static func model() throws -> LoopbackServer {
        try LoopbackServer.chatServer(turns: [
            ChatScript(content: "The sign is wrong.", reasoning: "add subtracts", toolCalls: [
                ToolCall(id: "c1", name: "edit_file", arguments: #"{"path":"calc.py","old_text":"a - b","new_text":"a + b"}"#),
            ]),
            ChatScript(toolCalls: [ToolCall(id: "c2", name: "submit", arguments: #"{"summary":"add adds"}"#)]),
        ])
    }

    @Test func anAllowedVerifiedFixIsWrittenAfterAskingWithToolCallsAndADiff() async throws {
        let repo = try await TempRepository(files: Self.files)
        let model = try Self.model()
        defer { model.stop() }
        let client = await ACPTestClient(runs: RunService(), settings: ACPTestClient.settings(testCommand: "sh test.sh", modelURL: model.baseURL))
        let sessionID = try await client.openSession(cwd: repo.path)
        let answer = try await client.prompt(sessionID, "add subtracts instead of adding")
        #expect(answer["stopReason"] == "end_turn")
        #expect(repo.read("calc.py") == "def add(a, b):\n    return a + b\n")

        let edit = client.updates.filter { $0["toolCallId"] == "t0-1-c1" }
        #expect(edit.map { $0["status"]?.stringValue ?? "" } == ["pending", "in_progress", "completed"])
        #expect(edit.first?["kind"] == "edit")
        let diff = edit.last?["content"]?.arrayValue?.first { $0["type"] == "diff" }
        #expect(diff?["path"]?.stringValue == repo.path + "/calc.py")
        #expect(diff?["oldText"]?.stringValue?.contains("a - b") == true)
        #expect(diff?["newText"]?.stringValue?.contains("a + b") == true)
        #expect(client.updates("agent_thought_chunk").contains { $0["content"]?["text"] == "add subtracts" })
        #expect(client.updates("agent_message_chunk").contains { $0["content"]?["text"] == "The sign is wrong." })
        #expect(client.messageText.contains("Verified fix"))
        #expect(client.messageText.contains("Tests with the patch (fresh copy): passed (exit 0)"))
        let permission = try #require(client.serverRequests("session/request_permission").first)
        #expect(permission["options"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } == ["allow_once", "reject_once"])
        #expect(permission["toolCall"]?["content"]?[0]?["type"] == "diff")
        #expect(client.updates("plan").last?["entries"]?.arrayValue?.allSatisfy { $0["status"] == "completed" } == true)
        await client.close()
    }

    @Test func aRejectedPermissionLeavesTheRepositoryUntouched() async throws {
        let repo = try await TempRepository(files: Self.files)
        let model = try Self.model()
        defer { model.stop() }
        let client = await ACPTestClient(runs: RunService(), settings: ACPTestClient.settings(testCommand: "sh test.sh", modelURL: model.baseURL),
                                         answer: ACPTestClient.reject)
        let sessionID = try await client.openSession(cwd: repo.path)
        #expect(try await client.prompt(sessionID, "add subtracts")["stopReason"] == "end_turn")
        #expect(client.serverRequests("session/request_permission").count == 1)
        #expect(repo.read("calc.py") == Self.files["calc.py"])
        #expect(client.messageText.contains("not written"))
        await client.close()
    }

    @Test func autoApplyWritesThroughTheClientWithoutAsking() async throws {
        let repo = try await TempRepository(files: Self.files)
        let model = try Self.model()
        defer { model.stop() }
        // The client writes for the agent (as an editor would, into its buffers and to disk).
        let client = await ACPTestClient(runs: RunService(), settings: ACPTestClient.settings(testCommand: "sh test.sh", modelURL: model.baseURL),
                                         answer: { method, params in
            guard method == "fs/write_text_file", let path = params?["path"]?.stringValue, let content = params?["content"]?.stringValue else {
                return .success(.null)
            }
            return Result { try Data(content.utf8).write(to: URL(fileURLWithPath: path)) }.map { .null }.mapError { .internalError("\($0)") }
        })
        let sessionID = try await client.openSession(cwd: repo.path, fs: ["readTextFile": false, "writeTextFile": true])
        _ = try await client.request("session/set_mode", ["sessionId": .string(sessionID), "modeId": "auto-apply"])
        #expect(try await client.prompt(sessionID, "add subtracts")["stopReason"] == "end_turn")
        #expect(client.serverRequests("session/request_permission").isEmpty)
        #expect(client.serverRequests("fs/write_text_file").map { $0["path"]?.stringValue } == [repo.path + "/calc.py"])
        #expect(repo.read("calc.py") == "def add(a, b):\n    return a + b\n")
        await client.close()
    }

    /// A linked file is read through the client (its unsaved buffer), so the run sees what the user sees:
    /// the model's edit only matches the buffer's text, not the disk's.
    @Test func linkedFilesAreReadThroughTheClientIntoTheSnapshot() async throws {
        let repo = try await TempRepository(files: Self.files)
        let model = try LoopbackServer.chatServer(turns: [
            ChatScript(toolCalls: [ToolCall(id: "c1", name: "edit_file", arguments: #"{"path":"calc.py","old_text":"a * b","new_text":"a + b"}"#)]),
            ChatScript(toolCalls: [ToolCall(id: "c2", name: "submit", arguments: #"{"summary":"add adds"}"#)]),
        ])
        defer { model.stop() }
        let buffer = "def add(a, b):\n    return a * b\n"
        let client = await ACPTestClient(runs: RunService(), settings: ACPTestClient.settings(testCommand: "sh test.sh", modelURL: model.baseURL),
                                         answer: { method, params in
            switch method {
            case "fs/read_text_file": .success(["content": .string(buffer)])
            case "session/request_permission": .success(["outcome": ["outcome": "cancelled"]])
            default: .success(.null)
            }
        })
        let sessionID = try await client.openSession(cwd: repo.path, fs: ["readTextFile": true, "writeTextFile": false])
        let answer = try await client.request("session/prompt", ["sessionId": .string(sessionID), "prompt": [
            ["type": "text", "text": "add multiplies"],
            ["type": "resource_link", "uri": .string(URL(fileURLWithPath: repo.path + "/calc.py").absoluteString), "name": "calc.py"],
        ]], timeout: 60)
        #expect(answer["stopReason"] == "end_turn")
        #expect(client.serverRequests("fs/read_text_file").first?["path"]?.stringValue == repo.path + "/calc.py")
        #expect(client.messageText.contains("Verified fix"), "\(client.messageText)")
        // The permission was cancelled: nothing written.
        #expect(repo.read("calc.py") == Self.files["calc.py"])
        await client.close()
    }
}
