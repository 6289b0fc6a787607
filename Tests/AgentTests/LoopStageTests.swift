import Foundation
import Git
import JSONValue
import ModelClient
import Sandbox
import Locking
import Testing

@testable import Agent

/// The loop's stages, each on its own (the loop itself is covered end to end in AgentLoopTests).
func stageSettings(mode: ActionMode = .native, contextSize: Int = 16_384, testsFailedBefore: Bool = true) -> TrajectorySettings {
    var settings = TrajectorySettings(
        index: 0, seed: 7, issue: "add() subtracts", testCommand: "sh run_tests.sh", maxSteps: 30, maxTokensPerStep: 4096,
        tokenBudget: nil, deadline: nil, contextSize: contextSize, actionMode: mode, model: "m", temperature: 0.2,
        allowRunCommand: true, commandTimeout: 60, sandbox: .unconfined())
    settings.testsFailedBefore = testsFailedBefore
    return settings
}

@Suite struct SubmitPolicyTests {
    @Test func questionsAnEmptySubmitTwiceWhileTestsFail() async {
        var policy = SubmitPolicy(testsFailedBefore: true)
        #expect(await policy.review { [] } == .nothingChanged)
        #expect(await policy.review { [] } == .nothingChanged)
        #expect(await policy.review { [] } == nil, "the third empty submit ends the run")
    }

    @Test func questionsAFailingChangeOnceEvenAfterAnEmptySubmit() async {
        var policy = SubmitPolicy(testsFailedBefore: true)
        #expect(await policy.review { [] } == .nothingChanged)
        policy.noteTests(exitCode: 1)
        #expect(await policy.review { ["calc.py"] } == .testsFailing(exitCode: 1), "an empty submit does not use up the change's question")
        #expect(await policy.review { ["calc.py"] } == nil, "the second submit of a change ends the run")
    }

    @Test func questionsOnlyTestChangesAndFailingTests() async {
        var onlyTests = SubmitPolicy(testsFailedBefore: true)
        let objection = await onlyTests.review { ["test_calc.py", "tests/x.py"] }
        #expect(objection == .onlyTestsChanged(["test_calc.py", "tests/x.py"]))
        #expect(objection?.message.hasPrefix("Only test files have been changed (test_calc.py, tests/x.py). The tests describe") == true)
        #expect(objection?.headline == "Only test files have been changed (test_calc.py, tests/x.py)")

        var failing = SubmitPolicy(testsFailedBefore: true)
        failing.noteTests(exitCode: 1)
        #expect(await failing.review { ["calc.py"] } == .testsFailing(exitCode: 1))

        var passing = SubmitPolicy(testsFailedBefore: true)
        passing.noteTests(exitCode: 0)
        #expect(await passing.review { ["calc.py"] } == nil)
    }

    @Test func testsAnUntestedEditBeforeAcceptingItsSubmitTwiceAtMost() {
        var policy = SubmitPolicy(testsFailedBefore: true)
        var wants = policy.wantsTestsBeforeSubmit()
        #expect(!wants, "no edit yet")
        policy.noteEdit()
        wants = policy.wantsTestsBeforeSubmit()
        #expect(wants)
        policy.noteTests(exitCode: 1)
        wants = policy.wantsTestsBeforeSubmit()
        #expect(!wants, "tested since the edit")
        policy.noteEdit()
        wants = policy.wantsTestsBeforeSubmit()
        #expect(wants)
        policy.noteTests(exitCode: 1)
        policy.noteEdit()
        wants = policy.wantsTestsBeforeSubmit()
        #expect(!wants, "at most twice per trajectory")

        var passedBefore = SubmitPolicy(testsFailedBefore: false)
        passedBefore.noteEdit()
        wants = passedBefore.wantsTestsBeforeSubmit()
        #expect(!wants)
        let objection = SubmitObjection.testsFailingAtSubmit(exitCode: 1, output: "FAILED t.py::test_x")
        #expect(objection.message.contains("FAILED t.py::test_x"))
        #expect(!objection.message.contains("only if you really cannot"))
    }

