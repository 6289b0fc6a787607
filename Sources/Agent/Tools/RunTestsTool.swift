import Foundation
import JSONValue
import ModelClient

/// `run_tests(args?)`: the configured test command, optionally with extra arguments.
public struct RunTestsTool: AgentTool {
    public static let name = "run_tests"

    public init() {}

    public var role: ToolRole { .runs }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: Self.name,
            description: "Run the project's configured test command and show the result (failing tests with their messages).",
            parameters: ToolSchema.object([
                .init("args", .string, "Extra arguments appended to the test command, e.g. a test file or name.", required: false)
            ]))
    }

    public func run(_ arguments: JSON, in context: ToolContext) async throws(ToolError) -> String {
        let args = arguments["args"]?.stringValue.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        return await context.runTests(args)
    }

    public func repeatNudge(sinceStep step: Int) -> String {
        "The tests give the same result as at step \(step) (shown above). Change the code before running them again."
    }
}
