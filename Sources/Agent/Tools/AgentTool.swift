import JSONValue
import ModelClient

/// One tool the model can call. `definition` is what the model sees; `run` gets arguments that the
/// registry has already checked against `definition.parameters` (required keys present, types right).
public protocol AgentTool: Sendable {
    var definition: ToolDefinition { get }
    func run(_ arguments: JSON, in context: ToolContext) async throws(ToolError) -> String
}

extension AgentTool {
    public var name: String { definition.name }
}