    @Test func acceptsEverySubmitWhenTheTestsPassedBefore() async {
        var policy = SubmitPolicy(testsFailedBefore: false)
        let asked = Locked(false)
        #expect(await policy.review { asked.withLock { $0 = true }; return [] } == nil)
        #expect(!asked.withLock { $0 }, "the changed files are not even listed")
    }
}

@Suite struct ActionReaderTests {
    let tools = ["read_file", "submit"]

    @Test func nativeCallsPassAndProseIsAFormatErrorUntilTheLimit() {
        var reader = ActionReader(mode: .native, maxConsecutiveFormatErrors: 2)
        let call = ToolCall(id: "c1", name: "read_file", arguments: "{}")
        let withCall = ChatResponse(message: ChatMessage(role: .assistant, content: nil, toolCalls: [call]))
        #expect(reader.read(withCall, tools: tools, toolCallsSoFar: 0) == .calls([call]))
        let prose = ChatResponse(message: ChatMessage(role: .assistant, content: "I think so"))
        guard case .formatError(let why, let nudge) = reader.read(prose, tools: tools, toolCallsSoFar: 1) else {
            Issue.record("prose was accepted"); return
        }
        #expect(why == "the answer contained no tool call")
        #expect(nudge.contains("[read_file, submit]"))
        #expect(!reader.exhausted)
        reader.acted()
        _ = reader.read(prose, tools: tools, toolCallsSoFar: 1)
        #expect(!reader.exhausted)
        _ = reader.read(prose, tools: tools, toolCallsSoFar: 1)
        #expect(reader.exhausted)
    }

