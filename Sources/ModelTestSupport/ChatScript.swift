import JSONValue
import ModelClient

/// Builds chat-completion answers in the OpenAI wire format (as vLLM, SGLang and llama-server send
/// them), streamed or not, so tests can script a model turn by turn.
public struct ChatScript: Sendable {
    public var content: String?
    public var reasoning: String?
    public var reasoningField: ReasoningField
    public var toolCalls: [ToolCall]
    public var finishReason: String?
    public var usage: Usage?
    /// llama.cpp's `timings` object (e.g. `["cache_n": 12, "predicted_per_second": 40.5]`).
    public var timings: JSON?
    /// Streamed text is split into pieces of this many characters.
    public var pieceSize: Int

    public init(content: String? = nil, reasoning: String? = nil, reasoningField: ReasoningField = .reasoningContent,
                toolCalls: [ToolCall] = [], finishReason: String? = nil, usage: Usage? = Usage(promptTokens: 10, completionTokens: 5),
                timings: JSON? = nil, pieceSize: Int = 8) {
        self.content = content
        self.reasoning = reasoning
        self.reasoningField = reasoningField
        self.toolCalls = toolCalls
        self.finishReason = finishReason ?? (toolCalls.isEmpty ? "stop" : "tool_calls")
        self.usage = usage
        self.timings = timings
        self.pieceSize = max(1, pieceSize)
    }

    /// A non-streamed `chat.completion` body.
    public func completion() -> JSON {
        var message: [String: JSON] = ["role": "assistant", "content": content.map(JSON.string) ?? .null]
        if let reasoning { message[reasoningField.rawValue] = .string(reasoning) }
        if !toolCalls.isEmpty { message["tool_calls"] = .array(toolCalls.map { $0.toJSON() }) }
        var body: [String: JSON] = [
            "id": "chatcmpl-test", "object": "chat.completion", "created": 1, "model": "test-model",
            "choices": [["index": 0, "message": .object(message), "finish_reason": finishReason.map(JSON.string) ?? .null]],
        ]
        if let usage { body["usage"] = Self.usageJSON(usage) }
        if let timings { body["timings"] = timings }
        return .object(body)
    }

    /// The `chat.completion.chunk` payloads of a streamed answer, a usage-only chunk last.
    public func chunks() -> [JSON] {
        var out: [JSON] = [chunk(["role": "assistant", "content": ""])]
        for piece in pieces(reasoning) { out.append(chunk([reasoningField.rawValue: .string(piece)])) }
        for piece in pieces(content) { out.append(chunk(["content": .string(piece)])) }
        for (index, call) in toolCalls.enumerated() {
            out.append(chunk(["tool_calls": [["index": .int(index), "id": .string(call.id), "type": "function",
                                              "function": ["name": .string(call.name), "arguments": ""]]]]))
            for piece in pieces(call.arguments) {
                out.append(chunk(["tool_calls": [["index": .int(index), "function": ["arguments": .string(piece)]]]]))
            }
        }
        var last = chunk([:])
        if case .object(var o) = last, case .array(var choices) = o["choices"], case .object(var c) = choices[0] {
            c["finish_reason"] = finishReason.map(JSON.string) ?? .null
            choices[0] = .object(c)
            o["choices"] = .array(choices)
            // llama-server sends `timings` on the usage-only chunk; without one, on the last choice chunk.
            if let timings, usage == nil { o["timings"] = timings }
            last = .object(o)
        }
        out.append(last)
        if let usage {
            var usageChunk: [String: JSON] = ["id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1, "model": "test-model",
                                              "choices": [], "usage": Self.usageJSON(usage)]
            if let timings { usageChunk["timings"] = timings }
            out.append(.object(usageChunk))
        }
        return out
    }

    /// The answer as the request asked for it: SSE when `"stream": true`, else one JSON body.
    public func reply(to request: RecordedRequest, chunkSize: Int? = nil) -> ScriptedReply {
        request.wantsStream ? .sse(chunks().map { $0.serialized() }, chunkSize: chunkSize) : .json(completion())
    }

    private func chunk(_ delta: [String: JSON]) -> JSON {
        ["id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1, "model": "test-model",
         "choices": [["index": 0, "delta": .object(delta), "finish_reason": .null]]]
    }

    private func pieces(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        var out: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            out.append(String(rest.prefix(pieceSize)))
            rest = rest.dropFirst(pieceSize)
        }
        return out
    }

    static func usageJSON(_ usage: Usage) -> JSON {
        ["prompt_tokens": .int(usage.promptTokens), "completion_tokens": .int(usage.completionTokens),
         "total_tokens": .int(usage.promptTokens + usage.completionTokens),
         "prompt_tokens_details": ["cached_tokens": .int(usage.cachedPromptTokens)]]
    }
}
