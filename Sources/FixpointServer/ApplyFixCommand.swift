import Foundation
import Git
import JSONRPC
import JSONValue
import LSP

extension FixpointServer {
    /// `fixpoint.applyFix {runId}`: writes a finished run's patch to disk. With the run's base snapshot
    /// (the agent keeps it) this goes through the Git layer's safe apply: all files or none, and only when
    /// every touched file — on disk and in the editor — is unchanged since the run started. Runs without a
    /// snapshot (scripted runners) fall back to a file-by-file write with the same checks.
    func applyFix(_ args: Params) throws(ResponseError) -> JSON {
        if let result = try applyThroughGit(args) { return result }
        let runID = try args.string("runId")
        guard let run = finishedRuns[runID] else {
            if activeRuns[runID] != nil { throw .requestFailed("\(runID) is still running; apply it when it has finished") }
            let known = finishedRuns.keys.sorted()
            throw .invalidParams(args.path + ".runId", "no finished run '\(runID)' (finished: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        guard !run.applied else { throw .requestFailed("\(runID) was already applied") }
        guard !run.outcome.changes.isEmpty else { throw .requestFailed("\(runID) has no changes to apply (status \(run.outcome.report.status.rawValue))") }

        var applied: [JSON] = [], skipped: [JSON] = []
        let (edits, stale) = FileEditPlanner.plan(run.outcome.changes, folder: run.folder, start: run.start, documents: documents)
        for file in stale { skipped.append(["path": .string(file.path), "reason": .string(file.reason)]) }
        let planned = Set(edits.map(\.uri))
        for change in run.outcome.changes {
            let uri = run.folder.uri(ofRelativePath: change.path)
            guard planned.contains(uri), let path = uri.path else { continue }
            // The disk must hold what the run started from; an open buffer with unsaved text does not count.
            guard FileEditPlanner.readFile(path) == change.before else {
                skipped.append(["path": .string(change.path), "reason": "the file on disk differs from what the run started from (unsaved editor changes?)"])
                continue
            }
            do {
                if let after = change.after {
                    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try Data(after.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                } else {
                    try FileManager.default.removeItem(atPath: path)
                }
                applied.append(.string(change.path))
            } catch {
                skipped.append(["path": .string(change.path), "reason": .string("could not write it: \(error.localizedDescription)")])
            }
        }
        if applied.isEmpty, !stale.isEmpty, skipped.count == stale.count {
            // Everything the run changed was changed again since: its result no longer applies.
            let list = stale.map { "\($0.path) (\($0.reason))" }.joined(separator: "; ")
            throw .contentModified("\(runID) no longer applies; nothing was written: \(list)")
        }
        finishedRuns[runID]?.applied = !applied.isEmpty
        return ["runId": .string(runID), "applied": .array(applied), "skipped": .array(skipped)]
    }
}

extension FixpointServer {
    /// nil when the run kept no snapshot.
    private func applyThroughGit(_ args: Params) throws(ResponseError) -> JSON? {
        let runID = try args.string("runId")
        guard let run = finishedRuns[runID], let base = run.outcome.retainedBase, !run.applied else { return nil }
        let (_, stale) = FileEditPlanner.plan(run.outcome.changes, folder: run.folder, start: run.start, documents: documents)
        if !stale.isEmpty {
            let list = stale.map { "\($0.path) (\($0.reason))" }.joined(separator: "; ")
            throw .contentModified("\(runID) no longer applies; nothing was written: \(list)")
        }
        let written: [String]
        do { written = try applyToUserRepository(patch: run.outcome.report.patch, snapshot: base) } catch {
            throw .contentModified("\(runID) was not applied; nothing was written: \(error)")
        }
        finishedRuns[runID]?.applied = true
        return ["runId": .string(runID), "applied": .array(written.map(JSON.string)), "skipped": []]
    }
}

extension PlannedFileEdit {
    var uri: DocumentURI {
        switch self {
        case .modify(let uri, _, _, _), .create(let uri, _), .delete(let uri): uri
        }
    }
}
