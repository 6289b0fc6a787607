import Foundation

/// A failure that says a name is used before anything sets it (Python's `UnboundLocalError`,
/// `NameError`): the statement that assigns it is missing, the bug's one shape no line *rewrite*
/// fixes. semver's `match` lost `prefix = match_expr[:2]`; asked to correct the `if prefix in …`
/// line, the model rewrote the condition every time.
enum MissingAssignment {
    /// The unbound name the failure reports, or nil.
    static func name(in failure: String) -> String? {
        let patterns = [
            #"UnboundLocalError: cannot access local variable '([A-Za-z_][A-Za-z0-9_]*)'"#,
            #"UnboundLocalError: local variable '([A-Za-z_][A-Za-z0-9_]*)' referenced before assignment"#,
            #"NameError: name '([A-Za-z_][A-Za-z0-9_]*)' is not defined"#,
            #"NameError: cannot access free variable '([A-Za-z_][A-Za-z0-9_]*)'"#,
        ]
        for pattern in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                  let match = regex.firstMatch(in: failure, range: NSRange(failure.startIndex..., in: failure)),
                  let range = Range(match.range(at: 1), in: failure) else { continue }
            return String(failure[range])
        }
        return nil
    }

    /// The first numbered line of `definition` after its first that uses `name` as a word: where
    /// the missing statement goes before.
    static func firstUse(of name: String, in definition: FocusSnippet.Shown) -> Int? {
        definition.sourceRows.dropFirst().first { row in uses(row.text, name) }?.number
    }

    private static func uses(_ code: String, _ name: String) -> Bool {
        var rest = code[...]
        while let found = rest.range(of: name) {
            let before = found.lowerBound == code.startIndex ? nil : code[code.index(before: found.lowerBound)]
            let after = found.upperBound == code.endIndex ? nil : code[found.upperBound]
            let isWordChar: (Character?) -> Bool = { $0.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." } ?? false }
            if !isWordChar(before), !(after.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false) { return true }
            rest = code[found.upperBound...]
        }
        return false
    }
}
