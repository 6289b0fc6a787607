import Agent
import Foundation
import JSONRPC
import JSONValue
import Runs
import Testing
@testable import ACPServer

/// The protocol surface with scripted runners: lifecycle, modes, errors that keep the connection up,
/// cancellation, stop reasons.
@Suite struct ACPProtocolTests {
    @Test func initializeAndNewSessionSayWhatFixpointDoes() async throws {
        let repo = try await TempRepository(files: ["a.txt": "a\n"])
        let client = await ACPTestClient(runs: RunService(runner: ScriptedRunner.waitingForCancel))
        let initialized = try await client.request("initialize", ["protocolVersion": 1, "clientCapabilities": [:]])
        #expect(initialized["protocolVersion"] == 1)
        #expect(initialized["authMethods"] == [])
        #expect(initialized["agentCapabilities"]?["loadSession"] == false)
        #expect(initialized["agentCapabilities"]?["promptCapabilities"]?["embeddedContext"] == true)
        #expect(try await client.request("authenticate", ["methodId": "none"]) == [:])

        let session = try await client.request("session/new", ["cwd": .string(repo.path), "mcpServers": [["name": "files", "command": "x", "args": [], "env": []]]])
        #expect(session["sessionId"] == "session-1")
        #expect(session["modes"]?["currentModeId"] == "ask")
        #expect(session["modes"]?["availableModes"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["ask", "auto-apply"])
        #expect(session["_meta"]?["fixpoint"]?["mcpServers"]?.stringValue?.contains("ignores the 1 MCP server") == true)
        #expect(try await client.request("session/set_mode", ["sessionId": "session-1", "modeId": "auto-apply"]) == [:])
        let badMode = try await client.requestError("session/set_mode", ["sessionId": "session-1", "modeId": "yolo"])
        #expect(badMode.code == -32602 && badMode.message.contains("ask, auto-apply"))
        await client.close()
    }

    @Test func badInputIsAnsweredWithErrorsAndTheConnectionStaysUp() async throws {
        let repo = try await TempRepository(files: ["a.txt": "a\n"])
        let client = await ACPTestClient(runs: RunService(runner: ScriptedRunner.waitingForCancel))
        let sessionID = try await client.openSession(cwd: repo.path)

        // Malformed JSON is answered with -32700 (id null) and costs nothing else.
        client.transport.write(Array("{not json\n".utf8))
        #expect(try await client.requestError("session/load", ["sessionId": .string(sessionID)]).code == -32601)
        let unknown = try await client.requestError("session/prompt", ["sessionId": "nope", "prompt": [["type": "text", "text": "x"]]])
        #expect(unknown.code == -32602 && unknown.message.contains("no session 'nope'"))
        let empty = try await client.requestError("session/prompt", ["sessionId": .string(sessionID), "prompt": [["type": "image", "data": "", "mimeType": "image/png"]]])
        #expect(empty.code == -32602 && empty.message.contains("has no text"))
        let noFolder = try await client.requestError("session/new", ["cwd": "relative/path", "mcpServers": []])
        #expect(noFolder.code == -32602)

        // A second prompt while one runs is refused; the first is then cancelled and says so.
        let first = Task { try await client.prompt(sessionID, "fix it") }
        try await client.waitFor { !client.runs.activeRuns.isEmpty }
        let second = try await client.requestError("session/prompt", ["sessionId": .string(sessionID), "prompt": [["type": "text", "text": "again"]]])
        #expect(second.code == -32600 && second.message.contains("already running"))
        // The runner ends only when cancelled, so an answer at all says the cancel reached the run (the
        // prompt's 60 s guard fails the test instead of hanging it).
        client.notify("session/cancel", ["sessionId": .string(sessionID)])
        #expect(try await first.value["stopReason"] == "cancelled")
        #expect(client.runs.activeRuns.isEmpty)
        // Still up: the session takes a new prompt request (refused for its test command below).
        #expect(try await client.request("session/set_mode", ["sessionId": .string(sessionID), "modeId": "ask"]) == [:])
        await client.close()
    }

    @Test func setupProblemsAreErrorsThatSayWhatToDo() async throws {
        let repo = try await TempRepository(files: ["a.txt": "a\n"])
        let client = await ACPTestClient(runs: RunService(runner: ScriptedRunner.waitingForCancel), settings: ACPTestClient.settings(testCommand: nil))
        let sessionID = try await client.openSession(cwd: repo.path)
        let error = try await client.requestError("session/prompt", ["sessionId": .string(sessionID), "prompt": [["type": "text", "text": "x"]]])
        #expect(error.code == -32603 && error.message.contains("--test-cmd") && error.message.contains(repo.path + "/fixpoint.toml"), "\(error)")
        // A broken fixpoint.toml names the file.
        try repo.write("fixpoint.toml", "maxSteps = \"many\"\n")
        let broken = try await client.requestError("session/prompt", ["sessionId": .string(sessionID), "prompt": [["type": "text", "text": "x"]]])
        #expect(broken.message.contains("fixpoint.toml"), "\(broken)")
        await client.close()
    }

    @Test func theStepBudgetEndsTheTurnWithMaxTurnRequests() async throws {
        let repo = try await TempRepository(files: ["a.txt": "a\n"])
        let outcome = FixOutcome(report: RunReport(status: .noPatch, endReason: .maxSteps, steps: 3), changes: [])
        let client = await ACPTestClient(runs: RunService(runner: ScriptedRunner.finishing(with: outcome)))
        let sessionID = try await client.openSession(cwd: repo.path)
        #expect(try await client.prompt(sessionID, "fix it")["stopReason"] == "max_turn_requests")
        #expect(client.messageText.contains("No fix"))
        #expect(client.serverRequests("session/request_permission").isEmpty)
        await client.close()
    }

    @Test func toolCallsGoPendingInProgressCompletedWithADiff() async throws {
        let repo = try await TempRepository(files: ["a.txt": "a\n"])
        let change = FileChange(path: "a.txt", before: "a\n", after: "A\n")
        var report = RunReport(status: .unverified, endReason: .submitted, steps: 1)
        report.patch = "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+A\n"
        let client = await ACPTestClient(runs: RunService(runner: ScriptedRunner.finishing(with: FixOutcome(report: report, changes: [change]))))
        let sessionID = try await client.openSession(cwd: repo.path)
        #expect(try await client.prompt(sessionID, "fix it")["stopReason"] == "end_turn")

        let calls = client.updates.filter { $0["toolCallId"] == "t0-1-c1" }
        #expect(calls.map { $0["status"]?.stringValue ?? "" } == ["pending", "in_progress", "completed"])
        #expect(calls.first?["sessionUpdate"] == "tool_call")
        #expect(calls.first?["kind"] == "edit")
        #expect(calls.first?["locations"] == [["path": .string(repo.path + "/a.txt")]])
        let diff = calls.last?["content"]?.arrayValue?.first { $0["type"] == "diff" }
        #expect(diff == ["type": "diff", "path": .string(repo.path + "/a.txt"), "oldText": "a\n", "newText": "A\n"])
        #expect(client.updates("agent_thought_chunk").first?["content"]?["text"] == "a.txt has the bug")
        #expect(client.updates("plan").first?["entries"]?.arrayValue?.count == 4)
        // Unverified: reported, never written, nothing asked.
        #expect(client.messageText.contains("Not verified"))
        #expect(client.serverRequests("session/request_permission").isEmpty)
        #expect(repo.read("a.txt") == "a\n")
        await client.close()
    }
}
