/// What one call came to: the text the model reads, and what kind of answer it is, so the loop
/// decides on types (did the submit stand? was it refused?) and never on the text.
struct ToolResult: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// The tool ran and answered (possibly with a loop-guard nudge instead of a repeated output).
        case output
        /// The call failed: bad arguments, an unknown tool, no match; the model should change it.
        case error
        /// The workspace's confinement refused a path.
        case refusal
        /// The harness questioned a `submit` instead of running it.
        case objection(SubmitObjection)
    }

    var kind: Kind
    var text: String

    /// Whether the call failed (an error or a refusal), as the journal and the ledger record it.
    var failed: Bool {
        switch kind {
        case .error, .refusal: true
        case .output, .objection: false
        }
    }

    var isObjection: Bool {
        if case .objection = kind { return true }
        return false
    }
}
