/// How the model is asked for its next action.
public enum ActionMode: String, Sendable, Equatable {
    /// Native tool calls (`tools` in the request). Calls left in text are recovered by the model client.
    case native
    /// One JSON-schema-constrained action object per turn (`response_format`), for models that ignore
    /// native tool calling (the embedded Qwen2.5-Coder models).
    case constrained
    /// Start native; switch to constrained when the first turns bring no tool call.
    case auto
}
