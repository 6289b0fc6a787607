/// How a run's commands were actually confined: what the report states.
public enum Confinement: Sendable, Equatable {
    /// Inside bubblewrap, with the environment allowlist and resource limits.
    case bubblewrap
    /// bubblewrap could not start (`reason`): the environment allowlist and resource limits only.
    case limitsOnly(reason: String)
    /// The `off` policy: the user's own rights.
    case unconfined

    public var isSandboxed: Bool { self == .bubblewrap }

    public var summary: String {
        switch self {
        case .bubblewrap: return "sandboxed (bubblewrap: no network, read-only system, writable snapshot only, limits, environment allowlist)"
        case .limitsOnly(let reason): return "not sandboxed: \(reason); environment allowlist and resource limits only"
        case .unconfined: return "not sandboxed: the sandbox policy is off"
        }
    }
}

/// The strict policy refuses to run anything unconfined.
public struct SandboxUnavailableError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var fix: String
    public var description: String {
        "the strict sandbox policy needs bubblewrap, which cannot run here: \(reason). To fix: \(fix); or choose --sandbox standard"
    }
}
