import Foundation
import JSONValue
import ModelClient

/// `search(pattern, path?, regex?)`: matching lines as `path:line: text`, literal unless `regex` is true.
public struct SearchTool: AgentTool {
    public static let maxMatches = 100
    /// Files larger than this are not searched (generated or data files, rarely what the model wants).
    public static let maxFileBytes = 2 * 1024 * 1024
    /// Matched lines are cut to this many characters.
    public static let maxLineLength = 300

    public init() {}

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "search",
            description: """
                Search text files for a pattern; answers 'path:line: text' lines. The pattern is a literal, \
                case-sensitive string unless regex is true. Skips .git, caches and binary files.
                """,
            parameters: ToolSchema.object([
                .init("pattern", .string, "Text (or regular expression) to find.", required: true),
                .init("path", .string, "File or folder to search, relative to the repository root (default: everything).", required: false),
                .init("regex", .boolean, "Treat pattern as a regular expression (default false).", required: false),
            ]))
    }

    public func run(_ arguments: JSON, in context: ToolContext) async throws(ToolError) -> String {
        let pattern = arguments["pattern"]?.stringValue ?? ""
        guard !pattern.isEmpty else { throw ToolError("pattern must not be empty") }
        let useRegex = arguments["regex"]?.boolValue ?? false
        let matcher = try LineMatcher(pattern: pattern, regex: useRegex)

        let absolute = try context.workspace.resolve(arguments["path"]?.stringValue ?? ".")
        let shown = context.workspace.relativePath(absolute)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDir) else {
            throw ToolError("'\(shown)' does not exist; call list_files() to see the repository")
        }

        var results = Results()
        if isDir.boolValue {
            _ = WorkspaceWalker.walk(absolute, relative: shown, maxDepth: 64) { entry in
                if entry.kind == .file { search(entry.absolute, shown: entry.path, matcher, into: &results) }
                return results.total < 50_000
            }
        } else {
            search(absolute, shown: shown, matcher, into: &results)
        }

        let kind = useRegex ? "regular expression" : "text"
        guard results.total > 0 else {
            return "No matches for \(kind) '\(pattern)' in \(results.filesSearched) file\(results.filesSearched == 1 ? "" : "s") under \(shown)."
        }
        var out = results.lines
        let left = results.total - results.lines.count
        if left > 0 {
            let otherFiles = results.files - results.filesShown
            out.append(
                "[… \(left) more matches\(otherFiles > 0 ? " in \(otherFiles) more files" : "") not shown; narrow the search with path or a more specific pattern]")
        }
        return out.joined(separator: "\n")
    }

    private struct Results {
        var lines: [String] = []
        var total = 0
        var files = 0
        var filesShown = 0
        var filesSearched = 0
    }

    private func search(_ absolute: String, shown: String, _ matcher: LineMatcher, into results: inout Results) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: absolute),
            let size = attributes[.size] as? Int, size <= Self.maxFileBytes,
            let data = FileManager.default.contents(atPath: absolute), let text = TextFile.decode(data)
        else { return }
        results.filesSearched += 1
        guard matcher.mightMatch(text) else { return }
        var found = false
        var shownHere = false
        for (index, line) in TextFile.lines(text).enumerated() where matcher.matches(line) {
            found = true
            results.total += 1
            if results.lines.count < Self.maxMatches {
                shownHere = true
                var body = line.drop { $0 == " " || $0 == "\t" }
                var cut = ""
                if body.count > Self.maxLineLength {
                    body = body.prefix(Self.maxLineLength)
                    cut = " …"
                }
                results.lines.append("\(shown):\(index + 1): \(body)\(cut)")
            }
        }
        if found { results.files += 1 }
        if shownHere { results.filesShown += 1 }
    }
}

/// A literal or regular-expression matcher for single lines.
struct LineMatcher {
    private let literal: String?
    private let regex: Regex<AnyRegexOutput>?

    init(pattern: String, regex useRegex: Bool) throws(ToolError) {
        if useRegex {
            do {
                regex = try Regex(pattern)
            } catch {
                throw ToolError(
                    "'\(pattern)' is not a valid regular expression (\(error)); fix it, or search with regex false for the literal text")
            }
            literal = nil
        } else {
            literal = pattern
            regex = nil
        }
    }

    /// A cheap whole-text check before splitting into lines (exact for literals).
    func mightMatch(_ text: String) -> Bool {
        if let literal { return text.contains(literal) }
        return true
    }

    func matches(_ line: Substring) -> Bool {
        if let literal { return line.contains(literal) }
        if let regex { return (try? regex.firstMatch(in: line)) != nil }
        return false
    }
}
