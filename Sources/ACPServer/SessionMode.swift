import JSONValue

/// What a session does with a verified patch. Chosen with `session/set_mode`.
public enum SessionMode: String, Sendable, CaseIterable {
    /// The default: ask `session/request_permission` before writing a verified patch.
    case ask
    /// Write a verified patch without asking; an unverified one is never written.
    case autoApply = "auto-apply"

    var name: String {
        switch self {
        case .ask: "Ask before applying"
        case .autoApply: "Apply verified fixes"
        }
    }

    var summary: String {
        switch self {
        case .ask: "Fixpoint asks before it writes a verified fix to your files; unverified patches are only shown."
        case .autoApply: "Fixpoint writes a fix to your files without asking once your tests have verified it; unverified patches are only shown."
        }
    }

    /// `SessionModeState`: the current mode and every mode, for `session/new`.
    static func state(current: SessionMode) -> JSON {
        [
            "currentModeId": .string(current.rawValue),
            "availableModes": .array(allCases.map { ["id": .string($0.rawValue), "name": .string($0.name), "description": .string($0.summary)] }),
        ]
    }
}
