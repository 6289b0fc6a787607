/// Why a run was not started. Faces turn these into their protocol's errors.
public enum RunStartError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One run per repository: this one is busy with `running`.
    case repositoryBusy(repository: String, running: RunID)

    public var description: String {
        switch self {
        case .repositoryBusy(let repository, let running): "Fixpoint is already running in \(repository) (run \(running))"
        }
    }
}

/// Why a finished run's changes were not written. In every case nothing was written.
public enum RunApplyError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownRun(RunID, finished: [RunID])
    case stillRunning(RunID)
    case alreadyApplied(RunID)
    case nothingToApply(RunID, status: String)
    /// Files changed since the run started; `details` lists them with reasons.
    case noLongerApplies(RunID, details: String)
    /// The Git layer's safe apply refused or failed.
    case notApplied(RunID, reason: String)

    /// The message for a run name that names no finished run.
    public static func unknown(_ name: String, finished: [RunID]) -> String {
        "no finished run '\(name)' (finished: \(finished.isEmpty ? "none" : finished.map(\.description).joined(separator: ", ")))"
    }

    public var description: String {
        switch self {
        case .unknownRun(let id, let finished):
            Self.unknown(id.description, finished: finished)
        case .stillRunning(let id): "\(id) is still running; apply it when it has finished"
        case .alreadyApplied(let id): "\(id) was already applied"
        case .nothingToApply(let id, let status): "\(id) has no changes to apply (status \(status))"
        case .noLongerApplies(let id, let details): "\(id) no longer applies; nothing was written: \(details)"
        case .notApplied(let id, let reason): "\(id) was not applied; nothing was written: \(reason)"
        }
    }
}
