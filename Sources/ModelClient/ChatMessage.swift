import JSONValue

/// One tool call exactly as the server produced it. `id` and `arguments` are kept verbatim:
/// rewriting Kimi's `functions.read_file:3` ids or re-serializing arguments breaks the model later.
public struct ToolCall: Sendable, Hashable {
    public var id: String
    public var name: String
    /// The argument string as produced (normally a JSON object's text).
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }

    public func toJSON() -> JSON {
        ["id": .string(id), "type": "function", "function": ["name": .string(name), "arguments": .string(arguments)]]
    }
}

/// The field name a server used for reasoning; it is echoed back under the same name.
public enum ReasoningField: String, Sendable, Hashable {
    case reasoningContent = "reasoning_content"
    case reasoning = "reasoning"
}

public enum Role: String, Sendable, Hashable {
    case system, user, assistant, tool
}

/// One message of a conversation. Serialization is deterministic (`JSON.serialized()` sorts keys),
/// so an append-only list of messages yields requests whose bytes extend each other.
public struct ChatMessage: Sendable, Hashable {
    public var role: Role
    public var content: String?
    public var reasoning: String?
    public var reasoningField: ReasoningField
    public var toolCalls: [ToolCall]
    /// For role == .tool: the id of the call this answers.
    public var toolCallID: String?
    public var name: String?

    public init(
        role: Role, content: String?, reasoning: String? = nil, reasoningField: ReasoningField = .reasoningContent,
        toolCalls: [ToolCall] = [], toolCallID: String? = nil, name: String? = nil
    ) {
        self.role = role
        self.content = content
        self.reasoning = reasoning
        self.reasoningField = reasoningField
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.name = name
    }

    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: text) }
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: text) }
    public static func tool(callID: String, name: String, content: String) -> ChatMessage {
        ChatMessage(role: .tool, content: content, toolCallID: callID, name: name)
    }

    public func toJSON() -> JSON {
        var o: [String: JSON] = ["role": .string(role.rawValue)]
        o["content"] = content.map(JSON.string) ?? .null
        if let reasoning, !reasoning.isEmpty { o[reasoningField.rawValue] = .string(reasoning) }
        if !toolCalls.isEmpty { o["tool_calls"] = .array(toolCalls.map { $0.toJSON() }) }
        if let toolCallID { o["tool_call_id"] = .string(toolCallID) }
        if let name, role == .tool { o["name"] = .string(name) }
        return .object(o)
    }
}

/// A function the model may call: name, description and a JSON-schema for its arguments.
public struct ToolDefinition: Sendable, Hashable {
    public var name: String
    public var description: String
    public var parameters: JSON

    public init(name: String, description: String, parameters: JSON) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }

    public func toJSON() -> JSON {
        ["type": "function", "function": ["name": .string(name), "description": .string(description), "parameters": parameters]]
    }
}

/// Token counts for one request. `cachedPromptTokens` comes from
/// `usage.prompt_tokens_details.cached_tokens` or llama.cpp's `timings.cache_n`.
public struct Usage: Sendable, Hashable, Codable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var cachedPromptTokens: Int

    public init(promptTokens: Int = 0, completionTokens: Int = 0, cachedPromptTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedPromptTokens = cachedPromptTokens
    }

    public static func + (a: Usage, b: Usage) -> Usage {
        Usage(promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens,
              cachedPromptTokens: a.cachedPromptTokens + b.cachedPromptTokens)
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", cachedPromptTokens = "cached_prompt_tokens"
    }
}
