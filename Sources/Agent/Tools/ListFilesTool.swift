import Foundation
import JSONValue
import ModelClient

/// `list_files(path?, depth?)`: the tree under a folder, sorted, folders ending in `/`.
public struct ListFilesTool: AgentTool {
    public static let defaultDepth = 2
    public static let maxDepth = 12
    /// More entries than this are cut, with a note on how to narrow the listing.
    public static let maxEntries = 400

    public init() {}

    public var role: ToolRole { .looks }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "list_files",
            description: """
                List files and folders under a folder of the repository, sorted; folders end with '/'. \
                Skips .git and caches such as node_modules, __pycache__ and .build.
                """,
            parameters: ToolSchema.object([
                .init("path", .string, "Folder relative to the repository root (default: the root).", required: false),
                .init("depth", .integer, "How many levels to descend (default \(Self.defaultDepth)).", required: false),
            ]))
    }

    public func run(_ arguments: JSON, in context: ToolContext) async throws(ToolError) -> String {
        let path = arguments["path"]?.stringValue ?? "."
        let depth = arguments["depth"]?.intValue ?? Self.defaultDepth
        guard depth >= 1 else { throw ToolError("depth must be at least 1 (got \(depth))") }
        let absolute = try context.workspace.resolve(path)
        let shown = context.workspace.relativePath(absolute)

        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDir) else {
            throw ToolError("'\(path)' does not exist; call list_files() to see the repository root")
        }
        guard isDir.boolValue else {
            return "\(shown) is a file, not a folder; use read_file(path: \"\(shown)\") to read it"
        }

        var lines: [String] = []
        var bytes = 0
        var left = 0
        _ = WorkspaceWalker.walk(absolute, relative: shown, maxDepth: min(depth, Self.maxDepth)) { entry in
            let line: String
            switch entry.kind {
            case .file: line = entry.path
            case .directory: line = entry.path + "/"
            case .skippedDirectory: line = entry.path + "/ (not listed)"
            case .symlink(let target): line = "\(entry.path) -> \(target)"
            }
            guard left == 0, lines.count < Self.maxEntries, bytes + line.utf8.count < context.maxOutputBytes - 200 else {
                left += 1
                return left < 100_000  // keep counting what is left out
            }
            lines.append(line)
            bytes += line.utf8.count + 1
            return true
        }
        if lines.isEmpty { return "\(shown == "." ? "The repository" : shown + "/") is empty." }
        if left > 0 {
            lines.append(
                "[… \(left) more entries not shown; list a subfolder with list_files(path: \"…\") or use a smaller depth]")
        }
        return lines.joined(separator: "\n")
    }
}
