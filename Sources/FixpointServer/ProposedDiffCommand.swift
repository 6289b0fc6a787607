import JSONRPC
import JSONValue
import LSP
import Runs

extension FixpointServer {
    /// `fixpoint.proposedDiff {runId?}`: what a finished run would change, as text, so an editor can
    /// show it before anything is written (then `fixpoint.applyFix`, or nothing). Without `runId`, the
    /// most recent finished run. `files` carries whole-file texts for side-by-side diff views.
    func proposedDiff(_ args: Params) throws(ResponseError) -> JSON {
        let run: FinishedRun
        if let name = try args.optionalString("runId") {
            guard let runID = RunID(name), let found = runs.finishedRun(runID) else {
                if let runID = RunID(name), runs.isActive(runID) {
                    throw .requestFailed("\(runID) is still running; its diff is ready when it has finished")
                }
                throw .invalidParams(args.path + ".runId", RunApplyError.unknown(name, finished: runs.finishedRuns))
            }
            run = found
        } else {
            guard let latest = runs.finishedRuns.last.flatMap(runs.finishedRun) else {
                throw .requestFailed("no run has finished yet; run fixpoint.fixIssue first")
            }
            run = latest
        }
        let files: [JSON] = run.outcome.changes.map { change in
            var file: [String: JSON] = ["path": .string(change.path), "uri": DocumentURI(path: run.repository + "/" + change.path).json]
            if let before = change.before { file["before"] = .string(before) }
            if let after = change.after { file["after"] = .string(after) }
            return .object(file)
        }
        return [
            "runId": .string(run.id.description),
            "status": .string(run.outcome.report.status.rawValue),
            "summary": .string(run.outcome.report.summaryLine),
            "patch": .string(run.outcome.report.patch),
            "files": .array(files),
            "applied": .bool(run.applied),
        ]
    }
}
