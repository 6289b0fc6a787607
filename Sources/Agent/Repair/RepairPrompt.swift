import JSONValue
import ModelClient

/// The focused repair's one-shot question: a failing test, the code it points at, and "which line
/// is wrong, and what should it say". A 1.5B model that wanders in an agent loop for minutes
/// answers this in seconds, and often right; the answer is a line chosen from the code (an enum in
/// the response schema, so it cannot name a line that is not there) and its replacement.
enum RepairPrompt {
    static let system = "You are an expert software engineer. You find and fix bugs."

    /// The common shapes of one-line bugs (as studies of simple bugs classify them) name what to look for.
    static let instructions = """
        One line of this code has a bug (for example a wrong operator, a wrong constant, an off-by-one bound, \
        arguments in the wrong order, or a negated condition). Answer in JSON: `diagnosis` says in one sentence what \
        the test expects and what the code does instead; `line` is the wrong line; `replacement` is that line \
        corrected: code only, no prose. Example:
        {"diagnosis": "<expected vs actual>", "line": "41: for i in range(n - 1):", "replacement": "for i in range(n):"}
        """

    /// `signatures`: the definitions the code calls from its own file (`CalledSignatures`).
    static func user(failure: String, definition: FocusSnippet.Shown, signatures: [String] = []) -> String {
        var text = "This test fails:\n```\n\(failure)\n```\n\nThe code it calls:\n```\n\(definition.rendered)\n```\n\n"
        if !signatures.isEmpty {
            text += "Signatures of functions that code calls (same file):\n```\n\(signatures.joined(separator: "\n"))\n```\n\n"
        }
        return text + instructions
    }

    /// The lines the answer may name, as `number: code` (blank lines left out).
    static func choices(_ definition: FocusSnippet.Shown) -> [String] {
        definition.sourceRows.compactMap { row in
            let code = row.text.trimmingCharacters(in: .whitespaces)
            return code.isEmpty ? nil : "\(row.number): \(code)"
        }
    }

    /// Keys in the order the model should write them; `JSON` serializes keys sorted, and llama.cpp's
    /// grammar follows the schema's order, so the names sort that way: diagnosis, line, replacement.
    static func responseFormat(_ definition: FocusSnippet.Shown) -> JSON {
        let schema: JSON = [
            "type": "object",
            "properties": [
                "diagnosis": ["type": "string", "maxLength": 300],
                "line": ["type": "string", "enum": .array(choices(definition).map(JSON.string))],
                "replacement": ["type": "string", "maxLength": 400],
            ],
            "required": ["diagnosis", "line", "replacement"],
            "additionalProperties": false,
        ]
        return ["type": "json_schema", "json_schema": ["name": "line_fix", "strict": true, "schema": schema]]
    }
}
