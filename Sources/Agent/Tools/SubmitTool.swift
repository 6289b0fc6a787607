import JSONValue
import ModelClient

/// `submit(summary)`: ends the run. The loop knows it by its role; the tool only acknowledges.
public struct SubmitTool: AgentTool {
    public static let name = "submit"
    public static let acknowledgement = "Submitted. Fixpoint will now verify the change by running the tests on a clean copy."

    public init() {}

    public var role: ToolRole { .submits }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: Self.name,
            description: "Finish: call this when the fix is complete and the tests pass. Ends the session.",
            parameters: ToolSchema.object([
                .init("summary", .string, "What was wrong and what you changed, in a few sentences.", required: true)
            ]))
    }

    public func run(_ arguments: JSON, in context: ToolContext) async throws(ToolError) -> String {
        Self.acknowledgement
    }
}