    @Test func autoSwitchesToActionsAfterTwoTurnsWithoutACall() {
        var reader = ActionReader(mode: .auto, maxConsecutiveFormatErrors: 8)
        #expect(reader.mode == .native)
        let prose = ChatResponse(message: ChatMessage(role: .assistant, content: "Sure"))
        if case .formatError = reader.read(prose, tools: tools, toolCallsSoFar: 0) {} else { Issue.record("first turn") }
        #expect(reader.read(prose, tools: tools, toolCallsSoFar: 0)
            == .switchedToActions(detail: "no tool calls in the first 2 turns: switching to constrained actions"))
        #expect(reader.mode == .constrained)
        let action = ChatResponse(message: ChatMessage(role: .assistant, content: #"{"action":"read_file","thought":"t","tool_args":{"path":"a"}}"#))
        guard case .action(let call) = reader.read(action, tools: tools, toolCallsSoFar: 0) else { Issue.record("no action"); return }
        #expect(call.name == "read_file" && call.arguments == #"{"path":"a"}"#)
    }

    @Test func aCutOffActionIsExplainedAndTheFormatRestated() {
        var reader = ActionReader(mode: .constrained, maxConsecutiveFormatErrors: 8)
        var cut = ChatResponse(message: ChatMessage(role: .assistant, content: #"{"action":"read_file","thou"#))
        cut.finishReason = "length"
        guard case .formatError(let why, let nudge) = reader.read(cut, tools: tools, toolCallsSoFar: 0) else { Issue.record("accepted"); return }
        #expect(why.hasPrefix("the answer was cut off at the step's token limit"))
        #expect(nudge.hasSuffix(#"Answer with one JSON object {"action": one of [read_file, submit], "thought": ..., "tool_args": {...}}."#))
    }
}

@Suite struct RequestBuilderTests {
    let registry = ToolRegistry.standard(allowRunCommand: false)

    @Test func nativeRequestsCarryTheToolsAndAreByteStable() {
        let builder = RequestBuilder(settings: stageSettings(), registry: registry)
        var conversation = Conversation()
        conversation.append(.system(builder.systemPrompt(.native)), kind: .system, step: 0)
        conversation.append(.user("fix it"), kind: .issue, step: 0)
        let request = builder.request(conversation, mode: .native, excluded: [], repeats: 0)
        #expect(request.tools.map(\.name) == registry.names)
        #expect(request.toolChoice == "auto" && request.responseFormat == nil)
        #expect(request.seed == 7 && request.model == "m" && request.maxTokens == 4096 && request.temperature == 0.2)
        #expect(request.body().serialized() == builder.request(conversation, mode: .native, excluded: [], repeats: 0).body().serialized())
        #expect(builder.systemPrompt(.native) == SystemPrompt.base)
    }

    @Test func constrainedRequestsLeaveExcludedToolsOutAndWarmUpWhenRepeating() {
        let builder = RequestBuilder(settings: stageSettings(mode: .constrained, contextSize: 65_536), registry: registry)
        let conversation = Conversation()
        let request = builder.request(conversation, mode: .constrained, excluded: ["read_file"], repeats: 2)
        #expect(request.tools.isEmpty)
        #expect(!LoopSteeringTests.allowedTools(request).contains("read_file"))
        #expect(LoopSteeringTests.allowedTools(request).contains("edit_file"))
        #expect(abs((request.temperature ?? 0) - 0.8) < 1e-9)
        #expect(request.maxTokens == RequestBuilder.constrainedActionMaxTokens)
        // Everything excluded: the whole schema rather than none.
        let all = builder.request(conversation, mode: .constrained, excluded: Set(registry.names), repeats: 0)
        #expect(LoopSteeringTests.allowedTools(all) == Set(registry.names))
        #expect(builder.systemPrompt(.constrained).contains(#"Answer every turn with one JSON object: {"action": "<tool name>", "thought": "<one short sentence>", "tool_args": {...}}."#))
    }
}

@Suite struct ContextCompactorTests {
    static func conversation(turns: Int, outputBytes: Int) -> Conversation {
        var c = Conversation()
        c.append(.system("system"), kind: .system, step: 0)
        c.append(.user("issue"), kind: .issue, step: 0)
        for step in 1...turns {
            let call = ToolCall(id: "c\(step)", name: "read_file", arguments: #"{"path":"a.py"}"#)
            c.append(ChatMessage(role: .assistant, content: nil, toolCalls: [call]), kind: .assistant, step: step)
            c.append(.tool(callID: call.id, name: call.name, content: String(repeating: "x", count: outputBytes)), kind: .observation,
                     step: step, callSummary: call.summary)
        }
        return c
    }

    @Test func leavesASmallConversationAlone() async {
        var compactor = ContextCompactor(settings: stageSettings())
        var conversation = Self.conversation(turns: 3, outputBytes: 100)
        let done = await compactor.compactIfNeeded(&conversation, overhead: 0, reserve: 1000, force: false) { "" }
        #expect(done == nil)
        #expect(conversation.entries.count == 8)
    }

    @Test func compactsToHalfTheRoomByStubbingThenFolding() async {
        var compactor = ContextCompactor(settings: stageSettings(contextSize: 8192))
        compactor.calibrate(promptTokens: 300, requestBytes: 1000)
        #expect(compactor.tokensPerByte == 0.3)
        var conversation = Self.conversation(turns: 40, outputBytes: 2000)
        let done = await compactor.compactIfNeeded(&conversation, overhead: 500, reserve: 1024, force: false) {
            "diff --git a/calc.py b/calc.py\n--- a/calc.py\n+++ b/calc.py\n-a\n+b\n"
        }
        let compaction = try! #require(done)
        #expect(compaction.stubbed == 40 - 6)
        #expect(compaction.folded > 0)
        #expect(compaction.afterTokens <= (8192 - 1024) / 2)
        #expect(compaction.afterTokens == compactor.estimatedTokens(conversation, overhead: 500))
        let ledger = try! #require(conversation.entries.first { $0.kind == .ledger })
        #expect(ledger.message.content?.contains("calc.py | +1 -1") == true)
    }

    /// The bytes each entry keeps (budgeting and prefix tracking read them instead of serializing the
    /// history every step) stay exactly what a request carries, through stubbing and folding.
    @Test func keptBytesAreWhatTheRequestCarriesAfterEveryRewrite() async {
        func check(_ conversation: Conversation) {
            let body = RequestBuilder(settings: stageSettings(), registry: .standard(allowRunCommand: false))
            let request = body.request(conversation, mode: .native, excluded: [], repeats: 0)
            let messages = JSON.array(request.messages.map { $0.toJSON() }).serialized()
            #expect(conversation.serializedMessages.map { String(decoding: $0, as: UTF8.self) } == request.messages.map { $0.toJSON().serialized() })
            #expect(conversation.serializedBytes == messages.utf8.count)
            #expect(body.bodyBytes(request, messagesBytes: conversation.serializedBytes) == request.body().serialized().utf8.count)
        }
        var compactor = ContextCompactor(settings: stageSettings(contextSize: 8192))
        compactor.calibrate(promptTokens: 300, requestBytes: 1000)
        var conversation = Self.conversation(turns: 40, outputBytes: 2000)
        check(conversation)
        let before = conversation.serializedMessages
        _ = await compactor.compactIfNeeded(&conversation, overhead: 500, reserve: 1024, force: false) { "" }
        check(conversation)
        #expect(!conversation.serializedMessages.extends(before))
        let compacted = conversation.serializedMessages
        conversation.append(.user("next"), kind: .nudge, step: 41)
        #expect(conversation.serializedMessages.extends(compacted))
        check(Conversation())
    }

    @Test func anOverflowForcesACompactionAndTheServersSizeWins() async {
        var compactor = ContextCompactor(settings: stageSettings(contextSize: 16_384))
        compactor.noteServerContextSize(8192)
        #expect(compactor.contextSize == 8192)
        var conversation = Self.conversation(turns: 4, outputBytes: 100)
        let done = await compactor.compactIfNeeded(&conversation, overhead: 0, reserve: 1024, force: true) { "" }
        #expect(done?.stubbed == 2)
        // The observation limit is a quarter of the configured context in bytes, within 2–16 KiB.
        #expect(compactor.observationByteLimit == Int(16_384 / 0.3 / 4))
        compactor.calibrate(promptTokens: 1000, requestBytes: 1000)
        #expect(compactor.observationByteLimit == 4096)
    }
}

@Suite struct LoopGuardRoleTests {
    @Test func nudgesFollowTheToolsRole() {
        var guardian = LoopGuard()
        let read = ReadFileTool(), tests = RunTestsTool(), command = RunCommandTool(), edit = EditFileTool()
        #expect(guardian.afterSuccess(read, arguments: #"{"path":"a"}"#, output: "x", step: 1) == nil)
        #expect(guardian.afterSuccess(read, arguments: #"{ "path": "a" }"#, output: "x", step: 2)?.hasPrefix("You already called read_file with these arguments at step 1") == true)
        #expect(guardian.consecutiveRepeats == 1)
        _ = guardian.afterSuccess(tests, arguments: "{}", output: "exit 1", step: 3)
        #expect(guardian.afterSuccess(tests, arguments: "{}", output: "exit 1", step: 4)?.hasPrefix("The tests give the same result as at step 3") == true)
        _ = guardian.afterSuccess(command, arguments: #"{"command":"ls"}"#, output: "a", step: 5)
        #expect(guardian.afterSuccess(command, arguments: #"{"command":"ls"}"#, output: "a", step: 6) == "Same call and same result as at step 5. Do something different.")
        #expect(guardian.afterFailure(edit, name: "edit_file", arguments: "{}", error: "no match.", step: 7) == nil)
        #expect(guardian.afterFailure(edit, name: "edit_file", arguments: "{}", error: "no match.", step: 8)?.hasPrefix("This exact edit already failed at step 7: no match.") == true)
        _ = guardian.afterFailure(nil, name: "frob", arguments: "{}", error: "no tool.", step: 9)
        #expect(guardian.afterFailure(nil, name: "frob", arguments: "{}", error: "no tool.", step: 10)
            == "This call already failed the same way at step 9: no tool. Change the arguments or use another tool.")
    }

    @Test func aStreakOfLooksIsNotedFromTheThirdAndAnyOtherRoleEndsIt() {
        var guardian = LoopGuard()
        #expect(guardian.noteRole(.looks) == nil)
        #expect(guardian.noteRole(.looks) == nil)
        #expect(guardian.noteRole(.looks)?.hasPrefix("Note: 3 looks in a row without a change.") == true)
        #expect(guardian.noteRole(.looks)?.hasPrefix("Note: 4 looks in a row") == true)
        #expect(guardian.noteRole(.edits) == nil)
        #expect(guardian.lookStreak == 0)
        #expect(guardian.noteRole(.looks) == nil)
        #expect(guardian.noteRole(nil) == nil, "an unknown tool ends the streak too")
        #expect(guardian.lookStreak == 0)
    }
}

@Suite struct TrajectoryTelemetryTests {
    @Test func reportEventsShowAsProgressExceptCompactions() throws {
        let shown = Locked<[AgentEvent.Kind]>([])
        let telemetry = TrajectoryTelemetry(trajectory: 0, maxSteps: 5, journal: try TrajectoryJournal(path: nil)) { event in
            shown.withLock { $0.append(event.kind) }
        }
        telemetry.step = 3
        for kind in RunReport.Event.Kind.allCases { telemetry.record(kind, "detail") }
        #expect(telemetry.events.map(\.kind) == RunReport.Event.Kind.allCases)
        #expect(telemetry.events.allSatisfy { $0.step == 3 })
        #expect(shown.withLock { $0 } == [.retry, .loop, .formatError, .refusal, .testEdit, .submitQuestioned])
    }

    @Test func prefixReuseCountsRequestsThatExtendThePreviousOne() throws {
        let telemetry = TrajectoryTelemetry(trajectory: 0, maxSteps: 5, journal: try TrajectoryJournal(path: nil)) { _ in }
        let (a, b, c) = (Array(#"{"a":1}"#.utf8), Array(#"{"b":2}"#.utf8), Array(#"{"c":3}"#.utf8))
        telemetry.trackPrefix([a])
        telemetry.trackPrefix([a, b])
        telemetry.trackPrefix([c])
        let outcome = telemetry.outcome(.maxSteps, error: nil, modelUnreachable: false)
        #expect(outcome.prefixComparisons == 2 && outcome.prefixExtensions == 1)
    }
}

@Suite struct ToolDispatcherTests {
    /// A dispatcher over a real snapshot of a tiny repository.
    static func dispatcher(_ repo: TempRepo) throws -> (ToolDispatcher, Snapshot, TrajectoryTelemetry) {
        let snapshot = try Snapshot.create(from: repo.path, root: repo.path + "-snapshots")
        let journal = try TrajectoryJournal(path: nil)
        let services = SnapshotServices(settings: stageSettings(), snapshot: snapshot, journal: journal)
        let telemetry = TrajectoryTelemetry(trajectory: 0, maxSteps: 30, journal: journal) { _ in }
        return (ToolDispatcher(registry: .standard(allowRunCommand: false), services: services), snapshot, telemetry)
    }

    static func call(_ name: String, _ arguments: JSON) -> ToolCall { ToolCall(id: "c", name: name, arguments: arguments.serialized()) }

    @Test func resultsSayByTypeWhatHappened() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove(); try? FileManager.default.removeItem(atPath: repo.path + "-snapshots") }
        var (dispatcher, snapshot, telemetry) = try Self.dispatcher(repo)
        defer { snapshot.remove() }
        let read = await dispatcher.execute(Self.call("read_file", ["path": "calc.py"]), outputLimit: 4096, telemetry: telemetry)
        #expect(read.result.kind == .output && read.result.text.contains("return a - b"))
        let escape = await dispatcher.execute(Self.call("read_file", ["path": "../../etc/passwd"]), outputLimit: 4096, telemetry: telemetry)
        #expect(escape.result.kind == .refusal && escape.result.failed)
        let bad = await dispatcher.execute(Self.call("edit_file", ["path": "calc.py"]), outputLimit: 4096, telemetry: telemetry)
        #expect(bad.result.kind == .error && bad.result.text.hasPrefix("Error: edit_file is missing"))
        let tests = await dispatcher.execute(Self.call("run_tests", [:]), outputLimit: 4096, telemetry: telemetry)
        #expect(tests.tests?.exitCode != 0)
        let testEdit = await dispatcher.execute(Self.call("edit_file", ["path": "test_calc.py", "old_text": "== 5", "new_text": "== -1"]),
                                                outputLimit: 4096, telemetry: telemetry)
        #expect(testEdit.result.kind == .output && testEdit.result.text.contains("Note: test_calc.py is a test file."))
        #expect(telemetry.events.map(\.kind) == [.refusal, .testEdit])
    }

    /// A test command that would outlive the run is stopped at the run's deadline, not after
    /// `--command-timeout`; past the deadline nothing is started.
    @Test func testsStopAtTheRunsDeadline() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove(); try? FileManager.default.removeItem(atPath: repo.path + "-snapshots") }
        let snapshot = try await Snapshot.create(from: repo.path, root: repo.path + "-snapshots")
        defer { snapshot.remove() }
        let journal = try TrajectoryJournal(path: nil)
        var settings = stageSettings()
        settings.testCommand = "sleep 30"
        let telemetry = TrajectoryTelemetry(trajectory: 0, maxSteps: 30, journal: journal) { _ in }

        settings.deadline = Date().timeIntervalSinceReferenceDate + 3
        var dispatcher = ToolDispatcher(registry: .standard(allowRunCommand: true),
                                        services: SnapshotServices(settings: settings, snapshot: snapshot, journal: journal))
        let started = Date()
        let tests = await dispatcher.execute(Self.call("run_tests", [:]), outputLimit: 4096, telemetry: telemetry)
        #expect(Date().timeIntervalSince(started) < 20, "stopped near the 3 s deadline, not after the 60 s command timeout")
        #expect(tests.result.text.contains("were stopped at the run's time limit"))
        let command = await dispatcher.execute(Self.call("run_command", ["command": "sleep 30"]), outputLimit: 4096, telemetry: telemetry)
        #expect(command.result.text.contains("Error: the run's time limit has passed") || command.result.text.contains("stopped at the run's time limit"))

        settings.deadline = Date().timeIntervalSinceReferenceDate - 1
        dispatcher = ToolDispatcher(registry: .standard(allowRunCommand: true),
                                    services: SnapshotServices(settings: settings, snapshot: snapshot, journal: journal))
        let late = await dispatcher.execute(Self.call("run_tests", [:]), outputLimit: 4096, telemetry: telemetry)
        #expect(late.result.text == SnapshotServices.timeLimitPassed && late.tests == nil)
    }

    @Test func theCommandLimitIsTheCommandTimeoutOrWhatIsLeftOfTheRun() {
        let now = Date()
        let t = now.timeIntervalSinceReferenceDate
        #expect(CommandTimeLimit.at(now, commandTimeout: 600, deadline: nil) == CommandTimeLimit(seconds: 600, byDeadline: false))
        #expect(CommandTimeLimit.at(now, commandTimeout: 600, deadline: t + 1000) == CommandTimeLimit(seconds: 600, byDeadline: false))
        #expect(CommandTimeLimit.at(now, commandTimeout: 600, deadline: t + 90) == CommandTimeLimit(seconds: 90, byDeadline: true))
        #expect(CommandTimeLimit.at(now, commandTimeout: 600, deadline: t + 0.5) == nil, "under a second left: nothing is started")
        #expect(CommandTimeLimit.at(now, commandTimeout: 600, deadline: t - 5) == nil)
    }

    @Test func repeatingALookTakesTheLookingToolsOff() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove(); try? FileManager.default.removeItem(atPath: repo.path + "-snapshots") }
        var (dispatcher, snapshot, telemetry) = try Self.dispatcher(repo)
        defer { snapshot.remove() }
        let read = Self.call("read_file", ["path": "calc.py"])
        for step in 1...3 {
            telemetry.step = step
            _ = await dispatcher.execute(read, outputLimit: 4096, telemetry: telemetry)
        }
        #expect(dispatcher.excludedTools == Set(ToolRegistry.standard(allowRunCommand: false).names(of: .looks)))
        _ = await dispatcher.execute(Self.call("list_files", [:]), outputLimit: 4096, telemetry: telemetry)
        #expect(dispatcher.excludedTools.isEmpty)
        #expect(telemetry.events.filter { $0.kind == .loop }.count == 2)
    }
}

