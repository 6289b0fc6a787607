import Foundation
import Git
import JSONValue
import ModelClient
import Sandbox

/// One trajectory: the model and the tools take turns in one snapshot until the model submits or a
/// budget ends the run. The loop owns the conversation; tools see only their workspace.
final class AgentLoop {
    let settings: TrajectorySettings
    let model: any ChatModel
    let snapshot: Snapshot
    let registry: ToolRegistry
    let journal: TrajectoryJournal
    let onEvent: @Sendable (AgentEvent) -> Void
    let startedAt = Date()

    private var conversation = Conversation()
    private var ledger: Ledger
    private var loopGuard = LoopGuard()
    private var mode: ActionMode
    private var step = 0
    private var toolCalls = 0
    private var usage = RunReport.UsageTotals()
    private var events: [RunReport.Event] = []
    private var modelSeconds = 0.0
    private var toolSeconds = 0.0
    private var consecutiveFormatErrors = 0
    /// Tools the model just repeated without effect: left out of the next constrained action's schema,
    /// so a small model stuck on one call has to do something else.
    private var excludedTools: Set<String> = []
    private let latestTests = LatestTestRun()
    private var submitObjected = false
    /// Exit code of the model's latest run_tests, if it ran any.
    private var lastTestExit: Int32?
    private var turnsWithoutCalls = 0
    /// Calibrated from the server's prompt token counts: tokens per byte of request body.
    private var tokensPerByte = 0.3
    private var previousPrefix: String?
    private var prefixExtensions = 0
    private var prefixComparisons = 0

    init(settings: TrajectorySettings, model: any ChatModel, snapshot: Snapshot, journal: TrajectoryJournal,
         onEvent: @escaping @Sendable (AgentEvent) -> Void) {
        self.settings = settings
        self.model = model
        self.snapshot = snapshot
        self.journal = journal
        self.onEvent = onEvent
        self.registry = ToolRegistry.standard(allowRunCommand: settings.allowRunCommand)
        self.mode = settings.actionMode == .constrained ? .constrained : .native
        self.ledger = Ledger(goal: settings.issue, testCommand: settings.testCommand)
    }

    // MARK: - The loop

    func run(issueMessage: String) async -> TrajectoryOutcome {
        conversation.append(.system(systemPrompt()), kind: .system, step: 0)
        conversation.append(.user(issueMessage), kind: .issue, step: 0)
        let (reason, error, unreachable) = await loop()
        journal.record("trajectory_end", trajectory: settings.index, step: step, ["end_reason": .string(reason.rawValue)])
        return TrajectoryOutcome(
            endReason: reason, steps: step, toolCalls: toolCalls, usage: usage, modelSeconds: modelSeconds,
            toolSeconds: toolSeconds, events: events, error: error, prefixExtensions: prefixExtensions,
            prefixComparisons: prefixComparisons, submitted: reason == .submitted, modelUnreachable: unreachable)
    }

    private func loop() async -> (RunReport.EndReason, String?, Bool) {
        var overflowRetries = 0
        while true {
            if Task.isCancelled { return (.cancelled, nil, false) }
            if step >= settings.maxSteps { return (.maxSteps, nil, false) }
            if let budget = settings.tokenBudget, usage.promptTokens + usage.completionTokens >= budget { return (.tokenBudget, nil, false) }
            if let deadline = settings.deadline, Date().timeIntervalSinceReferenceDate >= deadline { return (.timeLimit, nil, false) }
            if overflowRetries == 0 { step += 1 }

            var maxTokens = min(settings.maxTokensPerStep, max(256, settings.contextSize / 4))
            // One constrained action is a short thought and one call. A cap keeps a small model that
            // degenerates into repetition inside a JSON string from spending minutes on one step.
            if mode == .constrained { maxTokens = min(maxTokens, Self.constrainedActionMaxTokens) }
            await compactIfNeeded(reserve: maxTokens, force: overflowRetries > 0)
            let request = makeRequest(maxTokens: maxTokens)
            trackPrefix()
            emit(.modelRequest, summary: "asking the model (\(conversation.entries.count) messages)")

            let response: ChatResponse
            let began = Date()
            do {
                response = try await model.complete(request) { _ in }
                overflowRetries = 0
            } catch {
                modelSeconds += Date().timeIntervalSince(began)
                switch error {
                case .cancelled: return (.cancelled, nil, false)
                case .contextOverflow(let prompt, let size, _) where overflowRetries < 2:
                    overflowRetries += 1
                    if let size, size > 0 { noteContextSize(size, prompt: prompt) }
                    record("compaction", "the server reported a context overflow (\(prompt.map(String.init) ?? "?") tokens > \(size.map(String.init) ?? "?")); compacting")
                    continue
                default:
                    let unreachable: Bool
                    switch error {
                    case .connection, .timeout: unreachable = true
                    default: unreachable = false
                    }
                    return (.error, "model request failed at step \(step): \(error.description)", unreachable)
                }
            }
            modelSeconds += Date().timeIntervalSince(began)
            account(response, requestBytes: request.body().serialized().utf8.count)

            if let end = await handle(response) { return (end, nil, false) }
        }
    }

