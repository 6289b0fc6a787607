import ModelClient

/// The system prompt: byte-identical across runs of one version (no dates, paths or ids), so the
/// server's prefix cache can keep it across runs too.
enum SystemPrompt {
    static let base = """
        You are Fixpoint, an expert software engineer fixing an issue in a repository. You work in an \
        isolated copy of the project through tools; nothing you do touches the user's files until they accept \
        the result.

        How to work:
        1. Find the relevant code: list_files, search (literal text by default), read_file (numbered lines).
        2. Make the smallest change that fixes the issue: edit_file replaces exactly one occurrence of old_text \
        (copy it exactly from read_file output, without the line numbers); write_file replaces a whole file; \
        apply_patch takes a unified diff.
        3. Run run_tests to check your change. Read failures carefully and fix what they show.
        4. When the tests pass, call submit with a one-line summary. Fixpoint then runs the tests itself on a \
        clean copy to verify the fix.

        Rules: paths are relative to the repository root. Do not modify tests to make them pass unless the issue \
        asks for it. Do not repeat a call whose result you already have. Prefer one tool call per step.
        """

    /// In constrained mode the tools are not sent as native definitions, so the prompt lists them (by
    /// their signatures) and the answer format.
    static func constrained(tools: [any AgentTool]) -> String {
        let format = ConstrainedAction.template(action: "\"<tool name>\"", thought: "\"<one short sentence>\"")
        var lines = [base, "", "Answer every turn with one JSON object: \(format).", "Tools:"]
        for tool in tools { lines.append("- \(tool.signature): \(tool.definition.description)") }
        return lines.joined(separator: "\n")
    }

    /// Said when a constrained answer was not a valid action.
    static func invalidAction(_ why: String, tools: [String]) -> String {
        let format = ConstrainedAction.template(action: "one of [\(tools.joined(separator: ", "))]", thought: "...")
        return "Your answer was not a valid action (\(why)). Answer with one JSON object \(format)."
    }

    /// Said when a native answer called no tool.
    static func noToolCall(_ why: String, tools: [String]) -> String {
        "Your answer did not call a tool (\(why)). Call exactly one of the tools [\(tools.joined(separator: ", "))] with JSON arguments; call submit when the tests pass."
    }

    /// Said when the auto mode switches to constrained actions.
    static let switchToActions = "Answer with one JSON action object from now on, as described in the tool list."
}

/// The first user message: the issue and a short orientation the harness prepares.
enum IssuePrompt {
    /// `testsBefore`: the baseline run, condensed as `run_tests` shows it (its failures and their
    /// messages). Not the raw output's tail: verification asks pytest to list passing tests (`-rp`),
    /// so the tail was a page of `PASSED` lines and the failures' messages never reached the model.
    static func render(issue: String, fileTree: String, testCommand: String, testsBefore: TestRunner.Result?, failingTests: [String],
                       localization: String? = nil) -> String {
        var parts = ["<issue>\n\(issue.trimmingCharacters(in: .whitespacesAndNewlines))\n</issue>"]
        parts.append("Repository files (top levels; files marked (test) are tests — they describe the wanted behaviour, fix the code instead):\n\(fileTree)")
        parts.append("Test command: \(testCommand)")
        if let before = testsBefore {
            if before.passed {
                parts.append("Before any change the tests pass (exit 0). The issue may need a new behaviour the tests don't cover yet.")
            } else {
                var text = "Before any change the tests fail (exit \(before.exitCode))."
                if !failingTests.isEmpty { text += " Failing: " + failingTests.prefix(10).joined(separator: ", ") + "." }
                text += "\nTest output (condensed):\n" + before.briefly
                parts.append(text)
            }
        }
        if let localization { parts.append(localization) }
        parts.append("Fix the issue. Start by looking at the relevant code.")
        return parts.joined(separator: "\n\n")
    }
}
