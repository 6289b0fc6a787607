import Foundation

/// One definition the focused repair asks about, and what it has learned about it so far: the
/// changes tested and what the tests said, the lines the model keeps choosing in vain, and how
/// often it repeated itself.
struct RepairSubject: Sendable {
    var definition: FocusSnippet.Shown
    /// Signatures of what the definition calls from its own file (`CalledSignatures`).
    var signatures: [String]
    var tried: [RepairPrompt.Tried] = []
    /// Per line: answers about it after which no failing test passed.
    var failuresOnLine: [Int: Int] = [:]
    /// Answers that repeated an earlier change.
    var repeats = 0
    /// The definition is a class's own body, not a function (`showsClassBody`).
    var isClassBody = false

    /// A line leaves the choices once this many answers about it made no failing test pass — a
    /// change tested, the line copied unchanged, or such a change repeated: the model otherwise keeps
    /// rewriting the line the error is raised on (pathspec: 6 of 6 answers on the `raise` line).
    static let failuresBeforeLineIsDropped = 2
    /// A definition with at most this many lines of code is shown with its docstring: a one-line
    /// function's behaviour (toolz's `random_sample` takes an int seed) is written only there.
    static let shortDefinitionLines = 6
    /// The most lines a repair prompt shows of one definition (comments left out): webcolors'
    /// 139-line, half-comment function has its bug in the last line, which the orientation's
    /// 50-line cut leaves out.
    static let maxLines = 80

    /// Lines the model may no longer choose (all of them offered again should none be left).
    var droppedLines: Set<Int> {
        let dropped = Set(failuresOnLine.filter { $0.value >= Self.failuresBeforeLineIsDropped }.keys)
        return RepairPrompt.choices(definition, excluding: dropped).isEmpty ? [] : dropped
    }

    /// Lines some tested answer already changed.
    var triedLines: Set<Int> { Set(tried.map(\.fix.line)) }

    /// The lines the search asks about in turn, most suspect first: lines no answer changed yet
    /// before those some did (boltons: the right line, first answered with no change at all); within
    /// each, those that return or yield a value (a wrong result is most often computed there), then
    /// conditions and comparisons, then the rest; source order within a rank. Lines no one-line fix
    /// lives on (`else:`, `try:`, a lone bracket, a decorator, a docstring's lines) are left out.
    func searchOrder() -> [Int] {
        let done = triedLines
        let prose = Self.stringLines(definition.sourceRows)
        let candidates = definition.sourceRows.compactMap { row -> (tried: Bool, rank: Int, number: Int)? in
            guard !prose.contains(row.number) else { return nil }
            return Self.suspicion(of: row.text).map { (done.contains(row.number), $0, row.number) }
        }
        return candidates.sorted { a, b in
            if a.tried != b.tried { return !a.tried }
            return a.rank != b.rank ? a.rank > b.rank : a.number < b.number
        }.map(\.number)
    }

    /// The rows that are all string: inside a triple-quoted string, or one that opens or closes
    /// such a string with no code before it (a method's docstring is numbered when the definition
    /// shown is its class: parse's search asked about two docstring lines and tested their parts).
    static func stringLines(_ rows: [(number: Int, text: String)]) -> Set<Int> {
        var lines: Set<Int> = []
        var open: String?
        for row in rows {
            let code = row.text.trimmingCharacters(in: .whitespaces)
            // One more part than occurrences: an odd count closes every string the line opens.
            func closesAsOften(_ marker: String) -> Bool { code.components(separatedBy: marker).count % 2 == 1 }
            if let marker = open {
                lines.insert(row.number)
                if !closesAsOften(marker) { open = nil }
                continue
            }
            let first = ["\"\"\"", "'''"].compactMap { marker in code.range(of: marker).map { (marker, $0.lowerBound) } }.min { $0.1 < $1.1 }
            guard let (marker, start) = first else { continue }
            let startsLine = code[..<start].allSatisfy { "rRbBuUfF".contains($0) }
            if closesAsOften(marker) {
                if startsLine, code.hasSuffix(marker) { lines.insert(row.number) }   // a one-line docstring
            } else {
                open = marker
                if startsLine { lines.insert(row.number) }
            }
        }
        return lines
    }