@Suite struct JournalRecordTests {
    static let entries: [JournalEntry] = [
        .runStart(.init(repository: "/r", testCommand: "pytest", maxSteps: 30, heavy: 1, version: "0.1.0")),
        .testsBefore(.init(exitCode: 1, durationS: 0.5)),
        .modelResponse(.init(promptTokens: 10, completionTokens: 2, cachedPromptTokens: 8, finishReason: "stop", wallS: 1.25, tokensPerS: nil)),
        .assistant(.init(content: "{}")),
        .assistant(.init(content: "", reasoningChars: 3, toolCalls: [.init(id: "a", name: "read_file", arguments: "{}")], recoveredFromText: false)),
        .toolCall(.init(name: "submit", arguments: "{}", id: "s", refused: true)),
        .observation(.init(name: "read_file", bytes: 4, sha256: "ab", head: "text", failed: false)),
        .tests(.init(exitCode: 0, command: "pytest -k x")),
        .compaction(.init(beforeTokens: 100, afterTokens: 40, stubbed: 3, folded: 1)),
        .verification(.init(exitCode: 0, passed: true)),
        .repair(.init(path: "calc.py", line: 3, replacement: "return a + b", diagnosis: "adds", promptTokens: 300,
                      completionTokens: 40, wallS: 4.5, verified: true, reason: "1 test that failed before passes now")),
        .repair(.init(path: nil, line: nil, replacement: nil, diagnosis: nil, promptTokens: 300, completionTokens: 40,
                      wallS: 4.5, verified: nil, reason: "no usable line change in the answer")),
        .trajectoryEnd(.init(endReason: .submitted)),
        .runEnd(.init(status: .verified, endReason: .submitted, steps: 4, prefixReuse: nil)),
        .runEnd(.failed("cannot reach the model")),
    ]

