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

    public var role: ToolRole { .looks }

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
                if entry.kind == .file { search(entry.absolute, shown: entry.path, matcher, budget: context.maxOutputBytes, into: &results) }
                return results.total < 50_000
            }
        } else {
            search(absolute, shown: shown, matcher, budget: context.maxOutputBytes, into: &results)
        }

        let kind = useRegex ? "regular expression" : "text"
        guard results.total > 0 else {
            return "No matches for \(kind) '\(pattern)' in \(results.filesSearched) file\(results.filesSearched == 1 ? "" : "s") under \(shown == "." ? "the repository root" : shown)."
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
        var bytes = 0
        /// Set once the output budget is reached: later matches are only counted.
        var full = false
        var total = 0
        var files = 0
        var filesShown = 0
        var filesSearched = 0
    }

    private func search(_ absolute: String, shown: String, _ matcher: LineMatcher, budget: Int, into results: inout Results) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: absolute),
            let size = attributes[.size] as? Int, size <= Self.maxFileBytes,
            let data = FileManager.default.contents(atPath: absolute), !data.prefix(8192).contains(0)
        else { return }
        results.filesSearched += 1
        let matches = matcher.matchingLines(in: data)
        guard !matches.isEmpty else { return }
        results.files += 1
        results.total += matches.count
        var shownHere = false
        for (number, line) in matches {
            guard !results.full, results.lines.count < Self.maxMatches else { break }
            var body = Substring(line).drop { $0 == " " || $0 == "\t" }
            var cut = ""
            if body.count > Self.maxLineLength {
                body = body.prefix(Self.maxLineLength)
                cut = " …"
            }
            let text = "\(shown):\(number): \(body)\(cut)"
            if results.bytes + text.utf8.count > budget - 200 {
                results.full = true
                break
            }
            results.lines.append(text)
            results.bytes += text.utf8.count + 1
            shownHere = true
        }
        if shownHere { results.filesShown += 1 }
    }
}

/// Finds the lines of a file that match a literal or a regular expression.
struct LineMatcher {
    private let literal: [UInt8]?
    private let regex: NSRegularExpression?

    init(pattern: String, regex useRegex: Bool) throws(ToolError) {
        if useRegex {
            do {
                regex = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
            } catch {
                throw ToolError(
                    "'\(pattern)' is not a valid regular expression (\(error.localizedDescription)); fix it, or search with regex false for the literal text")
            }
            literal = nil
        } else {
            literal = Array(pattern.utf8)
            regex = nil
        }
    }

    /// (1-based line number, line text without its terminator) for every matching line.
    func matchingLines(in data: Data) -> [(Int, String)] {
        if let literal { return Self.literalMatches(of: literal, in: data) }
        guard let regex, let text = String(data: data, encoding: .utf8) else { return [] }
        // ICU over the whole file (much faster than matching line by line); `^`/`$` match at line
        // breaks, and a match that spans lines is reported at the line where it starts.
        let ns = text as NSString
        var starts: [Int] = []
        regex.enumerateMatches(in: text, options: [], range: NSRange(location: 0, length: ns.length)) { match, _, _ in
            if let match { starts.append(match.range.location) }
        }
        guard !starts.isEmpty else { return [] }
        var matches: [(Int, String)] = []
        var line = 1
        var scanned = 0
        var lastLine = 0
        let newline = unichar(UInt8(ascii: "\n"))
        for start in starts {
            for i in scanned..<start where ns.character(at: i) == newline { line += 1 }
            scanned = start
            guard line != lastLine else { continue }  // several matches on one line: report it once
            lastLine = line
            let range = ns.lineRange(for: NSRange(location: start, length: 0))
            var text = ns.substring(with: range)
            while text.hasSuffix("\n") || text.hasSuffix("\r") || text.hasSuffix("\r\n") { text.removeLast() }
            matches.append((line, text))
        }
        return matches
    }

    /// Byte search (memchr for the first byte, memcmp for the rest): literal search over a whole
    /// repository must be fast, and String's Character-by-Character comparison is not.
    static func literalMatches(of pattern: [UInt8], in data: Data) -> [(Int, String)] {
        let newline = UInt8(ascii: "\n")
        return data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> [(Int, String)] in
            guard let base = buffer.baseAddress, !pattern.isEmpty else { return [] }
            let bytes = buffer.bindMemory(to: UInt8.self)
            var matches: [(Int, String)] = []
            var offset = 0  // where the next search starts (always a line start)
            var line = 1  // the line number at `offset`
            while offset < bytes.count, let position = find(pattern, in: base, count: bytes.count, from: offset) {
                var start = position
                while start > offset, bytes[start - 1] != newline { start -= 1 }
                for i in offset..<start where bytes[i] == newline { line += 1 }
                var end = position + pattern.count
                while end < bytes.count, bytes[end] != newline { end += 1 }
                var textEnd = end
                if textEnd > start, bytes[textEnd - 1] == UInt8(ascii: "\r") { textEnd -= 1 }
                matches.append((line, String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<textEnd]), as: UTF8.self)))
                // Continue after this line; count its own newline.
                offset = end + 1
                line += 1
            }
            return matches
        }
    }

    /// The offset of the first occurrence of `pattern` at or after `from`, or nil.
    static func find(_ pattern: [UInt8], in base: UnsafeRawPointer, count: Int, from: Int) -> Int? {
        let first = Int32(pattern[0])
        var at = from
        return pattern.withUnsafeBytes { needle -> Int? in
            while count - at >= pattern.count {
                guard let hit = memchr(base + at, first, count - at - pattern.count + 1) else { return nil }
                let position = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + position, needle.baseAddress!, pattern.count) == 0 { return position }
                at = position + 1
            }
            return nil
        }
    }
}
