import JSONValue
import ModelTestSupport
import Synchronization
import Testing
@testable import ModelClient

/// Answers in the wire formats of vLLM and SGLang (kimi_k2 tool and reasoning parsers) and of
/// llama.cpp's llama-server, streamed and not.
@Suite struct ServerFormatTests {
    /// vLLM with `--tool-call-parser kimi_k2 --reasoning-parser kimi_k2`: reasoning under
    /// `reasoning_content`, ids like `functions.read_file:0`, arguments streamed in pieces,
    /// a usage-only chunk (choices: []) last because of `stream_options.include_usage`.
    static let vllmKimiStream = """
    data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"moonshotai/Kimi-K2-Thinking","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

    data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"moonshotai/Kimi-K2-Thinking","choices":[{"index":0,"delta":{"reasoning_content":"The test fails in a.swift; "},"logprobs":null,"finish_reason":null}]}

    data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"moonshotai/Kimi-K2-Thinking","choices":[{"index":0,"delta":{"reasoning_content":"read it."},"logprobs":null,"finish_reason":null}]}

    data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"moonshotai/Kimi-K2-Thinking","choices":[{"index":0,"delta":{"tool_calls":[{"id":"functions.read_file:0","type":"function","index":0,"function":{"name":"read_file","arguments":""}}]},"logprobs":null,"finish_reason":null}]}

    data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"moonshotai/Kimi-K2-Thinking","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"path\\": \\"src"}}]},"logprobs":null,"finish_reason":null}]}

    data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"moonshotai/Kimi-K2-Thinking","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"/a.swift\\"}"}}]},"logprobs":null,"finish_reason":null}]}

    data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"moonshotai/Kimi-K2-Thinking","choices":[{"index":0,"delta":{"tool_calls":[{"id":"functions.search:1","type":"function","index":1,"function":{"name":"search","arguments":"{\\"pattern\\":\\"foo\\"}"}}]},"logprobs":null,"finish_reason":null}]}

    data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"moonshotai/Kimi-K2-Thinking","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls","stop_reason":163586}]}

    data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"moonshotai/Kimi-K2-Thinking","choices":[],"usage":{"prompt_tokens":1200,"total_tokens":1260,"completion_tokens":60,"prompt_tokens_details":{"cached_tokens":1024}}}

    data: [DONE]


    """