    @Test func everyRecordRoundTripsThroughTheJournalFile() throws {
        let path = FileManager.default.temporaryDirectory.path + "/fp-journal-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let journal = try TrajectoryJournal(path: path)
        for (i, entry) in Self.entries.enumerated() { journal.record(entry, trajectory: i % 2, step: i) }
        let read = try TrajectoryJournal.read(path: path)
        #expect(read.map(\.entry) == Self.entries)
        #expect(read.map(\.step) == Array(0..<Self.entries.count))
        #expect(Set(Self.entries.map(\.event)) == Set(JournalEntry.Event.allCases))
    }

    @Test func linesKeepTheDocumentedFormat() {
        let record = JournalRecord(t: 1.5, step: 2, trajectory: 0, entry: .modelResponse(.init(
            promptTokens: 10, completionTokens: 2, cachedPromptTokens: 8, finishReason: "stop", wallS: 1.25, tokensPerS: nil)))
        #expect(TrajectoryJournal.line(record) == #"{"cached_prompt_tokens":8,"completion_tokens":2,"event":"model_response","finish_reason":"stop","prompt_tokens":10,"step":2,"t":1.5,"tokens_per_s":null,"trajectory":0,"wall_s":1.25}"#)
        let end = JournalRecord(t: 0, step: 0, trajectory: 0, entry: .runEnd(.failed("boom")))
        #expect(TrajectoryJournal.line(end) == #"{"error":"boom","event":"run_end","step":0,"t":0,"trajectory":0}"#)
    }
}
