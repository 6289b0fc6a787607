import Agent
import Config
import Foundation
import Git
import JSONRPC
import JSONValue
import LSP
import Runs

extension FixpointServer {
    /// `workspace/executeCommand`: dispatched through the command registry. Each command takes one
    /// object argument (`arguments[0]`).
    func executeCommand(id: RequestID, params: JSON?) async {
        let p = Params(params, path: "params")
        do throws(ResponseError) {
            let name = try p.string("command")
            let argument = p.optional("arguments")?.arrayValue?.first
            if let argument, argument.objectValue == nil {
                throw .invalidParams("params.arguments[0]", "expected an object, got \(argument)")
            }
            guard let command = ServerCommands.named(name) else {
                throw .invalidParams("params.command", "unknown command '\(name)' (known: \(Self.commands.joined(separator: ", ")))")
            }
            await command.execute(p.nested("arguments[0]", argument), request: CommandRequest(id: id, workDoneToken: p.optional("workDoneToken")), on: self)
        } catch {
            connection.reply(to: id, .failure(error))
        }
    }

    // MARK: fixpoint.cancel / $/cancelRequest / window/workDoneProgress/cancel

    /// `fixpoint.cancel {runId?}`: the named run, or every run when none is named.
    func cancelRuns(_ name: String?, parameter: String) throws(ResponseError) -> [RunID] {
        guard let name else { return runs.cancelAll() }
        guard let runID = RunID(name), runs.cancel(runID) else {
            let active = runs.activeRuns.map(\.description)
            throw .invalidParams(parameter, "no run '\(name)' is in progress (in progress: \(active.isEmpty ? "none" : active.joined(separator: ", ")))")
        }
        return [runID]
    }

    func cancelRequest(_ params: JSON?) {
        guard let raw = params?["id"], let id = RequestID(json: raw), let runID = runByRequest[id] else { return }
        runs.cancel(runID)
    }

    func cancelProgress(_ params: JSON?) {
        guard let token = params?["token"] else { return }
        for (runID, runToken) in progressTokens where runToken == token { runs.cancel(runID) }
    }

    // MARK: fixpoint.fixIssue

    /// Validates the arguments on the request path, then starts the run on the run service.
    func startFix(_ arguments: FixIssueCommand.Arguments, request: CommandRequest, reply: Responder<RunReport>) async throws(ResponseError) {
        let (issue, uri, args) = (arguments.issue, arguments.uri, arguments.args)
        guard let workspaceFolder = folder(for: uri) else {
            let problem = uri.map { "\($0) is in no workspace folder" } ?? "no workspace folder is open; open a folder first"
            throw .invalidParams(args.path + ".uri", problem)
        }
        // The agent works on the whole repository: paths of unsaved buffers and of the result are
        // relative to its root, which may lie above the folder the editor opened.
        let folder = await Self.repositoryFolder(containing: workspaceFolder)
        // Editor settings, then the folder's fixpoint.toml, then the command's own arguments.
        var plan: FixPlan
        do throws(ConfigError) {
            let file = try ConfigFile.read(in: workspaceFolder.path)
            let settings = editorSettings.overlaid(by: file.settings).overlaid(by: arguments.settings)
            plan = try FixPlan(repository: folder.path, issue: issue, settings: settings, location: "\(workspaceFolder.path)/\(ConfigFile.name)")
        } catch {
            if case .missingTestCommand = error.problem { throw .invalidParams(args.path + ".testCommand", error.reason) }
            throw ResponseError(error)
        }
        // Journaled, so a run killed with its server can be resumed (fixpoint.resumeFix).
        plan.journalPath = FixpointPaths.runJournals + "/" + UUID().uuidString.lowercased() + ".jsonl"
        try launch(plan, folder: folder, issue: issue, request: request, reply: reply)
    }

