import ModelClient

/// Reads the model's next action out of an answer, in the run's action mode, and keeps count of
/// answers that held none: such an answer gets a nudge that restates the format, the auto mode
/// switches to constrained actions after two turns without a call, and too many in a row end the run.
struct ActionReader {
    enum Reading: Equatable {
        /// Native tool calls, each answered with its own tool message (ids kept verbatim).
        case calls([ToolCall])
        /// One constrained action, answered with a user message.
        case action(ToolCall)
        /// No usable call; the nudge to send.
        case formatError(why: String, nudge: String)
        /// The auto mode switched to constrained actions; the detail for the event.
        case switchedToActions(detail: String)
    }

    private(set) var mode: ActionMode
    private let configured: ActionMode
    private let maxConsecutiveErrors: Int
    private var turnsWithoutCalls = 0
    private var consecutiveErrors = 0
    /// Why each of the consecutive format errors happened, for the report when they end the run.
    private var recentReasons: [String] = []

    init(mode: ActionMode, maxConsecutiveFormatErrors: Int) {
        configured = mode
        self.mode = mode == .constrained ? .constrained : .native
        maxConsecutiveErrors = maxConsecutiveFormatErrors
    }

    /// A resumed run goes on in the mode its checkpoint recorded (the auto mode may have switched).
    mutating func restore(mode: ActionMode) { self.mode = mode }

    /// `toolCallsSoFar`: calls made in the whole trajectory (the auto switch needs none yet).
    mutating func read(_ response: ChatResponse, tools: [String], toolCallsSoFar: Int) -> Reading {
        let message = response.message
        switch mode {
        case .native, .auto:
            guard message.toolCalls.isEmpty else { return .calls(message.toolCalls) }
            turnsWithoutCalls += 1
            if configured == .auto, turnsWithoutCalls >= 2, toolCallsSoFar == 0 {
                mode = .constrained
                return .switchedToActions(detail: "no tool calls in the first \(turnsWithoutCalls) turns: switching to constrained actions")
            }
            let empty = FormatErrorAdvice.isEmpty(message.content, reasoning: message.reasoning, calls: 0)
            let why = response.formatErrors.first ?? (empty ? FormatErrorAdvice.emptyAnswer : "the answer contained no tool call")
            return formatError(why, nudge: SystemPrompt.noToolCall(why, tools: tools))
        case .constrained:
            // A server may still return native calls in this mode: answer each with its tool message,
            // so the next request has no unanswered call.
            if !message.toolCalls.isEmpty { return .calls(message.toolCalls) }
            switch ConstrainedAction.parse(message.content ?? "", knownTools: Set(tools)) {
            case .success(let action): return .action(action.call)
            case .failure(let error):
                let why = response.finishReason == "length"
                    ? "the answer was cut off at the step's token limit; make a smaller change (edit_file with a few lines), not a whole file"
                    : FormatErrorAdvice.isEmpty(message.content, reasoning: message.reasoning, calls: 0) ? FormatErrorAdvice.emptyAnswer : error.description
                return formatError(why, nudge: SystemPrompt.invalidAction(why, tools: tools))
            }
        }
    }

    /// The answer's calls were made: format errors are no longer consecutive.
    mutating func acted() {
        consecutiveErrors = 0
        recentReasons = []
    }

    /// What the report says when format errors in a row ended the run: what happened, what to change.
    var exhaustedAdvice: String { FormatErrorAdvice.message(reasons: recentReasons, mode: mode) }

    /// Whether format errors in a row have reached the limit that ends the run.
    var exhausted: Bool { consecutiveErrors >= maxConsecutiveErrors }

    private mutating func formatError(_ why: String, nudge: String) -> Reading {
        consecutiveErrors += 1
        recentReasons.append(why)
        return .formatError(why: why, nudge: nudge)
    }
}
