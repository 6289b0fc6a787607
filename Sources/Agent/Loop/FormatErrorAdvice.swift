import Foundation

/// What the report says when a run ends because the model kept answering without a usable action:
/// what happened, and what the user can change.
enum FormatErrorAdvice {
    /// The format-error detail for an answer with no content, no reasoning and no tool call.
    static let emptyAnswer = "the answer was empty"

    static func isEmpty(_ content: String?, reasoning: String?, calls: Int) -> Bool {
        calls == 0 && (content ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            && (reasoning ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// `reasons` are the details of the consecutive format errors that ended the run.
    static func message(reasons: [String], mode: ActionMode) -> String {
        let count = reasons.count
        if !reasons.isEmpty, reasons.allSatisfy({ $0 == emptyAnswer }) {
            return "the model returned an empty answer \(count) times in a row, so the run stopped. "
                + "Check the model server's log (a chat template without tool support, or a full context, often answers nothing); "
                + (mode == .constrained ? "" : "try --action-mode constrained, ")
                + "or use a larger model (--model, or --model-url for another server)"
        }
        let last = reasons.last.map { " (last: \($0))" } ?? ""
        return "the model answered \(count) times in a row without a usable tool call\(last), so the run stopped. "
            + (mode == .constrained ? "" : "Try --action-mode constrained, or ")
            + (mode == .constrained ? "Try " : "")
            + "a larger model (--model, or --model-url for another server)"
    }
}
