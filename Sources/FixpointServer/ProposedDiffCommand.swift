import JSONRPC
import JSONValue
import LSP
import Runs

/// `fixpoint.proposedDiff {runId?}`: see `FixpointServer.proposedDiff`.
enum ProposedDiffCommand: ServerCommand {
    static let name = "fixpoint.proposedDiff"

    typealias Arguments = OptionalRunArgument

    /// What the run would change: its patch and whole-file texts for side-by-side views.
    struct Reply: CommandReply {
        var run: FinishedRun
        var json: JSON {
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

    static func arguments(_ args: Params, request: CommandRequest) throws(ResponseError) -> Arguments {
        try OptionalRunArgument(args)
    }

    static func run(_ arguments: Arguments, on server: isolated FixpointServer, reply: Responder<Reply>) async throws(ResponseError) {
        reply.reply(Reply(run: try server.proposedDiff(arguments.runID, path: arguments.path)))
    }
}

extension FixpointServer {
    /// `fixpoint.proposedDiff {runId?}`: what a finished run would change, as text, so an editor can
    /// show it before anything is written (then `fixpoint.applyFix`, or nothing). Without `runId`, the
    /// most recent finished run. `files` carries whole-file texts for side-by-side diff views.
    func proposedDiff(_ runID: String?, path: String) throws(ResponseError) -> FinishedRun {
        let run: FinishedRun
        if let name = runID {
            guard let runID = RunID(name), let found = runs.finishedRun(runID) else {
                if let runID = RunID(name), runs.isActive(runID) {
                    throw .requestFailed("\(runID) is still running; its diff is ready when it has finished")
                }
                throw .invalidParams(path + ".runId", RunApplyError.unknown(name, finished: runs.finishedRuns))
            }
            run = found
        } else {
            guard let latest = runs.finishedRuns.last.flatMap(runs.finishedRun) else {
                throw .requestFailed("no run has finished yet; run fixpoint.fixIssue first")
            }
            run = latest
        }
        return run
    }
}
