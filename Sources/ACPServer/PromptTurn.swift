import Agent
import Config
import Foundation
import Git
import JSONRPC
import JSONValue
import Runs

/// `session/prompt`: one fix run on a snapshot, its updates, the verified-or-not answer, and — per the
/// session's mode — writing a verified fix to the user's files.
extension ACPServer {
    /// Checks the prompt on the request path, then runs the turn in its own task.
    func startPrompt(id: RequestID, _ p: Params) throws(ResponseError) {
        let sessionID = try knownSession(p)
        guard let session = sessions[sessionID], session.turn == nil else {
            throw .invalidRequest("a prompt is already running in \(sessionID); cancel it with session/cancel or wait for its answer")
        }
        let attachments = try PromptAttachments(try p.array("prompt"))
        var plan = try plan(issue: attachments.issue, repository: session.repository)
        for (path, text) in attachments.embedded {
            if let relative = PromptAttachments.relative(path, to: session.repository) { plan.request.overlays[relative] = text }
        }
        let updates = TurnUpdates(connection: connection, sessionID: sessionID, repository: session.repository, mode: session.mode)
        sessions[sessionID]?.turn = ACPSession.Turn(requestID: id)
        let task = Task {
            let answer = await self.runTurn(sessionID: sessionID, plan: plan, links: attachments.links, updates: updates)
            self.endTurn(sessionID, requestID: id, answer)
        }
        sessions[sessionID]?.turn?.task = task
    }

    /// The same layering as `fixpoint fix`: the agent's options over the repository's fixpoint.toml.
    private func plan(issue: String, repository: String) throws(ResponseError) -> FixPlan {
        do throws(ConfigError) {
            let file = try ConfigFile.read(in: repository)
            return try FixPlan(repository: repository, issue: issue, settings: file.settings.overlaid(by: settings),
                               location: "\(repository)/\(ConfigFile.name)")
        } catch {
            throw .internalError("Fixpoint cannot run in \(repository): \(error.description)")
        }
    }

    /// `session/cancel`: the run stops (within a second) and the prompt answers `cancelled`.
    func cancelTurn(in sessionID: String) {
        guard sessions[sessionID]?.turn != nil else { return }
        sessions[sessionID]?.turn?.cancelled = true
        if let runID = sessions[sessionID]?.turn?.runID { runs.cancel(runID) }
    }

    private func endTurn(_ sessionID: String, requestID: RequestID, _ answer: Result<StopReason, ResponseError>) {
        sessions[sessionID]?.turn = nil
        connection.reply(to: requestID, answer.map { ["stopReason": .string($0.rawValue)] })
    }

    enum StopReason: String { case endTurn = "end_turn", maxTokens = "max_tokens", maxTurnRequests = "max_turn_requests", cancelled }

    private func isCancelled(_ sessionID: String) -> Bool { sessions[sessionID]?.turn?.cancelled ?? true }

    private func runTurn(
        sessionID: String, plan: FixPlan, links: [String], updates: TurnUpdates
    ) async -> Result<StopReason, ResponseError> {
        var plan = plan
        updates.enter(.testsBefore)
        for path in links {
            guard let relative = PromptAttachments.relative(path, to: plan.request.repository), plan.request.overlays[relative] == nil,
                  let text = await readThroughClient(path, sessionID: sessionID) else { continue }
            plan.request.overlays[relative] = text
        }
        if isCancelled(sessionID) { return .success(.cancelled) }

        let handle: RunHandle
        do { handle = try runs.start(plan) { _ in { event in updates.handle(event) } } } catch {
            return .failure(.internalError("\(error.description); wait for it to finish or cancel it there"))
        }
        sessions[sessionID]?.turn?.runID = handle.id
        // A cancel that came while the run was being started.
        if isCancelled(sessionID) { runs.cancel(handle.id) }

        guard case .finished(let run) = await handle.end else { return .success(.cancelled) }
        let report = run.outcome.report
        updates.enter(.verify, done: true)
        updates.message(FinalMessage.text(report))
        if report.status == .error, run.outcome.failure != nil {
            return .failure(.internalError("Fixpoint could not run: \(report.error ?? "unknown error")"))
        }
        if report.status == .verified, !run.outcome.changes.isEmpty {
            await offer(run, sessionID: sessionID, updates: updates)
        }
        if isCancelled(sessionID) { return .success(.cancelled) }
        switch report.endReason {
        case .maxSteps: return .success(.maxTurnRequests)
        case .tokenBudget: return .success(.maxTokens)
        default: return .success(.endTurn)
        }
    }

    // MARK: Writing a verified fix