    // MARK: - One response

    /// Executes the response's calls; returns an end reason when the run is over.
    private func handle(_ response: ChatResponse) async -> RunReport.EndReason? {
        let message = response.message
        switch mode {
        case .native, .auto:
            conversation.append(message, kind: .assistant, step: step)
            journal.record("assistant", trajectory: settings.index, step: step, [
                "content": .string(message.content ?? ""), "reasoning_chars": .int(message.reasoning?.count ?? 0),
                "tool_calls": .array(message.toolCalls.map { ["id": .string($0.id), "name": .string($0.name), "arguments": .string($0.arguments)] }),
                "recovered_from_text": .bool(response.recoveredFromText),
            ])
            if message.toolCalls.isEmpty {
                turnsWithoutCalls += 1
                let why = response.formatErrors.first ?? "the answer contained no tool call"
                if settings.actionMode == .auto, turnsWithoutCalls >= 2, toolCalls == 0 {
                    mode = .constrained
                    record("format_error", "no tool calls in the first \(turnsWithoutCalls) turns: switching to constrained actions")
                    conversation.append(.user("Answer with one JSON action object from now on, as described in the tool list."), kind: .nudge, step: step)
                    return nil
                }
                return formatError(why, tools: registry.definitions)
            }
            return await answer(message.toolCalls)
        case .constrained:
            conversation.append(message, kind: .assistant, step: step)
            journal.record("assistant", trajectory: settings.index, step: step, ["content": .string(message.content ?? "")])
            // A server may still return native calls in this mode: answer each with its tool message,
            // so the next request has no unanswered call.
            if !message.toolCalls.isEmpty { return await answer(message.toolCalls) }
            var call: ToolCall
            switch ConstrainedAction.parse(message.content ?? "", knownTools: Set(registry.names)) {
            case .success(let action): call = action.call
            case .failure(let error):
                let why = response.finishReason == "length"
                    ? "the answer was cut off at the step's token limit; make a smaller change (edit_file with a few lines), not a whole file"
                    : error.description
                return formatError(why, tools: registry.definitions)
            }
            call.id = "step\(step)"
            let output = await execute(call)
            conversation.append(.user("Result of \(Self.summary(of: call)):\n\(output)"), kind: .observation, step: step,
                                callSummary: Self.summary(of: call))
            consecutiveFormatErrors = 0
            return call.name == SubmitTool.name && !Self.isObjection(output) ? .submitted : nil
        }
    }

    /// Executes native tool calls in order, answering each with its tool message (ids kept verbatim).
    private func answer(_ calls: [ToolCall]) async -> RunReport.EndReason? {
        for call in calls {
            let output = await execute(call)
            conversation.append(.tool(callID: call.id, name: call.name, content: output), kind: .observation, step: step,
                                callSummary: Self.summary(of: call))
            if call.name == SubmitTool.name, !Self.isObjection(output) { return .submitted }
        }
        consecutiveFormatErrors = 0
        return nil
    }

