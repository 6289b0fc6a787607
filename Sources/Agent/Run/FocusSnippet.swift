import Foundation

/// The code of the definition around a likely place, with read_file's line numbers, shown in the
/// orientation. A small model that has to find and read the code itself spends most of its steps
/// (and, on CPU, minutes of prompt processing per 350-line read) before its first edit; shown the
/// function, it can edit on its first step.
enum FocusSnippet {
    /// The longest snippet shown; a longer definition is cut around the candidate line.
    static let maxLines = 50

    /// The enclosing definition of line `line` (1-based) of `text`, numbered like read_file, or nil
    /// when the line is outside the file. Definitions are found by indentation: the nearest line at
    /// or above `line` that `Localization.definedName` recognises, with less indentation than the
    /// line itself unless it is the line; the body ends before the next non-blank line indented no
    /// deeper than the definition (a closing brace at that depth is kept).
    static func enclosingDefinition(line: Int, of text: String, path: String) -> String? {
        let lines = TextFile.lines(text)
        guard line >= 1, line <= lines.count else { return nil }
        let start = definitionStart(of: line - 1, in: lines)
        let depth = indentation(lines[start])
        var end = start
        var index = start + 1
        while index < lines.count {
            let current = lines[index]
            if !current.allSatisfy(\.isWhitespace) {
                if indentation(current) <= depth {
                    if current.trimmingCharacters(in: .whitespaces).hasPrefix("}") { end = index }
                    break
                }
                end = index
            }
            index += 1
        }
        // Keep the candidate line inside the window when the definition is longer than maxLines.
        var first = start
        var last = end
        if last - first + 1 > maxLines {
            let anchor = line - 1
            first = max(start, min(anchor - maxLines / 2, end - maxLines + 1))
            last = first + maxLines - 1
        }
        let width = max(5, String(last + 1).count)
        var out = ["\(path) lines \(first + 1)-\(last + 1) of \(lines.count):"]
        for number in first...last {
            out.append(TextFile.numbered(lines[number].prefix(200), number: number + 1, width: width))
        }
        return out.joined(separator: "\n")
    }

    /// The index of the definition line that encloses `index`.
    static func definitionStart(of index: Int, in lines: [Substring]) -> Int {
        var limit = indentation(lines[index])
        if Localization.definedName(lines[index]) != nil { return index }
        var current = index - 1
        while current >= 0 {
            let candidate = lines[current]
            if !candidate.allSatisfy(\.isWhitespace) {
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

    static func indentation(_ line: Substring) -> Int {
        var count = 0
        for character in line {
            if character == " " { count += 1 } else if character == "\t" { count += 4 } else { break }
        }
        return count
    }
}
