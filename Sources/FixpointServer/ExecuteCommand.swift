import Agent
import Foundation
import Git
import JSONRPC
import JSONValue
import LSP

extension FixpointServer {
    /// `workspace/executeCommand`. Each command takes one object argument (`arguments[0]`).
    func executeCommand(id: RequestID, params: JSON?) {
        let p = Params(params, path: "params")
        do throws(ResponseError) {
            let command = try p.string("command")
            let argument = p.optional("arguments")?.arrayValue?.first
            if let argument, argument.objectValue == nil {
                throw .invalidParams("params.arguments[0]", "expected an object, got \(argument)")
            }
            let args = p.nested("arguments[0]", argument)
            switch command {
            case "fixpoint.fixIssue": try startFix(requestID: id, args: args, workDoneToken: p.optional("workDoneToken"))
            case "fixpoint.cancel": connection.reply(to: id, .success(try cancelRuns(args)))
            case "fixpoint.applyFix": connection.reply(to: id, .success(try applyFix(args)))
            case "fixpoint.proposedDiff": connection.reply(to: id, .success(try proposedDiff(args)))
            default:
                throw .invalidParams("params.command", "unknown command '\(command)' (known: \(Self.commands.joined(separator: ", ")))")
            }
        } catch {
            connection.reply(to: id, .failure(error))
        }
    }

    // MARK: fixpoint.cancel / $/cancelRequest / window/workDoneProgress/cancel

    /// `fixpoint.cancel {runId?}`: the named run, or every run when none is named.
    func cancelRuns(_ args: Params) throws(ResponseError) -> JSON {
        let ids: [String]
        if let runID = try args.optionalString("runId") {
            guard activeRuns[runID] != nil else {
                let active = activeRuns.keys.sorted()
                throw .invalidParams(args.path + ".runId", "no run '\(runID)' is in progress (in progress: \(active.isEmpty ? "none" : active.joined(separator: ", ")))")
            }
            ids = [runID]
        } else {
            ids = activeRuns.keys.sorted()
        }
        for runID in ids { activeRuns[runID]?.task.cancel() }
        return ["cancelled": .array(ids.map(JSON.string))]
    }

    func cancelRequest(_ params: JSON?) {
        guard let raw = params?["id"], let id = RequestID(json: raw), let runID = runByRequest[id] else { return }
        activeRuns[runID]?.task.cancel()
    }

    func cancelProgress(_ params: JSON?) {
        guard let token = params?["token"] else { return }
        for run in activeRuns.values where run.progressToken == token { run.task.cancel() }
    }

    // MARK: fixpoint.fixIssue

    /// Validates the arguments on the request path, then runs the agent in its own task.
    func startFix(requestID: RequestID, args: Params, workDoneToken: JSON?) throws(ResponseError) {
        let issue = try args.string("issue")
        guard !issue.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidParams(args.path + ".issue", "must describe the issue; it is empty")
        }
        let uri = try args.optionalString("uri").map { DocumentURI($0) }
        guard let workspaceFolder = folder(for: uri) else {
            let problem = uri.map { "\($0) is in no workspace folder" } ?? "no workspace folder is open; open a folder first"
            throw .invalidParams(args.path + ".uri", problem)
        }
        // The agent works on the whole repository: paths of unsaved buffers and of the result are
        // relative to its root, which may lie above the folder the editor opened.
        let folder = Self.repositoryFolder(containing: workspaceFolder)
        if let running = activeRuns.values.first(where: { $0.folder.path == folder.path }) {
            throw .requestFailed("Fixpoint is already running in \(folder.path) (run \(running.id)); cancel it with fixpoint.cancel or wait for it to finish")
        }
        var settings = try settings(for: workspaceFolder)
        if let v = try args.optionalString("testCommand") { settings.testCommand = v }
        if let v = try args.optionalInt("maxSteps", in: ServerSettings.maxStepsRange) { settings.maxSteps = v }
        if let v = try args.optionalInt("heavy", in: ServerSettings.heavyRange) { settings.heavy = v }
        guard let testCommand = settings.testCommand, !testCommand.isEmpty else {
            throw .invalidParams(args.path + ".testCommand", "no test command: pass it, or set testCommand in \(workspaceFolder.path)/fixpoint.toml or the editor settings")
        }

