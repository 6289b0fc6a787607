import JSONRPC
import JSONValue
import LSP

extension FixpointServer {
    /// `fixpoint.proposedDiff {runId?}`: what a finished run would change, as text, so an editor can
    /// show it before anything is written (then `fixpoint.applyFix`, or nothing). Without `runId`, the
    /// most recent finished run. `files` carries whole-file texts for side-by-side diff views.
    func proposedDiff(_ args: Params) throws(ResponseError) -> JSON {
        let run: FinishedRun
        if let runID = try args.optionalString("runId") {
            guard let found = finishedRuns[runID] else {
                if activeRuns[runID] != nil { throw .requestFailed("\(runID) is still running; its diff is ready when it has finished") }
                let known = finishedRuns.keys.sorted { Self.runNumber($0) < Self.runNumber($1) }
                throw .invalidParams(args.path + ".runId", "no finished run '\(runID)' (finished: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
            }
            run = found
        } else {
            guard let latest = finishedRuns.values.max(by: { Self.runNumber($0.id) < Self.runNumber($1.id) }) else {
                throw .requestFailed("no run has finished yet; run fixpoint.fixIssue first")
            }
            run = latest
        }
        let files: [JSON] = run.outcome.changes.map { change in
            var file: [String: JSON] = [
                "path": .string(change.path),
                "uri": run.folder.uri(ofRelativePath: change.path).json,
            ]
            if let before = change.before { file["before"] = .string(before) }
            if let after = change.after { file["after"] = .string(after) }
            return .object(file)
        }
        return [
            "runId": .string(run.id),
            "status": .string(run.outcome.report.status.rawValue),
            "summary": .string(Self.summary(of: run.outcome.report)),
            "patch": .string(run.outcome.report.patch),
            "files": .array(files),
            "applied": .bool(run.applied),
        ]
    }
}
