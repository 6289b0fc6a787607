import Foundation
import JSONRPC
import JSONValue
import LSP
import Runs

/// `fixpoint.applyFix {runId}`: see `FixpointServer.applyFix`.
enum ApplyFixCommand: ServerCommand {
    static let name = "fixpoint.applyFix"

    struct Arguments: Sendable {
        var runID: String
        var path: String
    }

    static func arguments(_ args: Params, request: CommandRequest) throws(ResponseError) -> Arguments {
        Arguments(runID: try args.string("runId"), path: args.path)
    }

    static func run(_ arguments: Arguments, on server: isolated FixpointServer, reply: Responder<AppliedRun>) async throws(ResponseError) {
        try server.applyFix(arguments.runID, path: arguments.path, reply: reply)
    }
}

extension AppliedRun: CommandReply {
    public var json: JSON {
        ["runId": .string(id.description), "applied": .array(applied.map(JSON.string)),
         "skipped": .array(skipped.map { ["path": .string($0.path), "reason": .string($0.reason)] })]
    }
}

extension FixpointServer {
    /// `fixpoint.applyFix {runId}`: writes a finished run's patch to disk through the run service (the
    /// Git layer's safe apply: all files or none), and only when every touched file — on disk and in the
    /// editor — is unchanged since the run started. The editor check happens here, on the request path,
    /// so it sees the documents as of this request; the write then goes on off this actor.
    func applyFix(_ name: String, path: String, reply: Responder<AppliedRun>) throws(ResponseError) {
        guard let runID = RunID(name) else {
            throw .invalidParams(path + ".runId", RunApplyError.unknown(name, finished: runs.finishedRuns))
        }
        var stale: [SkippedFile] = []
        if let run = runs.finishedRun(runID), let start = runStarts[runID] {
            let folder = start.folder ?? Self.folder(ofRepository: run.repository)
            stale = FileEditPlanner.plan(run.outcome.changes, folder: folder, start: start, documents: documents).skipped
        }
        let runs = self.runs
        Task {
            do throws(RunApplyError) {
                reply.reply(try await runs.apply(runID, stale: stale))
            } catch {
                reply.fail(Self.responseError(error, parameter: path + ".runId"))
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
