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

    init(settings: TrajectorySettings, model: any ChatModel, snapshot: Snapshot, journal: TrajectoryJournal,
         onEvent: @escaping @Sendable (AgentEvent) -> Void) {
        self.settings = settings
        self.model = model
        registry = ToolRegistry.standard(allowRunCommand: settings.allowRunCommand)
        requests = RequestBuilder(settings: settings, registry: registry)
        telemetry = TrajectoryTelemetry(trajectory: settings.index, maxSteps: settings.maxSteps, journal: journal, onEvent: onEvent)
        reader = ActionReader(mode: settings.actionMode, maxConsecutiveFormatErrors: settings.maxConsecutiveFormatErrors)
        dispatcher = ToolDispatcher(registry: registry, services: SnapshotServices(settings: settings, snapshot: snapshot, journal: journal))
        submitPolicy = SubmitPolicy(testsFailedBefore: settings.testsFailedBefore)
        compactor = ContextCompactor(settings: settings)
    }

    func run(issueMessage: String) async -> TrajectoryOutcome {
        conversation.append(.system(requests.systemPrompt(reader.mode)), kind: .system, step: 0)
        conversation.append(.user(issueMessage), kind: .issue, step: 0)
        var overflowRetries = 0
        while true {
            if let end = settings.budgetEnd(step: telemetry.step, usage: telemetry.usage) {
                return telemetry.outcome(end, error: nil, modelUnreachable: false)
            }
            if overflowRetries == 0 { telemetry.step += 1 }
            await compact(force: overflowRetries > 0)
            let request = requests.request(conversation, mode: reader.mode, excluded: dispatcher.excludedTools,
                                           repeats: dispatcher.loopGuard.consecutiveRepeats)
            telemetry.trackPrefix(conversation.openPrefix)
            telemetry.emit(.modelRequest, summary: "asking the model (\(conversation.entries.count) messages)")
            let began = Date()
            let response: ChatResponse
            do {
                response = try await model.complete(request) { _ in }
                overflowRetries = 0
            } catch {
                telemetry.addModelTime(since: began)
                if case .contextOverflow(let prompt, let size, _) = error, overflowRetries < 2 {
                    overflowRetries += 1
                    if let size, size > 0 { compactor.noteServerContextSize(size) }
                    telemetry.record(.compaction, "the server reported a context overflow (\(prompt.map(String.init) ?? "?") tokens > \(size.map(String.init) ?? "?")); compacting")
                    continue
                }
                if case .cancelled = error { return telemetry.outcome(.cancelled, error: nil, modelUnreachable: false) }
                return telemetry.outcome(.error, error: "model request failed at step \(telemetry.step): \(error.description)",
                                         modelUnreachable: error.meansUnreachable)
            }
            telemetry.addModelTime(since: began)
            compactor.calibrate(promptTokens: response.usage.promptTokens, requestBytes: request.body().serialized().utf8.count)
            telemetry.account(response)
            if let end = await handle(response) {
                return telemetry.outcome(end, error: end == .formatErrors ? reader.exhaustedAdvice : nil, modelUnreachable: false)
            }
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
        if registry.tool(named: call.name)?.role == .submits,
           let objection = await submitPolicy.review(changedFiles: dispatcher.services.changedFiles) {
            telemetry.record(.submitQuestioned, objection.headline)
            telemetry.journal(.toolCall(.init(name: call.name, arguments: call.arguments, id: call.id, refused: true)))
            return ToolResult(kind: .objection(objection), text: objection.message)
        }
        if registry.tool(named: call.name)?.role == .submits, submitPolicy.wantsTestsBeforeSubmit(),
           let objection = await testsBeforeSubmit(call) {
            return ToolResult(kind: .objection(objection), text: objection.message)
        }
        let (result, tests) = await dispatcher.execute(call, outputLimit: compactor.observationByteLimit, telemetry: telemetry)
        noteTests(tests)
        if !result.failed, registry.tool(named: call.name)?.role == .edits { submitPolicy.noteEdit() }
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
