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

    /// The search's instructions: the line is named, so only the bug's shapes. Its answer is the
    /// replacement alone: a diagnosis and the copied line cost the 1.5B model about 70 tokens (9 s on
    /// 2 cores) where the replacement costs 20 (2.5 s), and on the named line the short answer was
    /// right as often or more (docs/evaluation.md, session 6). Naming a missing statement here made
    /// it worse (3 of 15 right against 5 of 15), so the search leaves insertions to the free answers.
    static let searchInstructions = """
        One line of this code has a bug (for example a wrong operator, a wrong constant, an off-by-one bound, \
        arguments in the wrong order, or a negated condition).
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
        context(failure: failure, definition: definition, signatures: signatures) + instructions
            + triedList(tried, "give a different one, on a line they did not change if those lines look right")
    }

    /// What both questions start with (so llama.cpp's prompt cache reuses it): the failure, the
    /// code, and the signatures of what the code calls.
    private static func context(failure: String, definition: FocusSnippet.Shown, signatures: [String]) -> String {
        var text = "This test fails:\n```\n\(failure)\n```\n\nThe code it calls:\n```\n\(definition.rendered)\n```\n\n"
        if !signatures.isEmpty {
            text += "Signatures of functions that code calls (same file):\n```\n\(signatures.joined(separator: "\n"))\n```\n\n"
        }
        return text
    }

    private static func triedList(_ tried: [Tried], _ ask: String) -> String {
        guard !tried.isEmpty else { return "" }
        return "\n\nThese changes were already tested and did not fix the bug; \(ask):\n"
            + tried.map { "- line \($0.fix.line) → `\($0.fix.replacement.joined(separator: "\\n"))`: \($0.result)" }.joined(separator: "\n")
    }

    /// The search's question: the same failure and code, with the line named (the schema allows
    /// only it), asking how it should read; `tried`: the changes to that line already tested.
    static func user(failure: String, definition: FocusSnippet.Shown, signatures: [String] = [], line: Int, tried: [Tried] = []) -> String {
        let code = code(on: line, of: definition)
        return context(failure: failure, definition: definition, signatures: signatures) + searchInstructions
            + triedList(tried, "give a different one")
            + "\n\nThe bug is on line \(line): `\(code)`. Give that line corrected. "
            + #"Answer in JSON: {"replacement": "<the corrected line, code only>"}"#
    }

    /// The question for a name used before anything sets it (`MissingAssignment`): the statement
    /// that assigns it, then the line as it is (the insertion form `LineFix` applies).
    static func user(failure: String, definition: FocusSnippet.Shown, signatures: [String] = [], unbound name: String, usedOn line: Int) -> String {
        let code = code(on: line, of: definition)
        return context(failure: failure, definition: definition, signatures: signatures)
            + "`\(name)` is used on line \(line) (`\(code)`) but nothing sets it before that line: the statement that assigns it "
            + "is missing. Give that statement, then line \(line) as it is, on separate lines. "
            + #"Answer in JSON: {"replacement": "<the missing statement>\n<line \#(line) as it is>"}"#
    }

    /// Line `line` of the definition, without its indentation.
    private static func code(on line: Int, of definition: FocusSnippet.Shown) -> String {
        definition.sourceRows.first { $0.number == line }?.text.trimmingCharacters(in: .whitespaces) ?? ""
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

    /// The search's schema: the line is named, so the replacement alone.
    static let replacementFormat: JSON = format(properties: ["replacement": replacement])

    private static let replacement: JSON = ["type": "string", "maxLength": 400]

    private static func format(lines: [String]) -> JSON {
        format(properties: [
            "diagnosis": ["type": "string", "maxLength": 300],
            "line": ["type": "string", "enum": .array(lines.map(JSON.string))],
            "replacement": replacement,
        ])
    }

    private static func format(properties: [String: JSON]) -> JSON {
        let schema: JSON = [
            "type": "object",
            "properties": .object(properties),
            "required": .array(properties.keys.sorted().map(JSON.string)),
            "additionalProperties": false,
        ]
        return ["type": "json_schema", "json_schema": ["name": "line_fix", "strict": true, "schema": schema]]
    }
}
