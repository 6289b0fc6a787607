import JSONValue

/// One chat-completions request. `body()` is deterministic: keys sorted, no whitespace, messages
/// serialized exactly as kept, so request N's bytes up to the end of its last message are a byte
/// prefix of request N+1 when the conversation only grew (the server's prefix cache keeps hitting).
public struct ChatRequest: Sendable, Hashable {
    public var model: String?
    public var messages: [ChatMessage]
    public var tools: [ToolDefinition]
    /// `"auto"`, `"required"`, `"none"`, or `{"type":"function","function":{"name":…}}`.
    public var toolChoice: JSON?
    public var temperature: Double?
    public var topP: Double?
    public var maxTokens: Int?
    /// Each parallel trajectory sends its own seed.
    public var seed: Int?
    public var stream: Bool = true
    public var parallelToolCalls: Bool?
    /// e.g. `ConstrainedAction.responseFormat(for:)`.
    public var responseFormat: JSON?
    /// Server-specific fields merged at the top level (e.g. `chat_template_kwargs`, `cache_prompt`).
    /// They never override the fields above.
    public var extra: [String: JSON] = [:]

    public init(messages: [ChatMessage], tools: [ToolDefinition] = []) {
        self.messages = messages
        self.tools = tools
    }

    /// The messages as serialized already, by a caller that keeps a growing conversation serialized
    /// (each element `messages[i].toJSON().serializedBytes()`), with the messages they were made from.
    /// `bodyBytes()` copies them instead of serializing the history again — but only while `messages`
    /// is still what they were made from, so changing the messages afterwards is always safe.
    private var kept = KeptMessages()

    /// Keeps `bytes`, the serialized form of the current `messages` (see `kept`).
    public mutating func keepSerializedMessages(_ bytes: [[UInt8]]) {
        kept.value = bytes.count == messages.count ? (messages, bytes) : nil
    }

    public func body() -> JSON { body(withMessages: true) }

    private func body(withMessages: Bool) -> JSON {
        var o = extra
        if let model { o["model"] = .string(model) }
        if withMessages { o["messages"] = .array(messages.map { $0.toJSON() }) }
        if !tools.isEmpty { o["tools"] = .array(tools.map { $0.toJSON() }) }
        if let toolChoice { o["tool_choice"] = toolChoice }
        if let temperature { o["temperature"] = .double(temperature) }
        if let topP { o["top_p"] = .double(topP) }
        if let maxTokens { o["max_tokens"] = .int(maxTokens) }
        if let seed { o["seed"] = .int(seed) }
        if let parallelToolCalls { o["parallel_tool_calls"] = .bool(parallelToolCalls) }
        if let responseFormat { o["response_format"] = responseFormat }
        o["stream"] = .bool(stream)
        if stream { o["stream_options"] = ["include_usage": true] }
        return .object(o)
    }

    public func bodyBytes() -> [UInt8] {
        // Same buffer (the usual case) compares in O(1); anything changed since falls back.
        guard let kept = kept.value, kept.messages == messages, case .object(let members) = body(withMessages: false) else {
            return body().serializedBytes()
        }
        return JSON.serializedObject(members, key: "messages", rawElements: kept.bytes)
    }
}

/// A cache, not part of a request's identity: requests are equal whether or not they carry it.
private struct KeptMessages: Sendable, Hashable {
    var value: (messages: [ChatMessage], bytes: [[UInt8]])?
    static func == (_: KeptMessages, _: KeptMessages) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}
