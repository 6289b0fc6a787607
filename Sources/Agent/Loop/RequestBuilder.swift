import JSONValue
import ModelClient

/// Builds each model request from the conversation: the tools (native definitions, or one
/// constrained-action schema without the tools the loop guard just took off), the step's token cap,
/// and sampling. Nothing here touches the messages, so request bytes extend each other.
struct RequestBuilder {
    let registry: ToolRegistry
    let model: String?
    let temperature: Double
    let seed: Int?
    let maxTokensPerStep: Int
    let contextSize: Int
    /// Bytes the tool schemas add to every request, per mode (measured once: they never change).
    private let nativeToolBytes: Int
    private let constrainedToolBytes: Int

    /// One constrained action is a short thought and one call. A cap keeps a small model that
    /// degenerates into repetition inside a JSON string from spending minutes on one step.
    static let constrainedActionMaxTokens = 1536

    init(settings: TrajectorySettings, registry: ToolRegistry) {
        self.registry = registry
        model = settings.model
        temperature = settings.temperature
        seed = settings.seed
        maxTokensPerStep = settings.maxTokensPerStep
        contextSize = settings.contextSize
        nativeToolBytes = JSON.array(registry.definitions.map { $0.toJSON() }).serialized().utf8.count
        constrainedToolBytes = ConstrainedAction.responseFormat(for: registry.definitions).serialized().utf8.count
    }

    /// The system prompt: in constrained mode it lists the tools and the action format.
    func systemPrompt(_ mode: ActionMode) -> String {
        mode == .constrained ? SystemPrompt.constrained(tools: registry.tools) : SystemPrompt.base
    }

    func toolBytes(_ mode: ActionMode) -> Int { mode == .constrained ? constrainedToolBytes : nativeToolBytes }

    /// The most tokens one answer may take.
    func maxTokens(_ mode: ActionMode) -> Int {
        // A quarter of the context for one answer; an eighth below the minimum context, where the
        // fixed part already takes half and every token of history counts.
        let share = contextSize < ContextMinimum.tokens ? 8 : 4
        let cap = min(maxTokensPerStep, max(256, contextSize / share))
        return mode == .constrained ? min(cap, Self.constrainedActionMaxTokens) : cap
    }

    /// The size of `request`'s body, given the size of its serialized messages array: the body
    /// without its messages is small, so the history is not serialized again to count it.
    func bodyBytes(_ request: ChatRequest, messagesBytes: Int) -> Int {
        var bare = request
        bare.messages = []
        return bare.body().serializedBytes().count - 2 + messagesBytes
    }

    /// `excluded`: tools left out of a constrained action's schema; `repeats`: how many calls in a row
    /// repeated an earlier one — a model repeating itself gets more randomness (sampling settings don't
    /// touch the prompt cache).
    func request(_ conversation: Conversation, mode: ActionMode, excluded: Set<String>, repeats: Int) -> ChatRequest {
        var request = ChatRequest(messages: conversation.messages, tools: mode == .constrained ? [] : registry.definitions)
        request.keepSerializedMessages(conversation.serializedMessages)  // the client copies them instead of serializing the history
        request.model = model
        request.maxTokens = maxTokens(mode)
        request.temperature = min(1.0, temperature + 0.3 * Double(min(repeats, 3)))
        request.seed = seed
        request.stream = true
        if mode == .constrained {
            let allowed = registry.definitions.filter { !excluded.contains($0.name) }
            request.responseFormat = ConstrainedAction.responseFormat(for: allowed.isEmpty ? registry.definitions : allowed)
        } else {
            request.toolChoice = "auto"
        }
        return request
    }
}