    private func formatError(_ why: String, tools: [ToolDefinition]) -> RunReport.EndReason? {
        consecutiveFormatErrors += 1
        record("format_error", why)
        if consecutiveFormatErrors >= settings.maxConsecutiveFormatErrors { return .formatErrors }
        let names = tools.map(\.name).joined(separator: ", ")
        let text = mode == .constrained
            ? "Your answer was not a valid action (\(why)). Answer with one JSON object {\"action\": one of [\(names)], \"thought\": ..., \"tool_args\": {...}}."
            : "Your answer did not call a tool (\(why)). Call exactly one of the tools [\(names)] with JSON arguments; call submit when the tests pass."
        conversation.append(.user(text), kind: .nudge, step: step)
        return nil
    }

    // MARK: - Tools

    private func execute(_ call: ToolCall) async -> String {
        toolCalls += 1
        if call.name == SubmitTool.name, let objection = await submitObjection() {
            record("format_error", "submit questioned: " + (objection.split(separator: ".").first.map(String.init) ?? objection))
            journal.record("tool_call", trajectory: settings.index, step: step, ["name": .string(call.name), "arguments": .string(call.arguments), "id": .string(call.id), "refused": .bool(true)])
            return objection
        }
        let began = Date()
        emit(.toolCall, tool: call.name, summary: Self.summary(of: call))
        journal.record("tool_call", trajectory: settings.index, step: step, ["name": .string(call.name), "arguments": .string(call.arguments), "id": .string(call.id)])
        var output: String
        var failed = false
        do {
            let (registry, context) = (self.registry, try toolContext())
            output = try await withTaskExecutorPreference(ToolExecutor.shared) { () async throws(ToolError) -> String in
                try await registry.call(name: call.name, arguments: call.arguments, in: context)
            }
            if let nudge = loopGuard.afterSuccess(name: call.name, arguments: call.arguments, output: output, step: step) {
                record("loop", "\(Self.summary(of: call)) repeated with the same result")
                output = nudge
                excludedTools.insert(call.name)
                if loopGuard.consecutiveRepeats >= 2 { excludedTools.formUnion(Self.lookingTools) }
            } else {
                excludedTools = []
            }
        } catch {
            failed = true
            output = "Error: \(error.message)"
            if Self.isRefusal(error.message) { record("refusal", "\(Self.summary(of: call)): \(error.message)") }
            if let nudge = loopGuard.afterFailure(name: call.name, arguments: call.arguments, error: error.message, step: step) {
                record("loop", "\(Self.summary(of: call)) failed again the same way")
                output = "Error: " + nudge
                // The same failing call twice: the next action must be something else (read the file).
                excludedTools.insert(call.name)
            } else {
                excludedTools = []
            }
        }
        noteTests()
        if !failed, let path = Self.editedTestFile(call) {
            record("test_edit", "\(Self.summary(of: call)) changed a test file")
            output += "\nNote: \(path) is a test file. The tests describe the wanted behaviour; fix the code they test instead, unless the issue asks to change the tests."
        }
        // What the model sees passes the redaction point (a file may hold a secret's value).
        output = Redaction.redact(OutputTriage.headTail(output, maxLines: 400, maxBytes: observationByteLimit))
        toolSeconds += Date().timeIntervalSince(began)
        ledger.attempts.append("step \(step): \(Self.summary(of: call)) → \(failed ? "error" : "ok")")
        journal.record("observation", trajectory: settings.index, step: step, [
            "name": .string(call.name), "bytes": .int(output.utf8.count), "sha256": .string(SHA256.hex(output)),
            "head": .string(String(output.prefix(200))), "failed": .bool(failed),
        ])
        emit(.observation, tool: call.name, summary: (failed ? "error: " : "") + Self.firstLine(output))
        return output
    }

