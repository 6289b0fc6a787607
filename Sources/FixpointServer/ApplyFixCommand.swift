import Foundation
import JSONRPC
import JSONValue
import LSP
import Runs

extension FixpointServer {
    /// `fixpoint.applyFix {runId}`: writes a finished run's patch to disk through the run service (the
    /// Git layer's safe apply: all files or none), and only when every touched file — on disk and in the
    /// editor — is unchanged since the run started. The editor check happens here, on the request path,
    /// so it sees the documents as of this request; the write then goes on off this actor.
    func applyFix(id: RequestID, _ args: Params) throws(ResponseError) {
        let name = try args.string("runId")
        guard let runID = RunID(name) else {
            throw .invalidParams(args.path + ".runId", RunApplyError.unknown(name, finished: runs.finishedRuns))
        }
        var stale: [SkippedFile] = []
        if let run = runs.finishedRun(runID), let start = runStarts[runID] {
            let folder = start.folder ?? Self.folder(ofRepository: run.repository)
            stale = FileEditPlanner.plan(run.outcome.changes, folder: folder, start: start, documents: documents).skipped
        }
        let runs = self.runs
        let path = args.path
        Task {
            do throws(RunApplyError) {
                let result = try await runs.apply(runID, stale: stale)
                connection.reply(to: id, .success([
                    "runId": .string(result.id.description), "applied": .array(result.applied.map(JSON.string)),
                    "skipped": .array(result.skipped.map { ["path": .string($0.path), "reason": .string($0.reason)] }),
                ]))
            } catch {
                connection.reply(to: id, .failure(Self.responseError(error, parameter: path + ".runId")))
            }
        }
    }

    static func responseError(_ error: RunApplyError, parameter: String) -> ResponseError {
        switch error {
        case .unknownRun: .invalidParams(parameter, error.description)
        case .stillRunning, .alreadyApplied, .nothingToApply: .requestFailed(error.description)
        case .noLongerApplies, .notApplied: .contentModified(error.description)
        }
    }
}
