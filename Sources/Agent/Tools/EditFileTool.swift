import Foundation
import JSONValue
import ModelClient

/// `edit_file(path, old_text, new_text)`: replaces exactly one occurrence of `old_text`. Zero or
/// several occurrences are an error that says how many (and where, or what came closest). The
/// file's line endings and trailing-newline state are kept.
public struct EditFileTool: AgentTool {
    /// Lines of context shown around the edited region in the answer.
    static let contextLines = 2
    static let maxShownLines = 30

    public init() {}

    public var role: ToolRole { .edits }

    public func repeatedFailureNudge(sinceStep step: Int, error: String) -> String {
        "This exact edit already failed at step \(step): \(error) Read the lines you want to change with read_file and copy old_text exactly as shown (without the line numbers), or use write_file."
    }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "edit_file",
            description: """
                Replace one exact occurrence of old_text in a file with new_text. old_text must match the file \
                exactly (including indentation) and occur exactly once; include surrounding lines to make it unique.
                """,
            parameters: ToolSchema.object([
                .init("path", .string, "File path relative to the repository root.", required: true),
                .init("old_text", .string, "The exact text to replace (without line numbers).", required: true),
                .init("new_text", .string, "The text to put in its place.", required: true),
            ]))
    }

    public func run(_ arguments: JSON, in context: ToolContext) async throws(ToolError) -> String {
        let path = arguments["path"]?.stringValue ?? ""
        var oldText = arguments["old_text"]?.stringValue ?? ""
        var newText = arguments["new_text"]?.stringValue ?? ""
        let absolute = try context.workspace.resolve(path)
        let shown = context.workspace.relativePath(absolute)
        guard !oldText.isEmpty else {
            throw ToolError("old_text is empty; give the exact text to replace, or use write_file to create a file")
        }
        let text = try TextFile.read(absolute, shown: shown)

        // The model writes "\n"; a CRLF file gets its edit in CRLF so endings stay uniform.
        if TextFile.usesCRLF(text) {
            let crlfOld = TextFile.toCRLF(oldText)
            if text.contains(crlfOld) || !text.contains(oldText) {
                oldText = crlfOld
                newText = TextFile.toCRLF(newText)
            }
        }
        guard oldText != newText else { throw ToolError("old_text and new_text are identical; nothing to change") }

        var ranges = text.ranges(of: oldText)
        var note = ""
        // Small models often copy read_file's `   12| ` prefixes into old_text; strip them and retry.
        if ranges.isEmpty, let bare = Self.withoutLineNumbers(oldText) {
            let bareRanges = text.ranges(of: bare)
            // Found or not, the bare text is what the model meant: the changed-lines fallback below
            // must search for it without the prefixes (they never occur in the file).
            oldText = bare
            newText = Self.withoutLineNumbers(newText) ?? newText
            ranges = bareRanges
            if bareRanges.count == 1 { note = " (the line numbers copied from read_file were left out of old_text)" }
        }
        // Small models get the indentation wrong (8 spaces for 4); when the lines match once but for
        // their leading whitespace, edit those lines with new_text shifted by the same amount.
        var indentFixed = false
        if ranges.isEmpty, let shifted = Self.indentationTolerantMatch(old: oldText, new: newText, in: text) {
            ranges = [shifted.range]
            oldText = String(text[shifted.range])
            newText = shifted.new
            indentFixed = true
            note = " (old_text matched except for indentation; new_text was indented like the file)"
        }
        // Small models also quote unchanged neighbour lines wrongly (skipping a docstring, say). When
        // only the lines that actually change are found, once, edit just those — and say so.
        if ranges.isEmpty, let core = Self.changedCore(old: oldText, new: newText) {
            // One match, covering whole lines: a short core like ")" must not match inside another line.
            let coreRanges = text.ranges(of: core.old)
            if coreRanges.count == 1, Self.coversWholeLines(coreRanges[0], in: text) {
                ranges = coreRanges
                oldText = core.old
                newText = core.new
                note = " (old_text did not match exactly; only the changed lines were found and replaced — check the result)"
            }
        }
        guard ranges.count == 1, let range = ranges.first else {
            if ranges.isEmpty { throw ToolError(notFound(oldText, in: text, shown: shown)) }
            let lines = ranges.map { String(lineNumber(of: $0.lowerBound, in: text)) }
            throw ToolError(
                "old_text occurs \(ranges.count) times in \(shown) (starting at lines \(lines.joined(separator: ", "))); include more surrounding lines so it matches exactly once")
        }

        if !indentFixed, let reindented = Self.reindented(newText, at: range, in: text) {
            newText = reindented
            note += " (the new lines were indented to line up with the first)"
        }
        let firstLine = lineNumber(of: range.lowerBound, in: text)
        var updated = text
        updated.replaceSubrange(range, with: newText)
        try TextFile.write(updated, to: absolute, shown: shown)

        let oldCount = TextFile.lines(oldText).count
        let newCount = max(TextFile.lines(newText).count, newText.isEmpty ? 0 : 1)
        return "Edited \(shown): replaced \(oldCount) line\(oldCount == 1 ? "" : "s") at line \(firstLine) with \(newCount) line\(newCount == 1 ? "" : "s")\(note).\n"
            + snippet(of: updated, around: firstLine, count: max(newCount, 1))
    }

    /// `new` with its continuation lines moved right to the match's column, when old_text starts
    /// after a line's indentation and some continuation line of `new` would fall left of that column
    /// (out of the block). Small models write a multi-line new_text relative to where old_text
    /// starts; measured: `return x` in a function became `if …: return` plus two lines at column 0,
    /// a syntax error. Nil when nothing needs to move.
    static func reindented(_ new: String, at range: Range<String.Index>, in text: String) -> String? {
        let lineStart = text[..<range.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        let indent = text[lineStart..<range.lowerBound]
        guard !indent.isEmpty, indent.allSatisfy({ $0 == " " || $0 == "\t" }) else { return nil }
        let lines = new.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 1 else { return nil }
        let continuation = lines.dropFirst().filter { !$0.allSatisfy(\.isWhitespace) }
        guard continuation.contains(where: { !$0.hasPrefix(indent) }) else { return nil }
        let moved = lines.dropFirst().map { $0.allSatisfy(\.isWhitespace) ? $0 : indent + $0 }
        return ([lines[0]] + moved).joined(separator: "\n")
    }

    /// The one run of whole lines of `text` equal to old_text's lines but for leading whitespace,
    /// and new_text with the indentation of old_text's first line swapped for the file's; nil when
    /// there is no such run or more than one.
    static func indentationTolerantMatch(old: String, new: String, in text: String) -> (range: Range<String.Index>, new: String)? {
        func indentOf(_ line: Substring) -> Substring { line.prefix { $0 == " " || $0 == "\t" } }
        func body(_ line: Substring) -> Substring { line.dropFirst(indentOf(line).count) }
        var oldLines = old.split(separator: "\n", omittingEmptySubsequences: false)
        var newLines = new.split(separator: "\n", omittingEmptySubsequences: false)
        if oldLines.last == "" { oldLines.removeLast(); if newLines.last == "" { newLines.removeLast() } }
        guard let firstOld = oldLines.first, !body(firstOld).isEmpty else { return nil }
        // Line start offsets, so a run of lines maps back to a range of the text.
        var starts: [String.Index] = [text.startIndex]
        var lines: [Substring] = []
        var lineStart = text.startIndex
        for index in text.indices where text[index] == "\n" {
            lines.append(text[lineStart..<index])
            lineStart = text.index(after: index)
            starts.append(lineStart)
        }
        if lineStart < text.endIndex { lines.append(text[lineStart...]) }
        let wanted = oldLines.map(body)
        guard wanted.count <= lines.count else { return nil }
        var found: Int?
        for start in 0...(lines.count - wanted.count) where body(lines[start]) == wanted[0] {
            guard (1..<wanted.count).allSatisfy({ body(lines[start + $0]) == wanted[$0] }) else { continue }
            if found != nil { return nil }
            found = start
        }
        guard let start = found else { return nil }
        let (fileIndent, oldIndent) = (indentOf(lines[start]), indentOf(firstOld))
        guard fileIndent != oldIndent else { return nil }
        let last = start + wanted.count - 1
        let range = starts[start]..<(starts[last] < text.endIndex ? text.index(starts[last], offsetBy: lines[last].count) : text.endIndex)
        let shifted = newLines.map { line -> Substring in
            line.hasPrefix(oldIndent) ? fileIndent + line.dropFirst(oldIndent.count) : line
        }
        return (range, shifted.joined(separator: "\n"))
    }

    static func coversWholeLines(_ range: Range<String.Index>, in text: String) -> Bool {
        let startsLine = range.lowerBound == text.startIndex || text[text.index(before: range.lowerBound)] == "\n"
        let endsLine = range.upperBound == text.endIndex || text[range.upperBound] == "\n" || text[range.upperBound] == "\r"
        return startsLine && endsLine
    }

    /// The lines that differ between old and new once their common leading and trailing lines are
    /// dropped; nil when nothing would be left to find (a pure insertion) or nothing was dropped.
    static func changedCore(old: String, new: String) -> (old: String, new: String)? {
        let oldLines = old.split(separator: "\n", omittingEmptySubsequences: false)
        let newLines = new.split(separator: "\n", omittingEmptySubsequences: false)
        var head = 0
        while head < min(oldLines.count, newLines.count), oldLines[head] == newLines[head] { head += 1 }
        var tail = 0
        while tail < min(oldLines.count, newLines.count) - head,
              oldLines[oldLines.count - 1 - tail] == newLines[newLines.count - 1 - tail] { tail += 1 }
        guard head + tail > 0 else { return nil }
        let coreOld = oldLines[head..<(oldLines.count - tail)].joined(separator: "\n")
        let coreNew = newLines[head..<(newLines.count - tail)].joined(separator: "\n")
        guard !coreOld.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return (coreOld, coreNew)
    }

    /// `text` with a read_file prefix (`   12| `) removed from every line, or nil unless every
    /// non-empty line has one.
    static func withoutLineNumbers(_ text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var stripped: [Substring] = []
        var sawPrefix = false
        for line in lines {
            if line.isEmpty { stripped.append(line); continue }
            let afterSpaces = line.drop { $0 == " " }
            let digits = afterSpaces.prefix { $0.isASCII && $0.isNumber }
            let rest = afterSpaces.dropFirst(digits.count)
            guard !digits.isEmpty, rest.hasPrefix("|") else { return nil }
            let body = rest.dropFirst()
            stripped.append(body.hasPrefix(" ") ? body.dropFirst() : body)
            sawPrefix = true
        }
        return sawPrefix ? stripped.joined(separator: "\n") : nil
    }

    /// The edited region with a little context, numbered like read_file.
    private func snippet(of text: String, around first: Int, count: Int) -> String {
        let lines = TextFile.lines(text)
        guard !lines.isEmpty else { return "(the file is now empty)" }
        let start = max(1, first - Self.contextLines)
        let end = min(lines.count, first + count - 1 + Self.contextLines, start + Self.maxShownLines - 1)
        guard start <= end else { return "" }
        let width = max(5, String(end).count)
        return (start...end).map { TextFile.numbered(lines[$0 - 1], number: $0, width: width) }.joined(separator: "\n")
    }

    private func lineNumber(of index: String.Index, in text: String) -> Int {
        text[..<index].utf8.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    /// Says old_text was not found, and shows the closest line of the file when one is close enough
    /// (most misses are indentation or a slightly misremembered line).
    private func notFound(_ oldText: String, in text: String, shown: String) -> String {
        var message = "old_text was not found in \(shown) (0 occurrences)"
        let wanted = TextFile.lines(oldText).map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        let lines = TextFile.lines(text)
        guard let first = wanted.first, !lines.isEmpty, lines.count <= 50_000 else {
            return message + "; read the file with read_file and copy the text exactly"
        }
        let target = Bigrams(first)
        var best = (score: 0.0, line: 0)
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty { continue }
            let score = trimmed == first ? 1.0 : target.similarity(to: Bigrams(trimmed))
            if score > best.score { best = (score, index + 1) }
            if score == 1.0 { break }
        }
        guard best.score >= 0.5 else {
            return message + "; read the file with read_file and copy the text exactly"
        }
        let start = max(1, best.line - 1)
        let end = min(lines.count, best.line + max(wanted.count, 1))
        let width = max(5, String(end).count)
        let shownLines = (start...end).map { TextFile.numbered(lines[$0 - 1], number: $0, width: width) }
        message += ". The closest text is at line \(best.line)\(best.score == 1.0 ? " (the first line matches except for whitespace)" : ""):\n"
        return message + shownLines.joined(separator: "\n") + "\nCopy old_text exactly from the file (without the line numbers)."
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        String(self.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}

/// Character-bigram sets for a cheap similarity (Dice coefficient) between two lines.
struct Bigrams {
    private let set: Set<String>

    init(_ text: String) {
        let chars = Array(text)
        var set = Set<String>()
        if chars.count >= 2 { for i in 0..<(chars.count - 1) { set.insert(String(chars[i...i + 1])) } }
        self.set = set
    }

    func similarity(to other: Bigrams) -> Double {
        guard !set.isEmpty, !other.set.isEmpty else { return 0 }
        return 2 * Double(set.intersection(other.set).count) / Double(set.count + other.set.count)
    }
}
