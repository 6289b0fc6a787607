import Foundation
import JSONValue
import ModelClient

// Thin tools whose work belongs to the loop (tests, commands, the Git layer): each forwards to the
// matching ToolContext closure, so the loop decides how tests run and how patches apply.

/// `apply_patch(patch)`: a unified diff, applied through the Git layer.
public struct ApplyPatchTool: AgentTool {
    public init() {}

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "apply_patch",
            description: "Apply a unified diff (as produced by git diff) to the repository. Paths in the diff are relative to the repository root.",
            parameters: ToolSchema.object([
                .init("patch", .string, "The unified diff text.", required: true)
            ]))
    }

    public func run(_ arguments: JSON, in context: ToolContext) async throws(ToolError) -> String {
        let patch = arguments["patch"]?.stringValue ?? ""
        guard !patch.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ToolError("patch is empty; give a unified diff with ---/+++ headers and @@ hunks")
        }
        return try await context.applyPatch(patch)
    }
}

/// `run_tests(args?)`: the configured test command, optionally with extra arguments.
public struct RunTestsTool: AgentTool {
    public init() {}

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "run_tests",
            description: "Run the project's configured test command and show the result (failing tests with their messages).",
            parameters: ToolSchema.object([
                .init("args", .string, "Extra arguments appended to the test command, e.g. a test file or name.", required: false)
            ]))
    }

    public func run(_ arguments: JSON, in context: ToolContext) async throws(ToolError) -> String {
        let args = arguments["args"]?.stringValue.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        return await context.runTests(args)
    }
}

/// `run_command(command)`: a shell command in the snapshot, when the run allows it.
public struct RunCommandTool: AgentTool {
    public init() {}

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

/// `git_diff()`: the change so far against the base.
public struct GitDiffTool: AgentTool {
    public init() {}

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
}

/// `submit(summary)`: ends the run. The loop recognises the name; the tool only acknowledges.
public struct SubmitTool: AgentTool {
    public static let name = "submit"
    public static let acknowledgement = "Submitted. Fixpoint will now verify the change by running the tests on a clean copy."

    public init() {}

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
