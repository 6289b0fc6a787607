import Foundation
import JSONValue
import ModelClient

/// `apply_patch(patch)`: a unified diff, applied through the Git layer.
public struct ApplyPatchTool: AgentTool {
    public init() {}

    public var role: ToolRole { .edits }

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
