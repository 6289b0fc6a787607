import JSONValue
import ModelTestSupport
import Testing
@testable import ModelClient

/// The fake model server other test targets (the agent's) script turns with.
@Suite struct ScriptedChatServerTests {
    @Test func turnsInOrderWithFaultsInjected() async throws {
        let server = try LoopbackServer.chatServer(
            turns: [
                ChatScript(toolCalls: [ToolCall(id: "functions.read_file:0", name: "read_file", arguments: "{\"path\":\"a\"}")]),
                ChatScript(content: "done"),
            ],
            contextSize: 8192,
            fault: { _, n in n == 1 ? .error(status: 503, message: "busy") : nil })
        let c = client(server)
        let info = try await c.probe()
        #expect(info.contextSize == 8192)
        let first = try await c.complete(request()) { _ in }
        #expect(first.message.toolCalls.first?.id == "functions.read_file:0")
        let second = try await c.complete(request(stream: false)) { _ in }
        #expect(second.message.content == "done")
        #expect(second.telemetry.retries.count == 1)  // the injected 503
        #expect(server.chatRequests.count == 3)
        let third = await expectError { try await c.complete(request()) { _ in } }
        #expect(third?.description.contains("no more scripted turns") == true)
    }
}