    /// The first `submit` with nothing changed while the tests fail is answered with a push to keep
    /// going (small models give up after one failed edit); a second `submit` ends the run.
    private func submitObjection() async -> String? {
        guard !submitObjected, settings.testsFailedBefore else { return nil }
        let snapshot = self.snapshot
        let changed = (try? await runBlocking { try snapshot.changedFiles() }) ?? []
        if !changed.isEmpty, changed.allSatisfy(Self.isTestPath) {
            submitObjected = true
            return Self.onlyTestsPrefix + " (\(changed.joined(separator: ", "))). The tests describe the wanted behaviour: change the code they test so they pass, then run_tests. Call submit again only if you really cannot fix it."
        }
        if !changed.isEmpty, let last = lastTestExit, last != 0 {
            submitObjected = true
            return Self.testsFailPrefix + " (exit \(last)), so the change does not fix the issue yet. Read the failures above, fix the code, and run_tests again. Call submit again only if you really cannot fix it."
        }
        guard changed.isEmpty else { return nil }
        submitObjected = true
        return Self.objectionPrefix + " and the tests still fail, so the issue is not fixed. Make the fix with edit_file (copy old_text exactly from read_file), then run_tests. Call submit again only if you really cannot fix it."
    }

    /// Observations are bounded by the context: a quarter of it at most, and 16 KiB.
    private var observationByteLimit: Int { min(16 * 1024, max(2048, Int(Double(settings.contextSize) / tokensPerByte / 4))) }

    private func toolContext() throws(ToolError) -> ToolContext {
        let snapshot = self.snapshot
        let testCommand = settings.testCommand
        let timeout = settings.commandTimeout
        let journal = self.journal
        let index = settings.index
        let stepNow = step
        let latestTests = self.latestTests
        let sandbox = settings.sandbox

        let runTests: @Sendable (String?) async -> String = { args in
            var command = testCommand
            if let args, !args.trimmingCharacters(in: .whitespaces).isEmpty {
                // Extra arguments are words for the test runner, never shell syntax: run_tests must not
                // become run_command.
                guard let quoted = ShellWords.quoted(args) else {
                    return "Error: args may only hold test names, paths and options; shell syntax (; | & $ ` < > ( ) quotes) is refused. Got: \(args)"
                }
                command += " " + quoted
            }
            let run = await TestRunner.run(command, in: snapshot.directory, timeout: timeout, sandbox: sandbox)
            journal.record("tests", trajectory: index, step: stepNow, ["exit_code": .int(Int(run.exitCode)), "command": .string(command)])
            latestTests.store(run)
            // The condensed output already starts with the exit code.
            return (run.timedOut ? "The tests timed out after \(Int(timeout))s and were killed.\n" : "") + run.condensed
        }
        var runCommand: (@Sendable (String) async -> String)?
        if settings.allowRunCommand {
            runCommand = { command in
                let run = await TestRunner.run(command, in: snapshot.directory, timeout: timeout, sandbox: sandbox)
                return "Exit code \(run.exitCode)\(run.timedOut ? " (timed out)" : "").\n" + OutputTriage.headTail(run.output)
            }
        }
        let gitDiff: @Sendable () async throws(ToolError) -> String = { () async throws(ToolError) -> String in
            let diff: String
            do { diff = try await runBlocking { try snapshot.diff() } } catch { throw ToolError("could not compute the diff: \(error)") }
            return diff.isEmpty ? "No changes yet." : OutputTriage.headTail(diff, maxLines: 300, moreHint: "read_file the changed files to see the rest")
        }
        let applyPatch: @Sendable (String) async throws(ToolError) -> String = { (patch: String) async throws(ToolError) -> String in
            let result: PatchApplyResult
            do { result = try await runBlocking { try snapshot.apply(patch: patch) } } catch { throw ToolError("the patch was not applied (nothing changed): \(error)") }
            var text = "Patch applied to: \(result.filesChanged.joined(separator: ", "))."
            if !result.relocatedHunks.isEmpty { text += "\nNote: " + result.relocatedHunks.joined(separator: "\n") }
            return text
        }
        return ToolContext(workspace: try Workspace(root: snapshot.directory), runTests: runTests, runCommand: runCommand,
                           gitDiff: gitDiff, applyPatch: applyPatch, maxOutputBytes: observationByteLimit)
    }

    private func noteTests() {
        guard let run = latestTests.take() else { return }
        lastTestExit = run.exitCode
        ledger.latestTestResult = "exit \(run.exitCode)" + (run.exitCode == 0 ? " (passing)" : "")
        ledger.failingTests = run.failingTests
    }

    // MARK: - Requests, context and telemetry

