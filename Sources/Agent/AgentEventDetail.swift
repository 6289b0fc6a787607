/// What a tool call carried, for faces that show each call on its own (ACP's tool calls): on the
/// `toolCall` event its id and arguments; on the matching `observation` also its output and the files
/// it changed. The CLI and the language server ignore it.
public struct ToolCallDetail: Sendable, Equatable {
    /// Unique within a run, also across parallel trajectories: `t<trajectory>-<step>-<model's call id>`.
    public var id: String
    /// The arguments as the model sent them (JSON text).
    public var arguments: String
    /// What the tool does (nil: no such tool).
    public var role: ToolRole?
    /// The observation the model was given (on `observation` only).
    public var output: String?
    public var failed: Bool
    /// Files the call changed in the trajectory's workspace, with whole texts before and after
    /// (repository-relative paths; on `observation` of a successful editing call only).
    public var edits: [FileChange]

    public init(id: String, arguments: String, role: ToolRole? = nil, output: String? = nil, failed: Bool = false, edits: [FileChange] = []) {
        self.id = id; self.arguments = arguments; self.role = role; self.output = output; self.failed = failed; self.edits = edits
    }
}

/// The model's visible text and reasoning for one step, carried by the `modelRequest` event that says
/// the model answered.
public struct ModelReply: Sendable, Equatable {
    public var text: String
    public var reasoning: String

    public init(text: String, reasoning: String) { self.text = text; self.reasoning = reasoning }
}
