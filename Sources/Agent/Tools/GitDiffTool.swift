import JSONValue
import ModelClient

/// `git_diff()`: the change so far against the base.
public struct GitDiffTool: AgentTool {
    public init() {}

    public var role: ToolRole { .looks }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "git_diff",
            description: "Show all changes made so far, as a unified diff against the original repository.",
            parameters: ToolSchema.object([]))
    }

    public func run(_ arguments: JSON, in context: ToolContext) async throws(ToolError) -> String {
        let diff = try await context.gitDiff()
        return diff.isEmpty ? "No changes yet." : diff
    }

    public func repeatNudge(sinceStep step: Int) -> String {
        "The diff is unchanged since step \(step). If the tests pass, call submit; otherwise edit the code."
    }
}
