import Foundation
import Git
import ModelClient

/// One trajectory: the model and the tools take turns in one snapshot until the model submits or a
/// budget ends the run. The loop only coordinates; each job is a stage of its own: `RequestBuilder`,
/// `ActionReader`, `ToolDispatcher` (with the `LoopGuard`), `SubmitPolicy`, `ContextCompactor` (with
/// the `Ledger`) and `TrajectoryTelemetry` (events, usage, journal). Used from one task.
final class AgentLoop {
    private let settings: TrajectorySettings
    private let model: any ChatModel
    private let registry: ToolRegistry
    private let requests: RequestBuilder
    private let telemetry: TrajectoryTelemetry
    private var conversation = Conversation()
    private var reader: ActionReader
    private var dispatcher: ToolDispatcher
    private var submitPolicy: SubmitPolicy
    private var compactor: ContextCompactor
    /// Saves where the trajectory stands after each completed step (when the run is journaled).
    private let checkpoints: CheckpointWriter?
    private let repository: String

    init(settings: TrajectorySettings, model: any ChatModel, snapshot: Snapshot, journal: TrajectoryJournal,
         checkpoints: CheckpointWriter? = nil, repository: String = "",
         onEvent: @escaping @Sendable (AgentEvent) -> Void) {
        self.checkpoints = checkpoints
        self.repository = repository
        self.settings = settings
        self.model = model
        registry = ToolRegistry.standard(allowRunCommand: settings.allowRunCommand)
        requests = RequestBuilder(settings: settings, registry: registry)
        telemetry = TrajectoryTelemetry(trajectory: settings.index, maxSteps: settings.maxSteps, journal: journal,
                                        startedAt: settings.runStarted, onEvent: onEvent)
        reader = ActionReader(mode: settings.actionMode, maxConsecutiveFormatErrors: settings.maxConsecutiveFormatErrors)
        dispatcher = ToolDispatcher(registry: registry, services: SnapshotServices(settings: settings, snapshot: snapshot, journal: journal))
        submitPolicy = SubmitPolicy(testsFailedBefore: settings.testsFailedBefore)
        compactor = ContextCompactor(settings: settings)
    }

    /// `resume`: go on from a killed run's checkpoint (its conversation, counters and ledger; the
    /// snapshot already holds its edits) instead of starting with the issue.
    func run(issueMessage: String, resume: TrajectoryCheckpoint? = nil) async -> TrajectoryOutcome {
        if let resume {
            conversation = Conversation(restoring: resume.conversation)
            telemetry.restore(from: resume)
            reader.restore(mode: resume.actionMode)
            compactor.restore(ledger: resume.ledger, tokensPerByte: resume.tokensPerByte)
        } else {
            conversation.append(.system(requests.systemPrompt(reader.mode)), kind: .system, step: 0)
            conversation.append(.user(issueMessage), kind: .issue, step: 0)
        }
        var overflowRetries = 0
        while true {
            if let end = settings.budgetEnd(step: telemetry.step, usage: telemetry.usage) {
                return telemetry.outcome(end, error: nil, modelUnreachable: false)
            }
            if overflowRetries == 0 { telemetry.step += 1 }
            await compact(force: overflowRetries > 0)
            let request = requests.request(conversation, mode: reader.mode, excluded: dispatcher.excludedTools,
                                           repeats: dispatcher.loopGuard.consecutiveRepeats)
            telemetry.trackPrefix(conversation.serializedMessages)
            telemetry.emit(.modelRequest, summary: "asking the model (\(conversation.entries.count) messages)")
            let began = Date()
            let response: ChatResponse
            do throws(RequestFailure) {
                response = try await completeBeforeDeadline(request)
                overflowRetries = 0
            } catch {
                telemetry.addModelTime(since: began)
                switch error {
                case .deadline(let limit):
                    return telemetry.outcome(.timeLimit, error: "the time limit (\(limit)) passed while the model was answering step \(telemetry.step); "
                                             + "the request was cut off. Give the run more time (--timeout, or timeout in fixpoint.toml)",
                                             modelUnreachable: false)
                case .model(.contextOverflow(let prompt, let size, _)) where overflowRetries < 2:
                    overflowRetries += 1
                    if let size, size > 0 { compactor.noteServerContextSize(size) }
                    telemetry.record(.compaction, "the server reported a context overflow (\(prompt.map(String.init) ?? "?") tokens > \(size.map(String.init) ?? "?")); compacting")
                    continue
                case .model(.cancelled):
                    return telemetry.outcome(.cancelled, error: nil, modelUnreachable: false)
                case .model(let error):
                    return telemetry.outcome(.error, error: "model request failed at step \(telemetry.step): \(error.description)",
                                             modelUnreachable: error.meansUnreachable)
                }
            }
            telemetry.addModelTime(since: began)
            compactor.calibrate(promptTokens: response.usage.promptTokens, requestBytes: requests.bodyBytes(request, messagesBytes: conversation.serializedBytes))
            telemetry.account(response)
            if let end = await handle(response) {
                return telemetry.outcome(end, error: end == .formatErrors ? reader.exhaustedAdvice : nil, modelUnreachable: false)
            }
            await saveCheckpoint()
        }
    }