    private func systemPrompt() -> String {
        mode == .constrained || settings.actionMode == .constrained
            ? SystemPrompt.constrained(tools: registry.definitions) : SystemPrompt.base
    }

    static let objectionPrefix = "Nothing has been changed yet"
    static let onlyTestsPrefix = "Only test files have been changed"
    static let testsFailPrefix = "The last run_tests failed"
    static let constrainedActionMaxTokens = 1536

    static func isObjection(_ output: String) -> Bool {
        output.hasPrefix(objectionPrefix) || output.hasPrefix(onlyTestsPrefix) || output.hasPrefix(testsFailPrefix)
    }

    /// Tools that only look; when the model loops on them it is steered towards acting.
    static let lookingTools: Set<String> = ["read_file", "search", "list_files", "git_diff"]

    private func makeRequest(maxTokens: Int) -> ChatRequest {
        var request = ChatRequest(messages: conversation.messages, tools: mode == .constrained ? [] : registry.definitions)
        request.model = settings.model
        request.maxTokens = maxTokens
        // A model repeating itself gets more randomness; sampling settings don't touch the prompt cache.
        request.temperature = min(1.0, settings.temperature + 0.3 * Double(min(loopGuard.consecutiveRepeats, 3)))
        request.seed = settings.seed
        request.stream = true
        if mode == .constrained {
            let allowed = registry.definitions.filter { !excludedTools.contains($0.name) }
            request.responseFormat = ConstrainedAction.responseFormat(for: allowed.isEmpty ? registry.definitions : allowed)
        } else {
            request.toolChoice = "auto"
        }
        return request
    }

    private func trackPrefix() {
        let prefix = conversation.openPrefix
        if let previous = previousPrefix {
            prefixComparisons += 1
            if prefix.hasPrefix(previous) { prefixExtensions += 1 }
        }
        previousPrefix = prefix
    }

    private func account(_ response: ChatResponse, requestBytes: Int) {
        usage.promptTokens += response.usage.promptTokens
        usage.completionTokens += response.usage.completionTokens
        usage.cachedPromptTokens += response.usage.cachedPromptTokens
        if response.usage.promptTokens > 0, requestBytes > 0 {
            tokensPerByte = Double(response.usage.promptTokens) / Double(requestBytes)
        }
        for retry in response.telemetry.retries { record("retry", retry) }
        let hit = response.usage.promptTokens > 0 ? Double(response.usage.cachedPromptTokens) / Double(response.usage.promptTokens) : nil
        journal.record("model_response", trajectory: settings.index, step: step, [
            "prompt_tokens": .int(response.usage.promptTokens), "completion_tokens": .int(response.usage.completionTokens),
            "cached_prompt_tokens": .int(response.usage.cachedPromptTokens), "finish_reason": .string(response.finishReason ?? ""),
            "wall_s": .double(response.telemetry.wallS), "tokens_per_s": response.telemetry.tokensPerSecond.map(JSON.double) ?? .null,
        ])
        var event = AgentEvent(kind: .modelRequest, step: step, maxSteps: settings.maxSteps,
                               summary: "model answered (\(response.usage.completionTokens) tokens)",
                               promptTokens: response.usage.promptTokens, completionTokens: response.usage.completionTokens,
                               cacheHitRate: hit, elapsedS: Date().timeIntervalSince(startedAt))
        event.tool = response.message.toolCalls.first?.name
        onEvent(event)
    }

    /// The server's own number wins once it has reported an overflow.
    private var contextSize: Int { overriddenContextSize ?? settings.contextSize }
    private var overriddenContextSize: Int?

    private func noteContextSize(_ size: Int, prompt: Int?) { overriddenContextSize = size }

