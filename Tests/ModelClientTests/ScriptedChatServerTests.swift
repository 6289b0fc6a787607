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

    /// The stream ends as this project's llama-server ends it (captured in ServerFormatTests): the
    /// finish chunk without numbers, then one usage-only chunk (`choices: []`) carrying `usage` and
    /// `timings` together, so tests of telemetry see what the real server sends.
    @Test func theLastChunksAreShapedLikeLlamaServers() async throws {
        let script = ChatScript(content: "hi", finishReason: "stop", usage: Usage(promptTokens: 29, completionTokens: 2, cachedPromptTokens: 28),
                                timings: ["cache_n": 28, "prompt_n": 1, "prompt_ms": 5.0, "predicted_n": 2, "predicted_ms": 40.0])
        let chunks = script.chunks()
        let finish = try #require(chunks.dropLast().last)
        #expect(finish["choices"]?[0]?["finish_reason"]?.stringValue == "stop")
        #expect(finish["timings"] == nil && finish["usage"] == nil)
        let last = try #require(chunks.last)
        #expect(last["choices"] == .array([]))
        #expect(last["usage"]?["prompt_tokens_details"]?["cached_tokens"]?.intValue == 28)
        #expect(last["timings"]?["cache_n"]?.intValue == 28)

        let server = try LoopbackServer.chatServer(turns: [script])
        defer { server.stop() }
        let r = try await client(server).complete(request()) { _ in }
        #expect(r.usage == Usage(promptTokens: 29, completionTokens: 2, cachedPromptTokens: 28))
        #expect(r.telemetry.server == ServerTimings(cachedTokens: 28, promptTokens: 1, promptMs: 5, generatedTokens: 2, generationMs: 40))
    }
}