    /// `ask`: asks `session/request_permission` first; `auto-apply`: writes straight away.
    private func offer(_ run: FinishedRun, sessionID: String, updates: TurnUpdates) async {
        let mode = sessions[sessionID]?.mode ?? .ask
        updates.enter(.apply)
        let changes = run.outcome.changes
        let toolCallID = "apply-\(run.id)"
        let title = "Write the verified fix to \(changes.count) file(s)"
        let diffs = JSON.array(changes.map(updates.diff))
        let locations = JSON.array(changes.map { ["path": .string(updates.absolute($0.path))] })
        updates.send(["sessionUpdate": "tool_call", "toolCallId": .string(toolCallID), "title": .string(title), "kind": "edit",
                      "status": "pending", "content": diffs, "locations": locations])
        if mode == .ask {
            let allowed = await askPermission(sessionID: sessionID, toolCall: [
                "toolCallId": .string(toolCallID), "title": .string(title), "kind": "edit", "status": "pending",
                "content": diffs, "locations": locations,
            ])
            guard allowed, !isCancelled(sessionID) else {
                updates.send(["sessionUpdate": "tool_call_update", "toolCallId": .string(toolCallID), "status": "failed",
                              "content": [TurnUpdates.text("Not written: you declined. Your files are unchanged; the patch is in the message above.")]])
                updates.message("\n\nThe fix was not written; your files are unchanged.")
                return
            }
        }
        updates.send(["sessionUpdate": "tool_call_update", "toolCallId": .string(toolCallID), "status": "in_progress"])
        switch await write(run, sessionID: sessionID) {
        case .success(let written):
            updates.send(["sessionUpdate": "tool_call_update", "toolCallId": .string(toolCallID), "status": "completed",
                          "content": [TurnUpdates.text("Written: \(written.joined(separator: ", "))")]])
            updates.enter(.apply, done: true)
            updates.message("\n\nThe verified fix was written to \(written.joined(separator: ", ")).")
        case .failure(let reason):
            updates.send(["sessionUpdate": "tool_call_update", "toolCallId": .string(toolCallID), "status": "failed",
                          "content": [TurnUpdates.text(reason.message)]])
            updates.message("\n\nThe fix was not written: \(reason.message)")
        }
    }

    /// True only for `allow_once`; a rejection, a cancelled turn or a failed request write nothing.
    private func askPermission(sessionID: String, toolCall: JSON) async -> Bool {
        do {
            let response = try await connection.request("session/request_permission", [
                "sessionId": .string(sessionID), "toolCall": toolCall,
                "options": [
                    ["optionId": "allow_once", "name": "Write the fix", "kind": "allow_once"],
                    ["optionId": "reject_once", "name": "Don't write it", "kind": "reject_once"],
                ],
            ])
            let outcome = response["outcome"]
            return outcome?["outcome"]?.stringValue == "selected" && outcome?["optionId"]?.stringValue == "allow_once"
        } catch {
            log("\(sessionID): session/request_permission failed, nothing written: \(error)")
            return false
        }
    }

    struct WriteFailure: Error { var message: String }

    /// Through the client (`fs/write_text_file`) when it can, so open buffers follow; else the run
    /// service's safe apply. Either way only when every file is as the run found it.
    private func write(_ run: FinishedRun, sessionID: String) async -> Result<[String], WriteFailure> {
        let changes = run.outcome.changes
        guard client.writeTextFile, changes.allSatisfy({ $0.after != nil }) else {
            do throws(RunApplyError) {
                return .success(try await runs.apply(run.id).applied)
            } catch {
                return .failure(WriteFailure(message: error.description))
            }
        }
        var changed: [String] = []
        for change in changes {
            let path = run.repository + "/" + change.path
            let now = client.readTextFile ? await readThroughClient(path, sessionID: sessionID) : await readFromDisk(path)
            if now != change.before { changed.append(change.path) }
        }
        guard changed.isEmpty else {
            return .failure(WriteFailure(message: "nothing was written: these files changed since the run started: \(changed.joined(separator: ", "))"))
        }
        var written: [String] = []
        for change in changes {
            do {
                _ = try await connection.request("fs/write_text_file", [
                    "sessionId": .string(sessionID), "path": .string(run.repository + "/" + change.path), "content": .string(change.after ?? ""),
                ])
                written.append(change.path)
            } catch {
                let done = written.isEmpty ? "nothing was written" : "only \(written.joined(separator: ", ")) was written"
                return .failure(WriteFailure(message: "the editor could not write \(change.path) (\(error.message)); \(done)"))
            }
        }
        runs.markApplied(run.id)
        return .success(written)
    }

    // MARK: Reading files

    /// The text the client has for `path` (its unsaved buffer, or the file), or nil.
    func readThroughClient(_ path: String, sessionID: String) async -> String? {
        guard client.readTextFile else { return nil }
        do {
            let response = try await connection.request("fs/read_text_file", ["sessionId": .string(sessionID), "path": .string(path)])
            return response["content"]?.stringValue
        } catch {
            log("\(sessionID): fs/read_text_file \(path): \(error)")
            return nil
        }
    }

    private func readFromDisk(_ path: String) async -> String? {
        await runBlocking { FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) } }
    }
}