    /// Compacts in one batch when the next request would not fit (prompt + reserved output), down to
    /// half the room so compactions stay rare and the prefix cache keeps hitting in between.
    private func compactIfNeeded(reserve: Int, force: Bool) async {
        let room = contextSize - reserve
        // The tool schemas ride along in every request; they don't change while compacting.
        let overhead = toolBytes
        func estimatedTokens() -> Int { Int(Double(conversation.serializedBytes + overhead) * tokensPerByte) }
        let estimate = estimatedTokens()
        guard force || estimate > Int(Double(room) * 0.9) else { return }
        let target = room / 2
        let stubbed = conversation.stubObservations(keepingLast: force ? 2 : settings.keepObservations)
        var folded = 0
        if estimatedTokens() > target || force {
            let snapshot = self.snapshot
            ledger.diffStat = Ledger.diffStat(of: (try? await runBlocking { try snapshot.diff() }) ?? "")
            var keep = settings.keepTurns
            repeat {
                folded += conversation.fold(keepingLastTurns: keep, ledger: ledger.render())
                keep /= 2
            } while keep >= 1 && estimatedTokens() > target
        }
        let after = estimatedTokens()
        record("compaction", "context ~\(estimate) tokens of \(contextSize): stubbed \(stubbed) old outputs, folded \(folded) turns into the ledger; now ~\(after)")
        journal.record("compaction", trajectory: settings.index, step: step, [
            "before_tokens": .int(estimate), "after_tokens": .int(after), "stubbed": .int(stubbed), "folded": .int(folded),
        ])
        emit(.compaction, summary: "compacted context: ~\(estimate) → ~\(after) tokens")
    }

    private var toolBytes: Int {
        mode == .constrained ? ConstrainedAction.responseFormat(for: registry.definitions).serialized().utf8.count
            : JSON.array(registry.definitions.map { $0.toJSON() }).serialized().utf8.count
    }

    // MARK: - Events

    private func record(_ kind: String, _ detail: String) {
        events.append(RunReport.Event(step: step, kind: kind, detail: detail))
        let mapped: AgentEvent.Kind
        switch kind {
        case "retry": mapped = .retry
        case "compaction": mapped = .compaction
        case "loop": mapped = .loop
        case "refusal": mapped = .refusal
        case "test_edit": mapped = .observation
        default: mapped = .formatError
        }
        if mapped != .compaction { emit(mapped, summary: detail) }
    }

    private func emit(_ kind: AgentEvent.Kind, tool: String? = nil, summary: String) {
        onEvent(AgentEvent(kind: kind, step: step, maxSteps: settings.maxSteps, tool: tool, summary: summary,
                           elapsedS: Date().timeIntervalSince(startedAt)))
    }

    static func summary(of call: ToolCall) -> String {
        guard let args = try? JSON.parse(call.arguments), let object = args.objectValue, !object.isEmpty else { return "\(call.name)()" }
        let parts = object.keys.sorted().compactMap { key -> String? in
            guard let value = object[key] else { return nil }
            var text = value.stringValue ?? value.serialized()
            text = text.replacingOccurrences(of: "\n", with: "⏎")
            if text.count > 40 { text = String(text.prefix(40)) + "…" }
            return "\(key)=\(text)"
        }
        return "\(call.name)(\(parts.joined(separator: ", ")))"
    }

    static func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return line.count > 100 ? String(line.prefix(100)) + "…" : line
    }

    /// The test file an edit_file or write_file call changed, if it changed one (by the usual naming
    /// conventions: test/, tests/, spec/, __tests__/, test_*.py, *_test.*, *.test.*, *.spec.*, *Tests.swift).
    static func editedTestFile(_ call: ToolCall) -> String? {
        guard ["edit_file", "write_file"].contains(call.name),
              let path = (try? JSON.parse(call.arguments))?["path"]?.stringValue else { return nil }
        return isTestPath(path) ? path : nil
    }

    static func isTestPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/").map { $0.lowercased() }
        if parts.dropLast().contains(where: { ["test", "tests", "spec", "specs", "__tests__"].contains($0) }) { return true }
        guard let name = parts.last else { return false }
        return name.hasPrefix("test_") || name.contains("_test.") || name.contains(".test.") || name.contains(".spec.")
            || name.hasSuffix("tests.swift") || name.hasSuffix("test.swift")
    }

    /// Path-confinement refusals, as worded by `Workspace`.
    static func isRefusal(_ message: String) -> Bool {
        ["leaves the workspace", "outside the workspace", "is inside .git", "leads outside the workspace"].contains { message.contains($0) }
    }
}