    @Test func vllmKimiK2StreamKeepsIdsArgumentsAndReasoning() async throws {
        let server = try LoopbackServer(replies: [.sseRaw(Self.vllmKimiStream, chunkSize: 37)])
        let log = DeltaLog()
        let r = try await client(server).complete(request()) { log.append($0) }
        #expect(r.message.role == .assistant)
        #expect(r.message.reasoning == "The test fails in a.swift; read it.")
        #expect(r.message.reasoningField == .reasoningContent)
        #expect(r.message.toolCalls == [
            ToolCall(id: "functions.read_file:0", name: "read_file", arguments: "{\"path\": \"src/a.swift\"}"),
            ToolCall(id: "functions.search:1", name: "search", arguments: "{\"pattern\":\"foo\"}"),
        ])
        #expect(r.message.content == nil)
        #expect(r.finishReason == "tool_calls")
        #expect(r.usage == Usage(promptTokens: 1200, completionTokens: 60, cachedPromptTokens: 1024))
        #expect(r.recoveredFromText == false)
        #expect(r.formatErrors.isEmpty)
        #expect(log.all.contains(.toolCall(name: "read_file")))
        #expect(log.all.contains(.reasoning("read it.")))
        #expect(r.telemetry.timeToFirstTokenS != nil)
        // The kept turn echoes back with the same ids and reasoning field.
        let echoed = r.message.toJSON()
        #expect(echoed["reasoning_content"] == "The test fails in a.swift; read it.")
        #expect(echoed["tool_calls"]?[0]?["id"] == "functions.read_file:0")
        // The request asked for usage in the stream.
        let sent = try #require(server.requests.first?.json)
        #expect(sent["stream_options"]?["include_usage"] == true)
        #expect(server.requests.first?.path == "/v1/chat/completions")
    }

    /// Newer vLLM and some SGLang builds name the field `reasoning`; it must be echoed back as such.
    @Test func reasoningFieldNamedReasoning() async throws {
        let script = ChatScript(content: "Done.", reasoning: "Thinking hard", reasoningField: .reasoning)
        let server = try LoopbackServer { req, _ in script.reply(to: req) }
        let r = try await client(server).complete(request()) { _ in }
        #expect(r.message.reasoning == "Thinking hard")
        #expect(r.message.reasoningField == .reasoning)
        #expect(r.message.toJSON()["reasoning"] == "Thinking hard")
        #expect(r.message.content == "Done.")
    }

    /// SGLang with the kimi_k2 parsers, non-streamed.
    @Test func sglangKimiNonStreamed() async throws {
        let body = """
        {"id":"a1","object":"chat.completion","created":1,"model":"Kimi-K2-Thinking","choices":[{"index":0,"message":{"role":"assistant","content":"","reasoning_content":"Look first.","tool_calls":[{"id":"functions.read_file:3","index":0,"type":"function","function":{"name":"read_file","arguments":"{\\"path\\":\\"README.md\\"}"}}]},"logprobs":null,"finish_reason":"tool_calls","matched_stop":null}],"usage":{"prompt_tokens":500,"total_tokens":520,"completion_tokens":20,"prompt_tokens_details":{"cached_tokens":448}}}
        """
        let server = try LoopbackServer(replies: [.text(body, contentType: "application/json")])
        let r = try await client(server).complete(request(stream: false)) { _ in }
        #expect(r.message.toolCalls == [ToolCall(id: "functions.read_file:3", name: "read_file", arguments: "{\"path\":\"README.md\"}")])
        #expect(r.message.reasoning == "Look first.")
        #expect(r.usage.cachedPromptTokens == 448)
        #expect(server.requests.first?.json?["stream"] == false)
    }

    /// llama-server: `timings` with cache_n and predicted_per_second; CRLF line ends; pings.
    @Test func llamaCppStreamWithTimingsCRLFAndPings() async throws {
        let chunk = { (delta: String, finish: String) in
            "{\"choices\":[{\"finish_reason\":\(finish),\"index\":0,\"delta\":\(delta)}],\"created\":1,\"id\":\"chatcmpl-x\",\"model\":\"qwen\",\"object\":\"chat.completion.chunk\"}"
        }
        var text = ": ping\r\n\r\n"
        text += "data: " + chunk("{\"role\":\"assistant\",\"content\":null}", "null") + "\r\n\r\n"
        text += "data: " + chunk("{\"reasoning_content\":\"hmm\"}", "null") + "\r\n\r\n"
        text += ": ping\r\n\r\n"
        text += "data: " + chunk("{\"content\":\"Hello\"}", "null") + "\r\n\r\n"
        text += "data: " + chunk("{\"content\":\" world\"}", "null") + "\r\n\r\n"
        text += "data: {\"choices\":[{\"finish_reason\":\"stop\",\"index\":0,\"delta\":{}}],\"created\":1,\"id\":\"chatcmpl-x\",\"model\":\"qwen\",\"object\":\"chat.completion.chunk\",\"usage\":{\"completion_tokens\":3,\"prompt_tokens\":40,\"total_tokens\":43},\"timings\":{\"cache_n\":32,\"prompt_n\":8,\"prompt_ms\":10.0,\"predicted_n\":3,\"predicted_ms\":60.0,\"predicted_per_second\":50.0}}\r\n\r\n"
        text += "data: [DONE]\r\n\r\n"
        let server = try LoopbackServer(replies: [.sseRaw(text, chunkSize: 5)])
        let log = DeltaLog()
        let r = try await client(server).complete(request()) { log.append($0) }
        #expect(r.message.content == "Hello world")
        #expect(log.text == "Hello world")
        #expect(r.message.reasoning == "hmm")
        #expect(r.usage == Usage(promptTokens: 40, completionTokens: 3, cachedPromptTokens: 32))
        #expect(r.telemetry.tokensPerSecond == 50.0)
        #expect(r.telemetry.server == ServerTimings(cachedTokens: 32, promptTokens: 8, promptMs: 10, generatedTokens: 3, generationMs: 60))
        #expect(r.finishReason == "stop")
    }

    /// The end of a stream exactly as this project's llama-server build sends it: the finish chunk,
    /// then a usage-only chunk (`choices: []`) carrying both `usage.prompt_tokens_details.cached_tokens`
    /// and `timings`, then `[DONE]`.
    @Test func llamaServerUsageChunkCarriesTimings() async throws {
        let head = "{\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}],\"created\":1796066568,\"id\":\"chatcmpl-zV\",\"model\":\"qwen.gguf\",\"system_fingerprint\":\"b0-unknown\",\"object\":\"chat.completion.chunk\"}"
        let piece = "{\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\"Here\"}}],\"created\":1796066568,\"id\":\"chatcmpl-zV\",\"model\":\"qwen.gguf\",\"system_fingerprint\":\"b0-unknown\",\"object\":\"chat.completion.chunk\"}"
        let finish = "{\"choices\":[{\"finish_reason\":\"length\",\"index\":0,\"delta\":{}}],\"created\":1796066573,\"id\":\"chatcmpl-zV\",\"model\":\"qwen.gguf\",\"system_fingerprint\":\"b0-unknown\",\"object\":\"chat.completion.chunk\"}"
        let usage = "{\"choices\":[],\"created\":1796066538,\"id\":\"chatcmpl-zV\",\"model\":\"qwen.gguf\",\"system_fingerprint\":\"b0-unknown\",\"object\":\"chat.completion.chunk\",\"usage\":{\"completion_tokens\":48,\"prompt_tokens\":29,\"total_tokens\":77,\"prompt_tokens_details\":{\"cached_tokens\":28}},\"timings\":{\"cache_n\":28,\"prompt_n\":1,\"prompt_ms\":226.144,\"prompt_per_token_ms\":226.144,\"prompt_per_second\":4.42196122824395,\"predicted_n\":48,\"predicted_ms\":7167.23,\"predicted_per_token_ms\":149.31729166666666,\"predicted_per_second\":6.697155081083044}}"
        let text = [head, piece, finish, usage].map { "data: \($0)\n\n" }.joined() + "data: [DONE]\n\n"
        let server = try LoopbackServer(replies: [.sseRaw(text, chunkSize: 7)])
        let r = try await client(server).complete(request()) { _ in }
        #expect(r.message.content == "Here")
        #expect(r.finishReason == "length")
        #expect(r.usage == Usage(promptTokens: 29, completionTokens: 48, cachedPromptTokens: 28))
        #expect(r.telemetry.tokensPerSecond == 6.697155081083044)
        let timings = try #require(r.telemetry.server)
        #expect(timings == ServerTimings(cachedTokens: 28, promptTokens: 1, promptMs: 226.144, generatedTokens: 48, generationMs: 7167.23))
        #expect(abs(timings.serverSeconds - 7.393374) < 1e-9)
    }

    @Test func multiLineDataAndMissingDoneWithFinishReasonIsComplete() async throws {
        let text = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\n"
            + "data: \"finish_reason\":\"stop\"}]}\n\n"
        let server = try LoopbackServer(replies: [.sseRaw(text)])
        let r = try await client(server).complete(request()) { _ in }
        #expect(r.message.content == "hi")
        #expect(r.finishReason == "stop")
    }

    /// Chunks arrive as they are produced, not when the answer ends: the server holds the rest of the
    /// answer until the client has delivered the first delta (a buffering client never would).
    @Test func deltasAreDeliveredAsTheyArrive() async throws {
        let payloads = ChatScript(content: "abcdefghij", pieceSize: 1).chunks().map { "data: \($0.serialized())\n\n" }
        let gate = ReplyGate()
        var reply = ScriptedReply.sseRaw("")
        // The role chunk and "a", then nothing until the gate opens, then the rest.
        reply.parts = [.bytes(Array(payloads.prefix(2).joined().utf8)), .hold(gate),
                       .bytes(Array((payloads.dropFirst(2).joined() + "data: [DONE]\n\n").utf8))]
        let server = try LoopbackServer(replies: [reply])
        defer { server.stop() }
        let seenBeforeTheRest = Mutex<String?>(nil)
        // No retry: a client that timed out waiting and asked again would pass the gate the second time.
        // The idle timeout is past the gate's 30 s: the server's silence waits on this test's callback,
        // which a loaded machine can delay for seconds (measured: over 5 s with ~480 tests at load 21).
        let r = try await client(server) { $0.maxRetries = 0; $0.idleTimeout = 60 }.complete(request()) { delta in
            guard case .content(let text) = delta else { return }
            seenBeforeTheRest.withLock { if $0 == nil { $0 = text } }
            gate.open()
        }
        #expect(r.message.content == "abcdefghij")
        #expect(!gate.gaveUp, "no delta reached the callback while the server held the rest of the answer")
        #expect(seenBeforeTheRest.withLock { $0 } == "a")
        #expect(server.requests.count == 1)
    }

    /// Some proxies and servers ignore `stream: true` and answer one JSON body: that works too.
    @Test func jsonAnswerToAStreamedRequest() async throws {
        let server = try LoopbackServer(replies: [.json(ChatScript(content: "whole answer", reasoning: "r").completion())])
        let r = try await client(server).complete(request(stream: true)) { _ in }
        #expect(r.message.content == "whole answer")
        #expect(r.message.reasoning == "r")
        #expect(r.usage.promptTokens == 10)
    }

    @Test func connectionIsReusedAcrossRequests() async throws {
        let script = ChatScript(content: "ok")
        let server = try LoopbackServer { req, _ in script.reply(to: req) }
        let c = client(server)
        for _ in 0..<4 { _ = try await c.complete(request()) { _ in } }
        _ = try await c.complete(request(stream: false)) { _ in }
        #expect(server.requests.count == 5)
        #expect(server.connectionCount == 1)
    }

    @Test func apiKeyFromEnvironmentIsSentAsBearer() async throws {
        // PATH is always set; any variable works to prove the value is read by name, per request.
        let server = try LoopbackServer(replies: [.json(ChatScript(content: "ok").completion())])
        _ = try await client(server) { $0.apiKeyEnv = "PATH" }.complete(request(stream: false)) { _ in }
        let auth = try #require(server.requests.first?.headers["authorization"])
        #expect(auth.hasPrefix("Bearer "))
        #expect(auth.count > "Bearer ".count)
    }
}
