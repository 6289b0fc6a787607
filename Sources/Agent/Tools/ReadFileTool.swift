import Foundation
import JSONValue
import ModelClient

/// `read_file(path, start_line?, end_line?)`: a window of the file with numbered lines (`   12| text`).
public struct ReadFileTool: AgentTool {
    /// Lines shown when no end_line is given (with the note, under the loop's 400-line cut).
    public static let defaultWindow = 150
    /// The largest window an explicit range may ask for.
    public static let maxWindow = 1000
    /// Longer lines are cut (minified files would otherwise flood the context).
    public static let maxLineLength = 2000
    /// Room kept for the closing note when a window stops at the context's byte budget.
    static let noteReserve = 200

    public init() {}

    public var role: ToolRole { .looks }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "read_file",
            description: """
                Read a text file with numbered lines ('   12| text'). Shows up to \(Self.defaultWindow) lines \
                from start_line unless end_line is given; line numbers start at 1.
                """,
            parameters: ToolSchema.object([
                .init("path", .string, "File path relative to the repository root.", required: true),
                .init("start_line", .integer, "First line to show (default 1).", required: false),
                .init("end_line", .integer, "Last line to show, inclusive.", required: false),
            ]))
    }

    public func run(_ arguments: JSON, in context: ToolContext) async throws(ToolError) -> String {
        let path = arguments["path"]?.stringValue ?? ""
        let absolute = try context.workspace.resolve(path)
        let shown = context.workspace.relativePath(absolute)
        let lines = TextFile.lines(try TextFile.read(absolute, shown: shown))
        if lines.isEmpty { return "(\(shown) is empty)" }

        let asked = arguments["start_line"]?.intValue ?? 1
        guard asked >= 1 else { throw ToolError("start_line must be 1 or more (got \(asked))") }
        // Small models guess line numbers; past the end they get the file's last lines, not an error
        // they repeat (measured: the same read past the end twice in a row).
        var start = asked
        var pastEnd: String?
        if asked > lines.count {
            start = max(1, lines.count - Self.defaultWindow + 1)
            pastEnd = "[start_line \(asked) is past the end of \(shown), which has \(lines.count) lines; showing its last lines]"
        }
        var end = min(lines.count, start + Self.defaultWindow - 1)
        if pastEnd == nil, let requested = arguments["end_line"]?.intValue {
            guard requested >= start else {
                throw ToolError("end_line \(requested) is before start_line \(start)")
            }
            end = min(lines.count, requested, start + Self.maxWindow - 1)
        }

        let width = max(5, String(end).count)
        var out: [String] = pastEnd.map { [$0] } ?? []
        var bytes = 0
        var last = start - 1
        for number in start...end {
            var line = lines[number - 1]
            var cut = ""
            if line.count > Self.maxLineLength {
                cut = " … [line cut: \(line.count - Self.maxLineLength) more characters]"
                line = line.prefix(Self.maxLineLength)
            }
            let text = TextFile.numbered(line, number: number, width: width) + cut
            if bytes + text.utf8.count > context.maxOutputBytes - Self.noteReserve, !out.isEmpty { break }
            bytes += text.utf8.count + 1
            out.append(text)
            last = number
        }
        if last < lines.count {
            out.append(
                "[showing lines \(start)-\(last) of \(lines.count); other lines with start_line/end_line]")
        }
        return out.joined(separator: "\n")
    }
}
