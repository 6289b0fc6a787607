import Foundation
import JSONValue
import ModelClient

/// `run_command(command)`: a shell command in the snapshot, when the run allows it.
public struct RunCommandTool: AgentTool {
    public init() {}

    public var role: ToolRole { .runs }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "run_command",
            description: "Run a shell command in the repository root and show its output and exit code.",
            parameters: ToolSchema.object([
                .init("command", .string, "The shell command line.", required: true)
            ]))
    }

    public func run(_ arguments: JSON, in context: ToolContext) async throws(ToolError) -> String {
        let command = arguments["command"]?.stringValue ?? ""
        guard !command.trimmingCharacters(in: .whitespaces).isEmpty else { throw ToolError("command is empty") }
        guard let runCommand = context.runCommand else {
            throw ToolError("run_command is disabled for this run; use run_tests, read_file and search instead")
        }
        return await runCommand(command)
    }
}
