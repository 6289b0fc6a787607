import Agent
import Foundation
import Git

extension RunService {
    /// Writes a finished run's changes into the user's repository, once.
    ///
    /// With the run's base snapshot (the agent keeps it) this goes through the Git layer's safe apply: all
    /// files or none, and only when every touched file is unchanged on disk since the run started. Runs
    /// without a snapshot (scripted runners) are written file by file with the same check per file.
    /// `stale` are files the face knows changed since the run started (an editor buffer edited since);
    /// with a snapshot any stale file refuses the whole apply, without one those files are left out.
    public func apply(_ id: RunID, stale: [SkippedFile] = []) async throws(RunApplyError) -> AppliedRun {
        let run = try claimForApply(id)
        defer { releaseClaim(id) }
        let result: AppliedRun
        if let pending = run.outcome.pendingApply {
            guard stale.isEmpty else { throw .noLongerApplies(id, details: Self.list(stale)) }
            do {
                let written = try await pending.apply()
                result = AppliedRun(id: id, applied: written, skipped: [])
            } catch {
                throw .notApplied(id, reason: "\(error)")
            }
        } else {
            let (changes, root) = (run.outcome.changes, run.repository)
            let written = await runBlocking { Self.writeFiles(changes, root: root, stale: stale) }
            if written.applied.isEmpty, !stale.isEmpty, written.skipped.count == stale.count {
                // Everything the run changed was changed again since: its result no longer applies.
                throw .noLongerApplies(id, details: Self.list(stale))
            }
            result = AppliedRun(id: id, applied: written.applied, skipped: written.skipped)
        }
        if !result.applied.isEmpty { markApplied(id) }
        return result
    }

    private func claimForApply(_ id: RunID) throws(RunApplyError) -> FinishedRun {
        try withState { state throws(RunApplyError) -> FinishedRun in
            guard let run = state.finished[id] else {
                if state.active[id] != nil { throw .stillRunning(id) }
                throw .unknownRun(id, finished: state.finished.keys.sorted())
            }
            guard !run.applied, !state.applying.contains(id) else { throw .alreadyApplied(id) }
            guard !run.outcome.changes.isEmpty else { throw .nothingToApply(id, status: run.outcome.report.status.rawValue) }
            state.applying.insert(id)
            return run
        }
    }

    private func releaseClaim(_ id: RunID) {
        withState { state in _ = state.applying.remove(id) }
    }

    static func list(_ files: [SkippedFile]) -> String {
        files.map { "\($0.path) (\($0.reason))" }.joined(separator: "; ")
    }

    /// File-by-file write (blocking). A file is written only when the disk holds what the run started from.
    static func writeFiles(_ changes: [Agent.FileChange], root: String, stale: [SkippedFile]) -> (applied: [String], skipped: [SkippedFile]) {
        var applied: [String] = [], skipped = stale
        let stalePaths = Set(stale.map(\.path))
        for change in changes where !stalePaths.contains(change.path) && (change.before != nil || change.after != nil) {
            let path = root + "/" + change.path
            // The disk must hold what the run started from; an open buffer with unsaved text does not count.
            let onDisk = FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
            guard onDisk == change.before else {
                skipped.append(SkippedFile(path: change.path, reason: "the file on disk differs from what the run started from (unsaved editor changes?)"))
                continue
            }
            do {
                if let after = change.after {
                    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try Data(after.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                } else {
                    try FileManager.default.removeItem(atPath: path)
                }
                applied.append(change.path)
            } catch {
                skipped.append(SkippedFile(path: change.path, reason: "could not write it: \(error.localizedDescription)"))
            }
        }
        return (applied, skipped)
    }
}