    /// Starts a planned run with the open documents as overlays, progress, and the answer when it ends.
    func launch(_ plan: FixPlan, folder: WorkspaceFolder, issue: String, request: CommandRequest,
                reply: Responder<RunReport>) throws(ResponseError) {
        var plan = plan
        let (requestID, workDoneToken) = (request.id, request.workDoneToken)
        if plan.request.sandbox.approveCommands { plan.request.commandApproval = CommandApproval.asker(connection) }
        var openVersions: [DocumentURI: Int] = [:]
        for (docURI, document) in documents.documents {
            guard let relative = folder.relativePath(of: docURI) else { continue }
            plan.request.overlays[relative] = document.text
            openVersions[docURI] = document.version
        }

        let handle: RunHandle
        do {
            handle = try runs.start(plan) { runID in
                await self.beginProgress(runID: runID, issue: issue, folder: folder.path, clientToken: workDoneToken)
            }
        } catch {
            throw .requestFailed("\(error.description); cancel it with fixpoint.cancel or wait for it to finish")
        }
        runStarts[handle.id] = RunStartState(openVersions: openVersions, folder: folder)
        runByRequest[requestID] = handle.id
        let journal = plan.journalPath
        runTasks[handle.id] = Task {
            // The run ended: its journal goes when nothing of it is left to resume (only the server's own).
            _ = await handle.end
            if let journal { await ResumePoint.discardFinished(journal: journal, in: FixpointPaths.runJournals) }
            await self.answer(reply, when: handle)
        }
    }

    /// The repository that holds `folder`, as a folder of its own (the folder itself when it is the
    /// repository's root, or in no repository — the run then reports why).
    static func repositoryFolder(containing folder: WorkspaceFolder) async -> WorkspaceFolder {
        let root = await RunService.repositoryRoot(containing: folder.path)
        guard root != folder.path else { return folder }
        return WorkspaceFolder(uri: DocumentURI(path: root), name: folder.name, path: root)
    }

    /// Runs first in the run's task: gets a progress token and announces the run; returns where its events go.
    private func beginProgress(runID: RunID, issue: String, folder: String, clientToken: JSON?) async -> EventSink {
        let progress = RunProgress(connection: connection, runID: runID.description, token: await progressToken(runID: runID, clientToken: clientToken))
        progressTokens[runID] = progress.token
        progress.begin(issue: issue, folder: folder)
        return { event in progress.report(event) }
    }

    /// Waits for the run, offers its changes, and answers the `fixpoint.fixIssue` request.
    private func answer(_ reply: Responder<RunReport>, when handle: RunHandle) async {
        let requestID = reply.id
        let end = await handle.end
        let runID = handle.id
        let progress = RunProgress(connection: connection, runID: runID.description, token: progressTokens.removeValue(forKey: runID))
        runByRequest[requestID] = nil
        runTasks[runID] = nil
        switch end {
        case .cancelled:
            runStarts[runID] = nil
            progress.end("cancelled", outcome: .cancelled)
            reply.fail(.cancelled("Fixpoint \(runID) was cancelled; nothing was changed"))
        case .finished(let run):
            progress.end(run.outcome.report.summaryLine, outcome: .finished(run.outcome.report.status))
            // Keep editor state only for runs the service still keeps for a later apply.
            let kept = Set(runs.finishedRuns)
            runStarts = runStarts.filter { kept.contains($0.key) || runs.isActive($0.key) }
            // Editor integrations that preview the diff themselves apply it with fixpoint.applyFix.
            if !run.outcome.changes.isEmpty, !integration.previewEdits { await offer(run) }
            reply.reply(run.outcome.report)
        }
    }

    /// The client's token, or one this server creates when the client supports it; nil for no progress.
    private func progressToken(runID: RunID, clientToken: JSON?) async -> JSON? {
        if let clientToken { return clientToken }
        guard capabilities.workDoneProgress else { return nil }
        let token = JSON.string("fixpoint/\(runID)")
        do { _ = try await connection.request("window/workDoneProgress/create", ["token": token]) } catch {
            log("no progress for \(runID): the client refused a token: \(error)")
            return nil
        }
        return token
    }
}