        var request = FixRequest(repository: folder.path, issue: issue, testCommand: testCommand)
        if let v = settings.maxSteps { request.maxSteps = v }
        if let v = settings.heavy { request.heavy = v }
        if let v = settings.timeout { request.timeLimit = Double(v) }
        if let v = settings.tokenBudget { request.tokenBudget = v }
        var openVersions: [DocumentURI: Int] = [:]
        for (docURI, document) in documents.documents {
            guard let relative = folder.relativePath(of: docURI) else { continue }
            request.overlays[relative] = document.text
            openVersions[docURI] = document.version
        }

        let runID = "run-\(nextRunNumber)"
        nextRunNumber += 1
        let start = RunStartState(openVersions: openVersions)
        let model = settings.modelSelection
        let task = Task { await self.performRun(runID: runID, requestID: requestID, request: request, model: model, start: start, workDoneToken: workDoneToken) }
        activeRuns[runID] = ActiveRun(id: runID, folder: folder, requestID: requestID, task: task, progressToken: workDoneToken)
        runByRequest[requestID] = runID
    }

    /// The repository that holds `folder`, as a folder of its own (the folder itself when it is the
    /// repository's root, or in no repository — the run then reports why).
    static func repositoryFolder(containing folder: WorkspaceFolder) -> WorkspaceFolder {
        guard let root = try? Repository.discover(from: folder.path).workdir, root != folder.path else { return folder }
        return WorkspaceFolder(uri: DocumentURI(path: root), name: folder.name, path: root)
    }

    private func performRun(runID: String, requestID: RequestID, request: FixRequest, model: ModelSelection, start: RunStartState, workDoneToken: JSON?) async {
        guard let folder = activeRuns[runID]?.folder else { return }
        defer { runByRequest[requestID] = nil }
        let progress = RunProgress(connection: connection, runID: runID, token: await progressToken(runID: runID, clientToken: workDoneToken))
        activeRuns[runID]?.progressToken = progress.token
        progress.begin(issue: request.issue, folder: folder.path)

        let outcome = await runner(request, model, { event in progress.report(event) })
        activeRuns[runID] = nil
        if Task.isCancelled || outcome.report.endReason == .cancelled {
            progress.end("cancelled", outcome: .cancelled)
            connection.reply(to: requestID, .failure(.cancelled("Fixpoint \(runID) was cancelled; nothing was changed")))
            return
        }
        progress.end(Self.summary(of: outcome.report), outcome: .finished(outcome.report.status))
        let finished = FinishedRun(id: runID, folder: folder, outcome: outcome, start: start)
        finishedRuns[runID] = finished
        // Keep the most recent runs only: their whole-file texts can be large.
        if finishedRuns.count > Self.finishedRunsKept, let oldest = finishedRuns.keys.min(by: { Self.runNumber($0) < Self.runNumber($1) }) {
            finishedRuns[oldest] = nil
        }
        // Editor integrations that preview the diff themselves apply it with fixpoint.applyFix.
        if !outcome.changes.isEmpty, !integration.previewEdits { await offer(finished) }
        connection.reply(to: requestID, .success(outcome.report.toJSON()))
    }

    /// The client's token, or one this server creates when the client supports it; nil for no progress.
    private func progressToken(runID: String, clientToken: JSON?) async -> JSON? {
        if let clientToken { return clientToken }
        guard capabilities.workDoneProgress else { return nil }
        let token = JSON.string("fixpoint/\(runID)")
        do { _ = try await connection.request("window/workDoneProgress/create", ["token": token]) } catch {
            log("no progress for \(runID): the client refused a token: \(error)")
            return nil
        }
        return token
    }

    static let finishedRunsKept = 16

    static func runNumber(_ runID: String) -> Int { Int(runID.dropFirst("run-".count)) ?? 0 }

    static func summary(of report: RunReport) -> String {
        switch report.status {
        case .verified: "verified fix: tests pass (\(report.filesChanged.count) file(s), \(report.steps) steps)"
        case .unverified: "unverified patch: tests did not pass (\(report.steps) steps, ended: \(report.endReason.rawValue))"
        case .noPatch: "no patch (\(report.steps) steps, ended: \(report.endReason.rawValue))"
        case .error: "error: \(report.error ?? "unknown")"
        }
    }
}
