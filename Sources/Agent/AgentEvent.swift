/// A step-level event streamed while a run goes on: the CLI prints it, the language server turns it
/// into `$/progress` and `fixpoint/step`. Plain values; nothing here knows about editors.
public struct AgentEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case started, testsBefore = "tests_before", modelRequest = "model_request", toolCall = "tool_call"
        case observation, compaction, retry, formatError = "format_error", loop, refusal
        case testEdit = "test_edit", submitQuestioned = "submit_questioned"
        case verification, finished
        /// One answer of the focused repair and what the tests said of it.
        case repair

        /// The progress event a report event shows as; nil for compactions, whose progress line the
        /// compactor emits itself (with the sizes before and after).
        public init?(_ reported: RunReport.Event.Kind) {
            switch reported {
            case .retry: self = .retry
            // The small-context warning is part of the `started` line, which comes first.
            case .compaction, .smallContext: return nil
            case .loop: self = .loop
            case .formatError: self = .formatError
            case .refusal: self = .refusal
            case .testEdit: self = .testEdit
            case .submitQuestioned: self = .submitQuestioned
            }
        }
    }

    public var kind: Kind
    public var step: Int
    public var maxSteps: Int
    /// The tool this event is about, if any.
    public var tool: String?
    /// One readable line.
    public var summary: String
    public var promptTokens: Int
    public var completionTokens: Int
    /// Share of this request's prompt served from the server's prefix cache (0...1), if known.
    public var cacheHitRate: Double?
    public var elapsedS: Double
    /// The tool call this event is about, in full (see `ToolCallDetail`); nil where not known.
    public var call: ToolCallDetail? = nil
    /// The model's text and reasoning, on the first event after its answer; nil otherwise.
    public var reply: ModelReply? = nil

    public init(
        kind: Kind, step: Int, maxSteps: Int, tool: String? = nil, summary: String, promptTokens: Int = 0,
        completionTokens: Int = 0, cacheHitRate: Double? = nil, elapsedS: Double = 0
    ) {
        self.kind = kind; self.step = step; self.maxSteps = maxSteps; self.tool = tool; self.summary = summary
        self.promptTokens = promptTokens; self.completionTokens = completionTokens; self.cacheHitRate = cacheHitRate
        self.elapsedS = elapsedS
    }
}
