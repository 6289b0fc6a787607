import JSONValue
import ModelClient

/// One tool the model can call. `definition` is what the model sees; `run` gets arguments that the
/// registry has already checked against `definition.parameters` (required keys present, types right).
/// `role` is how the loop treats it (see `ToolRole`); nothing outside the tool's file knows its name.
public protocol AgentTool: Sendable {
    var definition: ToolDefinition { get }
    var role: ToolRole { get }
    func run(_ arguments: JSON, in context: ToolContext) async throws(ToolError) -> String

    /// What the loop guard answers instead of the output when this call repeats an earlier one with
    /// the same result. The default follows the role (LoopGuard.swift); a tool may say it better.
    func repeatNudge(sinceStep step: Int) -> String
    /// What the loop guard answers when this call failed the same way before.
    func repeatedFailureNudge(sinceStep step: Int, error: String) -> String
}

extension AgentTool {
    public var name: String { definition.name }

    /// The one-line signature the prompt, the error messages and docs/tools.md use,
    /// e.g. `read_file(path: string, end_line?: integer, start_line?: integer)`.
    public var signature: String { ToolSchema.signature(of: definition) }
}
