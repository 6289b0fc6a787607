import Foundation
import JSONValue
import ModelClient

/// `write_file(path, content)`: creates or replaces a whole file, creating missing parent folders.
/// Replacing a CRLF file keeps CRLF endings. A rewrite that would drop most of an existing file is
/// refused: small models "fix" a module by writing back only the function they changed.
public struct WriteFileTool: AgentTool {
    /// Files at least this long are guarded; a rewrite must keep at least `keptFraction` of their lines.
    static let guardedLines = 8
    static let keptFraction = 0.5

    public init() {}

    public var role: ToolRole { .edits }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "write_file",
            description: "Create a file, or replace a file's whole content. Missing parent folders are created. Prefer edit_file for changes to existing files.",
            parameters: ToolSchema.object([
                .init("path", .string, "File path relative to the repository root.", required: true),
                .init("content", .string, "The complete new content of the file.", required: true),
            ]))
    }

    public func run(_ arguments: JSON, in context: ToolContext) async throws(ToolError) -> String {
        let path = arguments["path"]?.stringValue ?? ""
        var content = arguments["content"]?.stringValue ?? ""
        let absolute = try context.workspace.resolve(path)
        let shown = context.workspace.relativePath(absolute)
        guard absolute != context.workspace.root else { throw ToolError("path must name a file, not the repository root") }

        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: absolute, isDirectory: &isDir)
        if isDir.boolValue { throw ToolError("'\(shown)' is a directory; give a file path") }
        // read_file's `   12| ` prefixes copied into the content (measured with the 1.5B model).
        var note = ""
        if let bare = EditFileTool.withoutLineNumbers(content) {
            content = bare
            note = " (the line numbers copied from read_file were left out)"
        }
        if exists, let old = try? TextFile.read(absolute, shown: shown) {
            let (oldLines, newLines) = (TextFile.lines(old).count, TextFile.lines(content).count)
            if oldLines >= Self.guardedLines, Double(newLines) < Double(oldLines) * Self.keptFraction {
                throw ToolError("""
                    write_file would replace all \(oldLines) lines of \(shown) with \(newLines); the rest of the file would be lost. \
                    To change part of a file use edit_file (old_text copied exactly from read_file, new_text its replacement).
                    """)
            }
            if TextFile.usesCRLF(old), !content.contains("\r\n") { content = TextFile.toCRLF(content) }
        }

        let parent = (absolute as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw ToolError("could not create the folder for '\(shown)': \(error.localizedDescription)")
        }
        try TextFile.write(content, to: absolute, shown: shown)
        let lines = TextFile.lines(content).count
        return "\(exists ? "Replaced" : "Created") \(shown) (\(lines) line\(lines == 1 ? "" : "s"), \(content.utf8.count) bytes)\(note)."
    }
}
