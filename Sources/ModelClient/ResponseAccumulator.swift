import JSONValue

/// Builds one assistant turn from streamed chunks (or a whole non-streamed body), keeping content,
/// reasoning (and the field name the server used), tool-call ids and argument strings verbatim.
struct ResponseAccumulator {
    private struct PartialCall {
        var id = ""
        var name = ""
        var arguments = ""
    }

    var content = ""
    var reasoning = ""
    var reasoningField: ReasoningField? = nil
    private var calls: [Int: PartialCall] = [:]
    private var callOrder: [Int] = []
    var finishReason: String? = nil
    var usage: Usage? = nil
    /// llama.cpp's own generation speed (`timings.predicted_per_second`).
    var serverTokensPerSecond: Double? = nil
    /// llama.cpp's `timings`, as sent.
    var serverTimings: ServerTimings? = nil
    var sawAnyChunk = false

    /// Applies one streamed chunk; returns what to show as progress, or the error the chunk carried.
    mutating func apply(chunk: JSON) -> Result<[StreamDelta], ModelError> {
        if let error = ErrorMapping.error(inBody: chunk) { return .failure(error) }
        guard case .object = chunk else { return .failure(.invalidResponse("stream chunk is not a JSON object: \(ErrorMapping.snippet(chunk.serialized()))")) }
        sawAnyChunk = true
        readUsage(chunk)
        var deltas: [StreamDelta] = []
        for choice in chunk["choices"]?.arrayValue ?? [] where (choice["index"]?.intValue ?? 0) == 0 {
            if let delta = choice["delta"] { deltas += applyDelta(delta) }
            if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
        }
        return .success(deltas)
    }

    /// Applies a whole non-streamed `chat.completion` body.
    mutating func apply(completion body: JSON) -> ModelError? {
        if let error = ErrorMapping.error(inBody: body) { return error }
        guard let choice = body["choices"]?[0], let message = choice["message"] else {
            return .invalidResponse("answer has no choices[0].message: \(ErrorMapping.snippet(body.serialized()))")
        }
        sawAnyChunk = true
        readUsage(body)
        _ = applyDelta(message)
        finishReason = choice["finish_reason"]?.stringValue
        return nil
    }

    private mutating func applyDelta(_ delta: JSON) -> [StreamDelta] {
        var out: [StreamDelta] = []
        if let text = delta["content"]?.stringValue, !text.isEmpty {
            content += text
            out.append(.content(text))
        }
        for field in [ReasoningField.reasoningContent, .reasoning] {
            if let text = delta[field.rawValue]?.stringValue, !text.isEmpty {
                if reasoningField == nil { reasoningField = field }
                if reasoningField == field {
                    reasoning += text
                    out.append(.reasoning(text))
                }
            }
        }
        for (position, call) in (delta["tool_calls"]?.arrayValue ?? []).enumerated() {
            let index = call["index"]?.intValue ?? (callOrder.isEmpty ? position : (call["id"]?.stringValue).map { id in
                calls.first { $0.value.id == id }?.key ?? (callOrder.max()! + 1)
            } ?? callOrder.last!)
            var partial = calls[index] ?? PartialCall()
            let isNew = calls[index] == nil
            if let id = call["id"]?.stringValue, !id.isEmpty, partial.id.isEmpty { partial.id = id }
            if let name = call["function"]?["name"]?.stringValue, !name.isEmpty, partial.name.isEmpty { partial.name = name }
            if let args = call["function"]?["arguments"]?.stringValue { partial.arguments += args }
            else if let args = call["function"]?["arguments"], case .object = args { partial.arguments += args.serialized() }
            calls[index] = partial
            if isNew {
                callOrder.append(index)
                out.append(.toolCall(name: partial.name.isEmpty ? nil : partial.name))
            }
        }
        return out
    }

    private mutating func readUsage(_ json: JSON) {
        if let u = json["usage"], case .object = u {
            var usage = Usage(promptTokens: u["prompt_tokens"]?.intValue ?? 0, completionTokens: u["completion_tokens"]?.intValue ?? 0)
            usage.cachedPromptTokens = u["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? self.usage?.cachedPromptTokens ?? 0
            self.usage = usage
        }
        // llama.cpp: {"timings":{"cache_n":…,"prompt_n":…,"predicted_n":…,"predicted_per_second":…}}
        if let t = json["timings"], case .object = t {
            if let speed = t["predicted_per_second"]?.doubleValue { serverTokensPerSecond = speed }
            if let timings = ServerTimings(t) { serverTimings = timings }
            var usage = self.usage ?? Usage(
                promptTokens: (t["cache_n"]?.intValue ?? 0) + (t["prompt_n"]?.intValue ?? 0),
                completionTokens: t["predicted_n"]?.intValue ?? 0)
            if usage.cachedPromptTokens == 0, let cached = t["cache_n"]?.intValue { usage.cachedPromptTokens = cached }
            self.usage = usage
        }
    }

    var hasToolCalls: Bool { !calls.isEmpty }

    func message() -> ChatMessage {
        let toolCalls = callOrder.compactMap { calls[$0] }.map { ToolCall(id: $0.id, name: $0.name, arguments: $0.arguments) }
        return ChatMessage(
            role: .assistant,
            content: content.isEmpty && !toolCalls.isEmpty ? nil : content,
            reasoning: reasoning.isEmpty ? nil : reasoning,
            reasoningField: reasoningField ?? .reasoningContent,
            toolCalls: toolCalls)
    }
}
