import JSONValue
import ModelClient

/// The focused repair's one-shot question: a failing test, the code it points at, and "which line
/// is wrong, and what should it say". A 1.5B model that wanders in an agent loop for minutes
/// answers this in seconds, and often right; the answer is a line chosen from the code (an enum in
/// the response schema, so it cannot name a line that is not there) and its replacement.
enum RepairPrompt {
    static let system = "You are an expert software engineer. You find and fix bugs."

    /// The common shapes of one-line bugs (as studies of simple bugs classify them) name what to
    /// look for. The model otherwise rewrites the line the error is raised on (a `raise`, a
    /// `return`), where the wrong condition or value is usually a line or two earlier; and a missing
    /// statement needs a way to be written as "one line corrected".
    static let instructions = """
        One line of this code has a bug (for example a wrong operator, a wrong constant, an off-by-one bound, \
        arguments in the wrong order, a negated condition, or a missing statement). The wrong line is not always the \
        one the error is raised on: a condition or a value computed before it may be wrong. Answer in JSON: \
        `diagnosis` says in one sentence what the test expects and what the code does instead; `line` is the wrong \
        line; `replacement` is that line corrected: code only, no prose. If a statement is missing, `replacement` is \
        the missing statement followed by the chosen line, on separate lines. Example:
        {"diagnosis": "<expected vs actual>", "line": "41: for i in range(n - 1):", "replacement": "for i in range(n):"}
        """

    /// A change already made and tested, and what the tests said.
    struct Tried: Sendable, Equatable {
        var fix: LineFix
        /// The verification's reason, e.g. "None of the 3 tests that failed before pass now."
        var result: String
    }

    /// `signatures`: the definitions the code calls from its own file (`CalledSignatures`);
    /// `tried`: earlier answers' changes and their results, so the next answer looks elsewhere
    /// (without them, sampled answers repeat the greedy one's line in most cases).
    static func user(failure: String, definition: FocusSnippet.Shown, signatures: [String] = [], tried: [Tried] = []) -> String {
        var text = "This test fails:\n```\n\(failure)\n```\n\nThe code it calls:\n```\n\(definition.rendered)\n```\n\n"
        if !signatures.isEmpty {
            text += "Signatures of functions that code calls (same file):\n```\n\(signatures.joined(separator: "\n"))\n```\n\n"
        }
        text += instructions
        if !tried.isEmpty {
            text += "\n\nThese changes were already tested and did not fix the bug; give a different one, on a line they did not change if those lines look right:\n"
            text += tried.map { "- line \($0.fix.line) → `\($0.fix.replacement.joined(separator: "\\n"))`: \($0.result)" }.joined(separator: "\n")
        }
        return text
    }

    /// The search's question: the same failure and code, with the line named (the schema allows
    /// only it), asking how it should read; `tried`: the changes to that line already tested.
    static func user(failure: String, definition: FocusSnippet.Shown, signatures: [String] = [], line: Int, tried: [Tried] = []) -> String {
        let code = definition.sourceRows.first { $0.number == line }?.text.trimmingCharacters(in: .whitespaces) ?? ""
        return user(failure: failure, definition: definition, signatures: signatures, tried: tried)
            + "\n\nThe bug is on line \(line): `\(code)`. Give that line corrected."
    }

    /// The lines the answer may name, as `number: code` (blank lines and `excluded` left out).
    static func choices(_ definition: FocusSnippet.Shown, excluding excluded: Set<Int> = []) -> [String] {
        definition.sourceRows.compactMap { row in
            let code = row.text.trimmingCharacters(in: .whitespaces)
            return code.isEmpty || excluded.contains(row.number) ? nil : "\(row.number): \(code)"
        }
    }

    /// Keys in the order the model should write them; `JSON` serializes keys sorted, and llama.cpp's
    /// grammar follows the schema's order, so the names sort that way: diagnosis, line, replacement.
    static func responseFormat(_ definition: FocusSnippet.Shown, excluding excluded: Set<Int> = []) -> JSON {
        format(lines: choices(definition, excluding: excluded))
    }

    /// The schema with only `line` to choose.
    static func responseFormat(_ definition: FocusSnippet.Shown, only line: Int) -> JSON {
        format(lines: choices(definition).filter { $0.hasPrefix("\(line): ") })
    }

    private static func format(lines: [String]) -> JSON {
        let schema: JSON = [
            "type": "object",
            "properties": [
                "diagnosis": ["type": "string", "maxLength": 300],
                "line": ["type": "string", "enum": .array(lines.map(JSON.string))],
                "replacement": ["type": "string", "maxLength": 400],
            ],
            "required": ["diagnosis", "line", "replacement"],
            "additionalProperties": false,
        ]
        return ["type": "json_schema", "json_schema": ["name": "line_fix", "strict": true, "schema": schema]]
    }
}
