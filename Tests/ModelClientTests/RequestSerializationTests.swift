import JSONValue
import Testing
@testable import ModelClient

@Suite struct RequestSerializationTests {
    func conversation() -> [ChatMessage] {
        [
            .system("You are a coding agent."),
            .user("Fix the failing test in src/a.swift"),
            ChatMessage(role: .assistant, content: nil, reasoning: "Need to look at the file first.", reasoningField: .reasoning,
                        toolCalls: [ToolCall(id: "functions.read_file:0", name: "read_file", arguments: "{\"path\": \"src/a.swift\"}")]),
            .tool(callID: "functions.read_file:0", name: "read_file", content: "let x = 1\n\"quoted\"\t\u{1}"),
        ]
    }

    @Test func sameConversationSerializesToIdenticalBytes() {
        var a = ChatRequest(messages: conversation(), tools: [readFileTool, submitTool])
        a.seed = 7
        a.temperature = 0.6
        var b = ChatRequest(messages: conversation(), tools: [readFileTool, submitTool])
        b.temperature = 0.6
        b.seed = 7
        #expect(a.bodyBytes() == b.bodyBytes())
        #expect(a.bodyBytes() == a.bodyBytes())
    }

    /// Messages kept serialized by the caller are copied into the body byte for byte as the
    /// serializer would write them, and only while the messages are the ones they were made from.
    @Test func keptSerializedMessagesGiveTheSameBytesAndGoStaleSafely() {
        var r = ChatRequest(messages: conversation(), tools: [readFileTool])
        r.seed = 3
        r.extra = ["messages": "ignored", "cache_prompt": true]
        let plain = r.bodyBytes()
        r.keepSerializedMessages(r.messages.map { $0.toJSON().serializedBytes() })
        #expect(r.bodyBytes() == plain)
        #expect(r.bodyBytes() == r.body().serializedBytes())
        // Bytes that do not match the messages are not used once the messages change…
        r.keepSerializedMessages(r.messages.map { _ in Array(#"{"stale":true}"#.utf8) })
        r.messages.append(.user("one more"))
        #expect(r.bodyBytes() == r.body().serializedBytes())
        // …nor when their count is wrong; and a request is equal to itself without the cache.
        r.keepSerializedMessages([])
        #expect(r.bodyBytes() == r.body().serializedBytes())
        #expect(r == ChatRequest(messages: r.messages, tools: [readFileTool]).withSeedAndExtra(3, r.extra))
    }

    /// Appending a turn only appends: request N's body up to the end of its last message is a byte
    /// prefix of request N+1's body, so the server's prefix cache keeps hitting.
    @Test func appendingATurnOnlyAppends() throws {
        var messages = conversation()
        var previous: [UInt8]? = nil
        for turn in 0..<4 {
            var r = ChatRequest(messages: messages, tools: [readFileTool])
            r.seed = 3
            r.model = "kimi-k2-thinking"
            let bytes = r.bodyBytes()
            if let previous {
                let prefix = try #require(prefixThroughLastMessage(previous))
                #expect(Array(bytes.prefix(prefix.count)) == prefix, "turn \(turn)")
            }
            previous = bytes
            messages.append(ChatMessage(role: .assistant, content: "step \(turn)",
                                        toolCalls: [ToolCall(id: "functions.run_tests:\(turn)", name: "run_tests", arguments: "{}")]))
            messages.append(.tool(callID: "functions.run_tests:\(turn)", name: "run_tests", content: "ok \(turn)"))
        }
    }

    /// The bytes up to (not including) the `]` closing the messages array.
    func prefixThroughLastMessage(_ body: [UInt8]) -> [UInt8]? {
        let text = String(decoding: body, as: UTF8.self)
        guard let start = text.range(of: "\"messages\":[") else { return nil }
        var depth = 1, inString = false, escaped = false
        var i = start.upperBound
        while i < text.endIndex {
            let c = text[i]
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" { inString = true } else if c == "[" || c == "{" { depth += 1 } else if c == "]" || c == "}" {
                depth -= 1
                if depth == 0 { return Array(text[..<i].utf8) }
            }
            i = text.index(after: i)
        }
        return nil
    }

    @Test func bodyCarriesEveryFieldAndStreamOptions() throws {
        var r = ChatRequest(messages: [.user("hi")], tools: [readFileTool])
        r.model = "m"; r.toolChoice = "required"; r.temperature = 0.5; r.topP = 0.9; r.maxTokens = 100
        r.seed = 42; r.parallelToolCalls = false; r.responseFormat = ["type": "json_object"]
        let body = r.body()
        #expect(body["model"] == "m")
        #expect(body["tool_choice"] == "required")
        #expect(body["temperature"]?.doubleValue == 0.5)
        #expect(body["top_p"]?.doubleValue == 0.9)
        #expect(body["max_tokens"] == 100)
        #expect(body["seed"] == 42)
        #expect(body["parallel_tool_calls"] == false)
        #expect(body["stream"] == true)
        #expect(body["stream_options"]?["include_usage"] == true)
        #expect(body["response_format"]?["type"] == "json_object")
        #expect(body["tools"]?[0]?["function"]?["name"] == "read_file")
        r.stream = false
        #expect(r.body()["stream_options"] == nil)
        #expect(r.body()["stream"] == false)
    }

    @Test func assistantTurnKeepsIdsArgumentsAndReasoningFieldVerbatim() {
        let m = conversation()[2].toJSON()
        #expect(m["reasoning"] == "Need to look at the file first.")
        #expect(m["reasoning_content"] == nil)
        #expect(m["tool_calls"]?[0]?["id"] == "functions.read_file:0")
        #expect(m["tool_calls"]?[0]?["function"]?["arguments"] == "{\"path\": \"src/a.swift\"}")
    }

    @Test func endpointAcceptsBaseURLWithOrWithoutV1() {
        for base in ["http://127.0.0.1:8080", "http://127.0.0.1:8080/", "http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1/"] {
            #expect(ModelEndpoint(baseURL: base).chatCompletionsURL == "http://127.0.0.1:8080/v1/chat/completions")
        }
        #expect(ModelEndpoint(baseURL: "https://api.moonshot.ai/v1").modelsURL == "https://api.moonshot.ai/v1/models")
    }
}

@Suite struct LoopbackDetectionTests {
    /// Local servers bypass any configured proxy; remote ones keep libcurl's proxy rules.
    @Test(arguments: [
        ("http://127.0.0.1:8080/v1/chat/completions", true),
        ("http://localhost:11434", true),
        ("http://[::1]:8080/health", true),
        ("http://user:pw@127.0.0.2:1/x", true),
        ("https://api.moonshot.ai/v1", false),
        ("http://10.0.0.5:8000", false),
        ("http://127example.com", false),
    ])
    func loopback(url: String, expected: Bool) {
        #expect(CurlConnection.isLoopback(url) == expected)
    }
}

extension ChatRequest {
    func withSeedAndExtra(_ seed: Int, _ extra: [String: JSON]) -> ChatRequest {
        var r = self
        r.seed = seed
        r.extra = extra
        return r
    }
}