    /// 3: returns a value; 2: a condition or comparison; 1: other code; nil: nothing to fix there.
    static func suspicion(of line: String) -> Int? {
        let code = line.trimmingCharacters(in: .whitespaces)
        let bare: Set<String> = ["else:", "try:", "finally:", "pass", "break", "continue", "return", "}", "{", "} else {"]
        guard code.contains(where: { $0.isLetter || $0.isNumber }), !bare.contains(code), !code.hasPrefix("@") else { return nil }
        if code.hasPrefix("return ") || code.hasPrefix("yield ") { return 3 }
        let conditions = ["if ", "elif ", "while ", "assert ", "} else if "]
        let operators = [" and ", " or ", "not ", "==", "!=", "<", ">", " in ", " is "]
        if conditions.contains(where: code.hasPrefix) || operators.contains(where: code.contains) { return 2 }
        return 1
    }

    /// Whether the repair shows `found` as a class's own body rather than a function: the
    /// definition enclosing `anchor(of:)`, which `view(of:text:)` shows, starts with `class`.
    static func showsClassBody(_ found: FocusSnippet.Shown, text: String) -> Bool {
        let lines = TextFile.lines(text)
        guard let anchor = anchor(of: found), anchor >= 1, anchor <= lines.count else { return false }
        let start = FocusSnippet.definitionStart(of: anchor - 1, in: lines)
        return lines[start].trimmingCharacters(in: .whitespaces).hasPrefix("class ")
    }

    /// The line whose enclosing definition the repair shows: the header of the definition
    /// localization found when it is shown whole, else (a long one, cut) its middle row. Not the
    /// middle of a whole one: that may sit in a nested definition (six's `with_metaclass`: its middle
    /// is the inner class's `__new__`, and the repair showed only that, without the buggy last line).
    static func anchor(of found: FocusSnippet.Shown) -> Int? {
        let rows = found.sourceRows
        if let header = rows.first(where: { !$0.text.trimmingCharacters(in: .whitespaces).hasPrefix("@") }),
           Localization.definedName(Substring(header.text)) != nil {
            return header.number
        }
        return rows.isEmpty ? nil : rows[rows.count / 2].number
    }

    /// Functions before classes, each kind in localization's order. A class is shown as its first
    /// `maxLines` lines — attributes, a regex, the start of `__init__` — and a bug the failure points
    /// to is in a method: on semver's `is_compatible` (held-out batch 2) the search spent its
    /// four minutes on the class `Version` and never reached the method.
    static func ordered(_ subjects: [RepairSubject]) -> [RepairSubject] {
        subjects.filter { !$0.isClassBody } + subjects.filter(\.isClassBody)
    }

    /// How the repair shows a definition localization found: comment-only lines left out (a
    /// one-line bug is never in a comment, and the cut keeps more code), up to `maxLines`, and a
    /// short definition with its docstring when all its code still fits.
    static func view(of found: FocusSnippet.Shown, text: String) -> FocusSnippet.Shown {
        guard let anchor = anchor(of: found) else { return found }
        var presentation = FocusSnippet.Presentation(droppingComments: true, maxLines: maxLines)
        guard let code = FocusSnippet.definition(around: anchor, of: text, path: found.path, presentation: presentation) else { return found }
        presentation.unfoldingDocstring = true
        if code.sourceRows.count <= shortDefinitionLines,
           let unfolded = FocusSnippet.definition(around: anchor, of: text, path: found.path, presentation: presentation),
           unfolded.sourceRows.map(\.number) == code.sourceRows.map(\.number) {
            return unfolded
        }
        return code
    }
}
