import Foundation

/// The code of the definition around a likely place, with read_file's line numbers, shown in the
/// orientation. A small model that has to find and read the code itself spends most of its steps
/// (and, on CPU, minutes of prompt processing per 350-line read) before its first edit; shown the
/// function, it can edit on its first step.
enum FocusSnippet {
    /// The most lines shown for one definition; a longer one is cut around the anchor line.
    static let maxLines = 50

    /// A definition's code as the orientation shows it: source rows with their 1-based numbers,
    /// and a folded docstring as one row without a number.
    struct Shown: Sendable, Equatable {
        struct Row: Sendable, Equatable {
            var number: Int?
            var text: String
            /// A docstring line shown unfolded: in the number column's place, not a line to choose.
            var isDocstring = false
        }
        var path: String
        var totalLines: Int
        var rows: [Row]

        /// The rows that are source lines (not a fold), with their numbers.
        var sourceRows: [(number: Int, text: String)] { rows.compactMap { row in row.number.map { ($0, row.text) } } }

        /// Numbered like read_file, under a `path lines a-b of n:` header.
        var rendered: String {
            let numbers = rows.compactMap(\.number)
            let width = max(5, String(numbers.last ?? 1).count)
            var out = ["\(path) lines \(numbers.first ?? 1)-\(numbers.last ?? 1) of \(totalLines):"]
            for row in rows {
                if row.isDocstring {
                    out.append(String(repeating: " ", count: width) + "| " + row.text)
                } else {
                    out.append(row.number.map { TextFile.numbered(row.text, number: $0, width: width) } ?? row.text)
                }
            }
            return out.joined(separator: "\n")
        }
    }

    /// The enclosing definition of line `line` (1-based) of `text`, numbered like read_file, with a
    /// long docstring folded into one unnumbered line; nil when the line is outside the file.
    static func enclosingDefinition(line: Int, of text: String, path: String) -> String? {
        definition(around: line, of: text, path: path)?.rendered
    }

    /// How much of a definition is shown. The orientation's default folds a long docstring and cuts
    /// at `FocusSnippet.maxLines`; the focused repair shows more (see `RepairSubject.view`).
    struct Presentation: Sendable {
        /// The docstring's lines shown (unnumbered) instead of one fold line.
        var unfoldingDocstring = false
        /// Comment-only lines left out, so a cut keeps more code.
        var droppingComments = false
        var maxLines = FocusSnippet.maxLines
    }

    /// The rows `enclosingDefinition` renders.
    static func definition(around line: Int, of text: String, path: String, presentation: Presentation = Presentation()) -> Shown? {
        let lines = TextFile.lines(text)
        guard line >= 1, line <= lines.count else { return nil }
        let range = definitionRange(of: line - 1, in: lines)
        var shown: [Shown.Row] = []
        let docstring = docstringRange(after: range.lowerBound, in: lines, within: range)
        var index = range.lowerBound
        while index <= range.upperBound {
            if let docstring, index == docstring.lowerBound, presentation.unfoldingDocstring {
                shown += docstring.map { Shown.Row(number: nil, text: String(lines[$0].prefix(200)), isDocstring: true) }
                index = docstring.upperBound + 1
                continue
            }
            if let docstring, index == docstring.lowerBound {
                shown.append(Shown.Row(number: nil, text: "  … docstring, lines \(docstring.lowerBound + 1)-\(docstring.upperBound + 1), not shown …"))
                index = docstring.upperBound + 1
                continue
            }
            if !presentation.droppingComments || !isComment(lines[index]) {
                shown.append(Shown.Row(number: index + 1, text: String(lines[index].prefix(200))))
            }
            index += 1
        }
        let maxLines = presentation.maxLines
        if shown.count > maxLines {
            let anchor = shown.firstIndex { ($0.number ?? 0) >= line } ?? 0
            let first = max(0, min(anchor - maxLines / 2, shown.count - maxLines))
            shown = Array(shown[first..<(first + maxLines)])
        }
        return Shown(path: path, totalLines: lines.count, rows: shown)
    }