    /// After a completed step: what a resumed run needs to go on from the next one.
    private func saveCheckpoint() async {
        guard let checkpoints else { return }
        // No diff, no save: the previous checkpoint (whole, with its patch) beats one that lost the edits.
        guard let patch = try? await dispatcher.services.diffOrError() else { return }
        await checkpoints.save(TrajectoryCheckpoint(
            repository: repository, issue: settings.issue, testCommand: settings.testCommand, step: telemetry.step,
            toolCalls: telemetry.toolCalls, usage: telemetry.usage, modelSeconds: telemetry.modelSeconds,
            toolSeconds: telemetry.toolSeconds, actionMode: reader.mode, tokensPerByte: compactor.tokensPerByte,
            conversation: conversation.entries, ledger: compactor.ledger, patch: patch))
    }

    private enum RequestFailure: Error {
        case model(ModelError)
        /// The run's deadline passed first; the request was cancelled (its transfer aborted).
        case deadline(String)
    }

    /// One model request, cut off at the run's deadline: `budgetEnd` only looks between steps, and a
    /// request can hang far longer than the run may last.
    private func completeBeforeDeadline(_ request: ChatRequest) async throws(RequestFailure) -> ChatResponse {
        let model = self.model
        let result = await DeadlineRace.run(until: settings.deadline) { () async -> Result<ChatResponse, ModelError> in
            do throws(ModelError) { return .success(try await model.complete(request) { _ in }) } catch { return .failure(error) }
        }
        switch result {
        case .finished(.success(let response)): return response
        case .finished(.failure(let error)): throw .model(error)
        case .deadlinePassed: throw .deadline(settings.timeLimitDescription)
        }
    }

    /// Appends the answer, makes its calls and appends their observations; an end reason ends the run.
    private func handle(_ response: ChatResponse) async -> RunReport.EndReason? {
        let step = telemetry.step
        conversation.append(response.message, kind: .assistant, step: step)
        telemetry.journal(.assistant(.init(response, mode: reader.mode)))
        switch reader.read(response, tools: registry.names, toolCallsSoFar: telemetry.toolCalls) {
        case .calls(let calls):
            for call in calls {
                let result = await answer(call)
                conversation.append(.tool(callID: call.id, name: call.name, content: result.text), kind: .observation, step: step,
                                    callSummary: call.summary)
                if ends(call, result) { return .submitted }
            }
            reader.acted()
            return nil
        case .action(var call):
            call.id = "step\(step)"
            let result = await answer(call)
            conversation.append(.user("Result of \(call.summary):\n\(result.text)"), kind: .observation, step: step, callSummary: call.summary)
            reader.acted()
            return ends(call, result) ? .submitted : nil
        case .switchedToActions(let detail):
            telemetry.record(.formatError, detail)
            conversation.append(.user(SystemPrompt.switchToActions), kind: .nudge, step: step)
            return nil
        case .formatError(let why, let nudge):
            telemetry.record(.formatError, why)
            if reader.exhausted { return .formatErrors }
            conversation.append(.user(nudge), kind: .nudge, step: step)
            return nil
        }
    }

    /// One call: a submit the policy questions is answered with the objection; anything else runs.
    private func answer(_ call: ToolCall) async -> ToolResult {
        telemetry.toolCalls += 1
        let role = registry.tool(named: call.name)?.role
        if role == .submits,
           let objection = await submitPolicy.review(changedFiles: dispatcher.services.changedFiles) {
            telemetry.record(.submitQuestioned, objection.headline)
            telemetry.journal(.toolCall(.init(name: call.name, arguments: call.arguments, id: call.id, refused: true)))
            return ToolResult(kind: .objection(objection), text: objection.message)
        }
        if role == .submits, submitPolicy.wantsTestsBeforeSubmit(),
           let objection = await testsBeforeSubmit(call) {
            return ToolResult(kind: .objection(objection), text: objection.message)
        }
        let (result, tests) = await dispatcher.execute(call, outputLimit: compactor.observationByteLimit, telemetry: telemetry)
        noteTests(tests)
        if !result.failed, role == .edits { submitPolicy.noteEdit() }
        compactor.ledger.note(step: telemetry.step, call: call.summary, failed: result.failed)
        return result
    }

    private func noteTests(_ tests: TestRunner.Result?) {
        guard let tests else { return }
        submitPolicy.noteTests(exitCode: tests.exitCode)
        compactor.ledger.noteTests(exitCode: tests.exitCode, failing: tests.failingTests)
    }

    /// Runs the tests for a submit of an untested edit; the objection when they fail.
    private func testsBeforeSubmit(_ call: ToolCall) async -> SubmitObjection? {
        let run = ToolCall(id: call.id, name: RunTestsTool.name, arguments: "{}")
        let (result, tests) = await dispatcher.execute(run, outputLimit: compactor.observationByteLimit, telemetry: telemetry)
        noteTests(tests)
        guard let tests, !tests.passed else { return nil }
        let objection = SubmitObjection.testsFailingAtSubmit(exitCode: tests.exitCode, output: result.text)
        telemetry.record(.submitQuestioned, objection.headline)
        return objection
    }

    /// A submit ends the run unless the policy questioned it.
    private func ends(_ call: ToolCall, _ result: ToolResult) -> Bool {
        registry.tool(named: call.name)?.role == .submits && !result.isObjection
    }

    private func compact(force: Bool) async {
        let mode = reader.mode
        guard let done = await compactor.compactIfNeeded(&conversation, overhead: requests.toolBytes(mode), reserve: requests.maxTokens(mode),
                                                         force: force, diff: dispatcher.services.diff) else { return }
        telemetry.compacted(done, contextSize: compactor.contextSize)
    }
}
