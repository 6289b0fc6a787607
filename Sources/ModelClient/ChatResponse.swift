import JSONValue

/// How one request went, for the run report and for tuning a server.
public struct RequestTelemetry: Sendable, Hashable {
    /// Seconds from sending the (last, successful) attempt to the first generated token.
    public var timeToFirstTokenS: Double?
    /// Generation speed: the server's own figure (llama.cpp `timings.predicted_per_second`) when
    /// given, else completion tokens over the time since the first token.
    public var tokensPerSecond: Double?
    /// Seconds for the whole call, retries and backoff included.
    public var wallS: Double
    /// One line per retry: which attempt failed, why, and how long we waited.
    public var retries: [String]
    /// The server's own timings (llama.cpp), when it sent them.
    public var server: ServerTimings?

    public init(timeToFirstTokenS: Double? = nil, tokensPerSecond: Double? = nil, wallS: Double = 0, retries: [String] = [],
                server: ServerTimings? = nil) {
        self.timeToFirstTokenS = timeToFirstTokenS
        self.tokensPerSecond = tokensPerSecond
        self.wallS = wallS
        self.retries = retries
        self.server = server
    }
}

public struct ChatResponse: Sendable, Hashable {
    /// The assistant turn, kept verbatim (tool-call ids, argument strings, reasoning and the field
    /// name the server used) so that appending it to the conversation reproduces what the model saw.
    public var message: ChatMessage
    public var finishReason: String?
    public var usage: Usage
    public var telemetry: RequestTelemetry
    /// Calls left in text that could not be recovered (e.g. arguments that are not JSON); the agent
    /// should answer them so the model can try again.
    public var formatErrors: [String]
    /// True when `message.toolCalls` were recovered from text rather than sent as native tool calls.
    public var recoveredFromText: Bool

    public init(message: ChatMessage, finishReason: String? = nil, usage: Usage = Usage(), telemetry: RequestTelemetry = RequestTelemetry(),
                formatErrors: [String] = [], recoveredFromText: Bool = false) {
        self.message = message
        self.finishReason = finishReason
        self.usage = usage
        self.telemetry = telemetry
        self.formatErrors = formatErrors
        self.recoveredFromText = recoveredFromText
    }
}

/// Pieces of a streamed answer, delivered as they arrive (for progress display only: after a retry
/// the new attempt streams again from its start).
public enum StreamDelta: Sendable, Hashable {
    case content(String)
    case reasoning(String)
    /// A tool call started (name when known).
    case toolCall(name: String?)
}

/// What `probe()` learned about a server. `contextSize` feeds the agent's token budget.
public struct ServerInfo: Sendable, Hashable {
    public var healthy: Bool
    public var models: [String]
    /// Tokens one request may use: llama-server's `/props` `n_ctx` is already per slot (`-c` divided
    /// by `-np`), vLLM's `max_model_len` is per sequence.
    public var contextSize: Int?
    public var slots: Int?
    public var chatTemplate: String?
    /// llama.cpp's sampler chain as `/props` lists it; nil for servers that don't say.
    public var samplers: [String]?

    /// Whether requests may carry llama.cpp's own sampling fields (`min_p`): a hosted API that does
    /// not know them may refuse the request.
    public var sampling: SamplerDialect { samplers == nil ? .openAI : .llamaCpp }

    public init(healthy: Bool, models: [String] = [], contextSize: Int? = nil, slots: Int? = nil, chatTemplate: String? = nil) {
        self.healthy = healthy
        self.models = models
        self.contextSize = contextSize
        self.slots = slots
        self.chatTemplate = chatTemplate
    }
}

/// Which sampling fields a server takes beyond OpenAI's `temperature` and `top_p`.
public enum SamplerDialect: Sendable, Hashable {
    /// llama.cpp: `min_p`, `top_k`, … (its chain cuts by top-p and min-p *before* temperature).
    case llamaCpp
    /// Only OpenAI's fields.
    case openAI
}

/// Anything that answers chat requests: the real client, or a scripted model in tests.
public protocol ChatModel: Sendable {
    func complete(_ request: ChatRequest, onDelta: @escaping @Sendable (StreamDelta) -> Void) async throws(ModelError) -> ChatResponse
}