    /// The lines (0-based, inclusive) of the definition enclosing `index`. Definitions are found by
    /// indentation: the nearest line at or above `index` that `Localization.definedName` recognises,
    /// with less indentation than the lines between unless it is the line itself; the body ends before
    /// the next non-blank line indented no deeper than the definition (a closing brace at that depth
    /// is kept).
    static func definitionRange(of index: Int, in lines: [Substring]) -> ClosedRange<Int> {
        let start = definitionStart(of: index, in: lines)
        let depth = indentation(lines[start])
        var end = start
        var current = start + 1
        while current < lines.count {
            let text = lines[current]
            if !isBlank(text) {
                if indentation(text) <= depth {
                    // A multi-line signature's closing `)` or `) -> T:` belongs to the definition.
                    let trimmed = text.trimmingCharacters(in: .whitespaces)
                    if trimmed.hasPrefix("}") || (trimmed.hasPrefix(")") && current == end + 1) { end = current; current += 1; continue }
                    break
                }
                end = current
            }
            current += 1
        }
        return start...end
    }

    /// The body (without its first line) of the first definition of `name` in `lines`; nil when none.
    static func body(ofDefinitionNamed name: String, in lines: [Substring]) -> String? {
        guard let index = lines.firstIndex(where: { Localization.definedName($0) == name }) else { return nil }
        return definitionRange(of: index, in: lines).dropFirst().map { String(lines[$0]) }.joined(separator: "\n")
    }

    /// The index of the definition line that encloses `index`.
    static func definitionStart(of index: Int, in lines: [Substring]) -> Int {
        if Localization.definedName(lines[index]) != nil { return index }
        var limit = indentation(lines[index])
        var current = index - 1
        while current >= 0 {
            let candidate = lines[current]
            // A closing bracket (a multi-line signature's `):`) does not end the search.
            if !isBlank(candidate), !")]}".contains(candidate.trimmingCharacters(in: .whitespaces).first ?? " ") {
                let depth = indentation(candidate)
                if depth < limit {
                    if Localization.definedName(candidate) != nil { return current }
                    limit = depth
                }
            }
            current -= 1
        }
        return index
    }

    /// A Python docstring of three lines or more right after the signature that starts at `start`.
    static func docstringRange(after start: Int, in lines: [Substring], within range: ClosedRange<Int>) -> ClosedRange<Int>? {
        var current = start + 1
        // Skip the rest of a multi-line signature: up to the line that ends with ':'.
        if !lines[start].trimmingCharacters(in: .whitespaces).hasSuffix(":") {
            while current <= range.upperBound, !lines[current].trimmingCharacters(in: .whitespaces).hasSuffix(":") { current += 1 }
            current += 1
        }
        guard current <= range.upperBound else { return nil }
        let opening = lines[current].trimmingCharacters(in: .whitespaces)
        guard let quote = ["\"\"\"", "'''", "r\"\"\"", "r'''"].first(where: { opening.hasPrefix($0) }) else { return nil }
        let marker = String(quote.suffix(3))
        if opening.dropFirst(quote.count).contains(marker) { return nil }   // one line
        var end = current + 1
        while end <= range.upperBound, !lines[end].contains(marker) { end += 1 }
        guard end <= range.upperBound, end - current >= 2 else { return nil }
        return current...end
    }

    /// A line with nothing but a comment (`#` or `//`).
    static func isComment(_ line: Substring) -> Bool {
        let code = line.drop { $0 == " " || $0 == "\t" }
        return code.hasPrefix("#") || code.hasPrefix("//")
    }

    static func indentation(_ line: Substring) -> Int {
        var count = 0
        for character in line {
            if character == " " { count += 1 } else if character == "\t" { count += 4 } else { break }
        }
        return count
    }

    static func isBlank(_ line: Substring) -> Bool { line.allSatisfy(\.isWhitespace) }
}
