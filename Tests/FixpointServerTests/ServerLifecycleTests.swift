import Agent
import Foundation
import JSONRPC
import JSONValue
import Testing
@testable import FixpointServer

@Suite struct ServerLifecycleTests {
    @Test func requestsBeforeInitializeAreRefused() async throws {
        let client = await TestClient()
        let error = try await client.requestError("textDocument/codeAction", [:])
        #expect(error.code == -32002)
        let shutdown = try await client.requestError("shutdown")
        #expect(shutdown.code == -32002)
    }

    @Test func initializeAdvertisesWhatTheServerDoes() async throws {
        let folder = try TempFolder()
        let client = await TestClient()
        let result = try await client.initialize(rootPath: folder.path)
        #expect(result["serverInfo"]?["name"] == "fixpoint")
        let capabilities = try #require(result["capabilities"])
        #expect(capabilities["textDocumentSync"]?["change"] == 2)
        #expect(capabilities["codeActionProvider"] != nil)
        #expect(capabilities["executeCommandProvider"]?["commands"] == ["fixpoint.fixIssue", "fixpoint.cancel", "fixpoint.applyFix", "fixpoint.proposedDiff", "fixpoint.resumeFix"])
        #expect(capabilities["workspace"]?["workspaceFolders"]?["supported"] == true)

        let again = try await client.requestError("initialize", ["capabilities": [:]])
        #expect(again.code == -32600)
        #expect(again.message.contains("already"))
    }

    @Test func unknownMethodsAndBadParamsAreTypedErrors() async throws {
        let client = await TestClient()
        try await client.initialize()
        let unknown = try await client.requestError("textDocument/hover", [:])
        #expect(unknown.code == -32601)
        #expect(unknown.message.contains("textDocument/hover"))
        let bad = try await client.requestError("textDocument/codeAction", ["textDocument": ["uri": 42]])
        #expect(bad.code == -32602)
        #expect(bad.message.contains("params.textDocument.uri"))
        let command = try await client.requestError("workspace/executeCommand", ["command": "fixpoint.nope"])
        #expect(command.code == -32602)
        #expect(command.message.contains("params.command"))
        // Unknown notifications, `$/` or not, get no answer and do not disturb the session.
        client.notify("$/setTrace", ["value": "off"])
        client.notify("custom/thing", [:])
        #expect(try await client.request("textDocument/codeAction", ["textDocument": ["uri": "file:///x"], "range": ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 0]]]) == [])
    }

    @Test func shutdownThenExitEndsWithZero() async throws {
        let client = await TestClient()
        try await client.initialize()
        #expect(try await client.request("shutdown") == .null)
        let after = try await client.requestError("textDocument/codeAction", [:])
        #expect(after.code == -32600)
        client.notify("exit")
        #expect(try await client.serverExitCode() == 0)
    }

    @Test func exitWithoutShutdownEndsWithOne() async throws {
        let client = await TestClient()
        try await client.initialize()
        client.notify("exit")
        #expect(try await client.serverExitCode() == 1)
    }

    @Test func endOfInputEndsTheServerAndItsRuns() async throws {
        let folder = try TempFolder()
        let gate = Gate()  // never opened: the run only ends by cancellation
        let client = await TestClient(runner: ScriptedRunner.gated(gate, outcome: .init(report: .init(status: .verified, endReason: .submitted), changes: [])))
        try await client.initialize(rootPath: folder.path)
        let run = Task { try? await client.request("workspace/executeCommand", ["command": "fixpoint.fixIssue", "arguments": [["issue": "x", "testCommand": "true"]]]) }
        try await client.waitFor("fixpoint/step")
        client.closeInput()
        #expect(try await client.serverExitCode() == 1)
        run.cancel()
    }
}
