/// The separate changes inside a one-line answer, each made alone.
///
/// A small model asked how a line should read rewrites more than the bug: on inflection the 1.5B
/// model answered `if not word or word not in UNCOUNTABLES:` for `if not word and word.lower() in
/// UNCOUNTABLES:` — the fix (`and` → `or`) plus a change that broke 77 other tests. The answer is
/// compared with the line token by token; when it makes two to `maxParts` separate changes, each
/// of them alone is a candidate the repair verifies too (no model time; one test run each). The
/// smallest change the tests accept is also the patch a user would rather review.
enum AnswerParts {
    /// More separate changes than this and the answer is a rewrite, not a fix plus noise.
    static let maxParts = 4

    /// `original` with each of `answer`'s separate changes made alone, in the line's order (without
    /// indentation); empty when the answer makes fewer than two changes or more than `maxParts`, or
    /// keeps no more than half of the line's tokens (another line, not an edit of it).
    static func lines(original: String, answer: String) -> [String] {
        let old = Token.split(original)
        let new = Token.split(answer)
        let changed = Self.hunks(old.map(\.text), new.map(\.text))
        let kept = old.count - changed.map(\.old.count).reduce(0, +)
        let hunks = Self.balanced(changed, old: old.map(\.text), new: new.map(\.text))
        guard hunks.count >= 2, hunks.count <= maxParts, kept * 2 > old.count else { return [] }
        return hunks.map { hunk in
            var tokens = old
            tokens.replaceSubrange(hunk.old, with: new[hunk.new])
            // Unindented: `LineFix.applied` gives the line its indentation.
            if !tokens.isEmpty { tokens[0].leading = "" }
            return tokens.map { $0.leading + $0.text }.joined()
        }
    }

    /// A changed region: tokens `old` of the line are replaced by tokens `new` of the answer.
    struct Hunk: Equatable {
        var old: Range<Int>
        var new: Range<Int>
    }

    /// The regions between the tokens both sequences keep (their longest common subsequence).
    /// Of the alignments that keep as many, the one matching tokens as late as it can: an inserted
    /// `.lower()` before a `)` then holds its own `)`, and the line's `)` stays the line's
    /// (inflection's `transliterate(string)` → `transliterate(string.lower())` is one change).
    static func hunks(_ old: [String], _ new: [String]) -> [Hunk] {
        // lengths[i][j]: the longest common subsequence of old[..<i] and new[..<j].
        var lengths = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in 0..<old.count {
            for j in 0..<new.count {
                lengths[i + 1][j + 1] = old[i] == new[j] ? lengths[i][j] + 1 : max(lengths[i][j + 1], lengths[i + 1][j])
            }
        }
        var hunks: [Hunk] = []
        var (i, j) = (old.count, new.count)
        var end: (Int, Int)?
        func close() {
            if let (oldEnd, newEnd) = end { hunks.append(Hunk(old: i..<oldEnd, new: j..<newEnd)) }
            end = nil
        }
        while i > 0 || j > 0 {
            if i > 0, j > 0, old[i - 1] == new[j - 1] {
                close()
                i -= 1; j -= 1
            } else {
                if end == nil { end = (i, j) }
                if i > 0, j == 0 || lengths[i - 1][j] >= lengths[i][j - 1] { i -= 1 } else { j -= 1 }
            }
        }
        close()
        return hunks.reversed()
    }

    /// `hunks` joined, neighbour to neighbour, until each group opens and closes as many brackets
    /// of each kind in the answer as in the line: `f(x)` → `f(g(x))` is one change (`g(` and its
    /// `)`), not two that are each a syntax error. Hunks that never balance (the answer drops a
    /// bracket) stay as they were.
    static func balanced(_ hunks: [Hunk], old: [String], new: [String]) -> [Hunk] {
        var joined: [Hunk] = []
        var pending: [Hunk] = []
        for hunk in hunks {
            pending.append(hunk)
            let group = Hunk(old: pending[0].old.lowerBound..<hunk.old.upperBound, new: pending[0].new.lowerBound..<hunk.new.upperBound)
            if BracketDepth(new[group.new]) == BracketDepth(old[group.old]) {
                joined.append(group)
                pending = []
            }
        }
        return joined + pending
    }

    /// How many of each kind of bracket a run of tokens leaves open (negative: closes).
    struct BracketDepth: Equatable {
        var round = 0, square = 0, curly = 0

        init(_ tokens: ArraySlice<String>) {
            for token in tokens {
                switch token {
                case "(": round += 1
                case ")": round -= 1
                case "[": square += 1
                case "]": square -= 1
                case "{": curly += 1
                case "}": curly -= 1
                default: break
                }
            }
        }
    }

    /// A token of code and the whitespace before it: identifiers and numbers, string literals,
    /// common two-character operators, and any other character alone.
    struct Token: Equatable {
        var leading: String
        var text: String

        static let operators: Set<String> = ["==", "!=", "<=", ">=", "//", "**", "->", "+=", "-=", "*=", "/=", "&&", "||", "<<", ">>", "::", ":="]

        static func split(_ line: String) -> [Token] {
            let characters = Array(line)
            var tokens: [Token] = []
            var index = 0
            while index < characters.count {
                let spaceStart = index
                while index < characters.count, characters[index].isWhitespace { index += 1 }
                guard index < characters.count else { break }
                let leading = String(characters[spaceStart..<index])
                let start = index
                let character = characters[index]
                if character.isLetter || character.isNumber || character == "_" {
                    while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" { index += 1 }
                } else if character == "\"" || character == "'" {
                    index += 1
                    while index < characters.count, characters[index] != character {
                        index += characters[index] == "\\" ? 2 : 1
                    }
                    index = min(index + 1, characters.count)
                } else if index + 1 < characters.count, operators.contains(String(characters[index...index + 1])) {
                    index += 2
                } else {
                    index += 1
                }
                tokens.append(Token(leading: leading, text: String(characters[start..<index])))
            }
            return tokens
        }
    }
}
