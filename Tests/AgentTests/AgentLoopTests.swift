import Agent
import Foundation
import JSONValue
import ModelClient
import Testing

@Suite(.serialized) struct AgentLoopTests {
    @Test func plainFixIsVerifiedAndLeavesTheUserRepositoryAlone() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let before = try await repo.fingerprint()
        let journal = repo.path + ".jsonl"
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let model = ScriptedModel(turns: theFix)
        let outcome = await Fixer.run(fixRequest(repo), model: .embedded(), options: options(model, trajectory: journal))
        let report = outcome.report
        #expect(report.status == .verified)
        #expect(report.endReason == .submitted)
        #expect(report.filesChanged == ["calc.py"])
        #expect(report.patch.contains("-    return a - b\n+    return a + b"))
        #expect(report.tests.before?.passed == false)
        #expect(report.tests.after?.passed == true)
        #expect(report.steps == 4 && report.toolCalls == 4)
        #expect(outcome.changes == [FileChange(path: "calc.py", before: "def add(a, b):\n    return a - b\n", after: "def add(a, b):\n    return a + b\n")])
        #expect(try await repo.fingerprint() == before)
        // The observation of read_file carried numbered lines back to the model.
        let second = model.requests[1].messages.last
        #expect(second?.role == .tool)
        #expect(second?.content?.contains("return a - b") == true)
        // The journal is one JSON object per line and ends with the run.
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        #expect(lines.allSatisfy { (try? JSON.parse(String($0))) != nil })
        #expect(lines.last?.contains("\"event\":\"run_end\"") == true)
    }

    @Test func reasoningAndToolIDsAreEchoedVerbatim() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        var first = ScriptedModel.call("read_file", ["path": "calc.py"], id: "functions.read_file:0", reasoning: "Let me look at calc.py first.")
        first.message.reasoningField = .reasoning
        let model = ScriptedModel(turns: [first] + Array(theFix.dropFirst()))
        _ = await Fixer.run(fixRequest(repo), model: .embedded(), options: options(model))
        let echoed = try #require(model.requests[1].messages.first { $0.role == .assistant })
        #expect(echoed.toolCalls.first?.id == "functions.read_file:0")
        #expect(echoed.reasoning == "Let me look at calc.py first.")
        let body = model.requests[1].body().serialized()
        #expect(body.contains("\"reasoning\":\"Let me look at calc.py first.\""))
        #expect(body.contains("\"tool_call_id\":\"functions.read_file:0\""))
    }

    @Test func badArgumentsAndUnknownToolsAreAnsweredAndTheRunGoesOn() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let model = ScriptedModel(turns: [
            ScriptedModel.call("edit_file", ["path": "calc.py"]),
            ScriptedModel.call("frobnicate", ["x": 1]),
        ] + theFix)
        let outcome = await Fixer.run(fixRequest(repo), model: .embedded(), options: options(model))
        #expect(outcome.report.status == .verified)
        let afterBad = model.requests[1].messages.last?.content ?? ""
        #expect(afterBad.contains("missing the required argument"))
        #expect(afterBad.contains("edit_file(path"))
        let afterUnknown = model.requests[2].messages.last?.content ?? ""
        #expect(afterUnknown.contains("no tool named 'frobnicate'"))
    }

    @Test func pathEscapesAreRefusedAndRecorded() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let model = ScriptedModel(turns: [
            ScriptedModel.call("read_file", ["path": "../../etc/passwd"]),
            ScriptedModel.call("write_file", ["path": ".git/hooks/pre-commit", "content": "echo pwned"]),
        ] + theFix)
        let outcome = await Fixer.run(fixRequest(repo), model: .embedded(), options: options(model))
        #expect(outcome.report.status == .verified)
        #expect(outcome.report.events.filter { $0.kind == .refusal }.count == 2)
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/hooks/pre-commit"))
    }

    @Test func aLoopingModelIsNudgedAndStoppedByTheStepBudget() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let model = ScriptedModel { _, _ in ScriptedModel.call("read_file", ["path": "calc.py"]) }
        let outcome = await Fixer.run(fixRequest(repo, maxSteps: 6), model: .embedded(), options: options(model))
        #expect(outcome.report.endReason == .maxSteps)
        #expect(outcome.report.status == .noPatch)
        #expect(outcome.report.steps == 6)
        let loops = outcome.report.events.filter { $0.kind == .loop }.map(\.detail)
        #expect(loops.filter { $0.hasSuffix("repeated with the same result") }.count == 5)
        #expect(loops.filter { $0.hasSuffix("looks in a row") } == ["5 looks in a row", "6 looks in a row"])
        let nudge = model.requests[2].messages.last?.content ?? ""
        #expect(nudge.contains("already called read_file"))
        #expect(!nudge.contains("return a - b"))
    }

    @Test func aModelThatGivesUpGetsNoPatch() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let model = ScriptedModel(turns: [ScriptedModel.call("submit", ["summary": "I cannot fix this"])])
        let outcome = await Fixer.run(fixRequest(repo), model: .embedded(), options: options(model))
        #expect(outcome.report.status == .noPatch)
        #expect(outcome.report.endReason == .submitted)
        #expect(outcome.report.tests.after == nil)
        // An empty give-up is questioned twice (the tests fail and nothing changed); the third ends the run.
        #expect(outcome.report.steps == 3)
        #expect(model.requests[1].messages.last?.content?.hasPrefix("Nothing has been changed yet") == true)
        #expect(model.requests[2].messages.last?.content?.hasPrefix("Nothing has been changed yet") == true)
        #expect(outcome.report.events.map(\.kind) == [.submitQuestioned, .submitQuestioned])
    }

    @Test func proseInsteadOfCallsEndsWithFormatErrors() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let model = ScriptedModel { _, _ in ScriptedModel.text("I think the bug is in calc.py.") }
        let outcome = await Fixer.run(fixRequest(repo), model: .embedded(), options: options(model, mode: .native))
        #expect(outcome.report.endReason == .formatErrors)
        #expect(outcome.report.events.filter { $0.kind == .formatError }.count == 8)
    }

    @Test func autoModeSwitchesToConstrainedActions() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let actions = [
            #"{"thought":"look","tool":"read_file","arguments":{"path":"calc.py"}}"#,
            #"{"thought":"fix","tool":"edit_file","arguments":{"path":"calc.py","old_text":"a - b","new_text":"a + b"}}"#,
            #"{"thought":"done","tool":"submit","arguments":{"summary":"fixed"}}"#,
        ]
        let model = ScriptedModel { call, request in
            if request.responseFormat == nil { return ScriptedModel.text("Sure, I will fix it.") }
            let constrainedCalls = call - 2
            return ScriptedModel.text(actions[min(constrainedCalls, actions.count - 1)])
        }
        let outcome = await Fixer.run(fixRequest(repo), model: .embedded(), options: options(model, mode: .auto))
        #expect(outcome.report.status == .verified)
        #expect(model.requests[0].responseFormat == nil && !model.requests[0].tools.isEmpty)
        #expect(model.requests.last?.responseFormat != nil)
        #expect(model.requests.last?.tools.isEmpty == true)
    }

    @Test func aServerErrorEndsTheRunWithItsMessage() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let model = ScriptedModel { call, _ throws(ModelError) in
            if call == 0 { return ScriptedModel.call("read_file", ["path": "calc.py"]) }
            throw .server(status: 500, message: "upstream exploded")
        }
        let outcome = await Fixer.run(fixRequest(repo), model: .embedded(), options: options(model))
        #expect(outcome.report.endReason == .error)
        #expect(outcome.report.error?.contains("upstream exploded") == true)
    }

    @Test func aContextOverflowCompactsAndTheRunContinues() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let model = ScriptedModel { call, _ throws(ModelError) in
            if call == 2 { throw .contextOverflow(promptTokens: 9000, contextSize: 8192, message: "exceed_context_size_error") }
            let turns = theFix
            let index = call < 2 ? call : call - 1
            return index < turns.count ? turns[index] : ScriptedModel.call("submit", ["summary": "x"])
        }
        let outcome = await Fixer.run(fixRequest(repo), model: .embedded(), options: options(model))
        #expect(outcome.report.status == .verified)
        #expect(outcome.report.events.contains { $0.kind == .compaction })
    }

    /// Cancelling a run ends the test command it is waiting on (instead of waiting for it) and removes
    /// the run's snapshots.
    @Test func cancellationEndsARunningTestCommandAndRemovesSnapshots() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let snapshotRoot = FileManager.default.temporaryDirectory.appendingPathComponent("fp-snaps-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: snapshotRoot) }
        // The tests become slow once the model has written a marker file.
        let model = ScriptedModel { call, _ throws(ModelError) in
            if call == 0 { return ScriptedModel.call("write_file", ["path": ".slow", "content": "1"]) }
            if call == 1 { return ScriptedModel.call("run_tests", [:]) }
            return ScriptedModel.call("read_file", ["path": "calc.py"])
        }
        var request = fixRequest(repo)
        // Inside the sandbox only the snapshot is writable: the command says it started there.
        request.testCommand = "if [ -f .slow ]; then touch .slow-started; exec sleep 60; fi; sh run_tests.sh"
        let task = Task { await Fixer.run(request, model: .embedded(), options: options(model, snapshots: snapshotRoot)) }
        let deadline = ContinuousClock.now + .seconds(60)
        while !Self.contains(".slow-started", under: snapshotRoot) {
            try #require(ContinuousClock.now < deadline, "the slow test command never started")
            try await Task.sleep(for: .milliseconds(50))
        }
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let outcome = await task.value
        #expect(outcome.report.endReason == .cancelled)
        // A hang guard with room for a loaded machine: left running, the command ends by itself 60 s in.
        #expect(ContinuousClock.now - cancelledAt < .seconds(30))
        let left = (try? FileManager.default.contentsOfDirectory(atPath: snapshotRoot)) ?? []
        #expect(left.isEmpty, "snapshots left behind: \(left)")
    }

    /// Whether a file named `name` is anywhere under `root` (outside `.git` folders).
    private static func contains(_ name: String, under root: String) -> Bool {
        guard let walk = FileManager.default.enumerator(atPath: root) else { return false }
        while let path = walk.nextObject() as? String {
            let last = (path as NSString).lastPathComponent
            if last == ".git" { walk.skipDescendants() } else if last == name { return true }
        }
        return false
    }

    @Test func budgetsEndRunsWithTheirOwnReasons() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        var tokens = fixRequest(repo)
        tokens.tokenBudget = 250
        let reader = ScriptedModel { _, _ in ScriptedModel.call("list_files", [:], promptTokens: 100) }
        #expect(await Fixer.run(tokens, model: .embedded(), options: options(reader)).report.endReason == .tokenBudget)

        var time = fixRequest(repo)
        time.timeLimit = 0.5
        let slow = ScriptedModel { _, _ in
            try? await Task.sleep(for: .milliseconds(300))
            return ScriptedModel.call("list_files", ["depth": 1])
        }
        #expect(await Fixer.run(time, model: .embedded(), options: options(slow)).report.endReason == .timeLimit)
    }

    @Test func badRequestsFailBeforeAnyWork() async throws {
        var request = FixRequest(repository: "/nonexistent/repo", issue: "x", testCommand: "true")
        var outcome = await Fixer.run(request, model: .embedded(), options: options(ScriptedModel(turns: [])))
        #expect(outcome.failure == .configuration)
        #expect(outcome.report.error?.contains("does not exist") == true)
        request = FixRequest(repository: "/tmp", issue: "x", testCommand: " ")
        outcome = await Fixer.run(request, model: .embedded(), options: options(ScriptedModel(turns: [])))
        #expect(outcome.report.error?.contains("no test command") == true)
    }
}

@Suite struct HeavyModeTests {
    /// Three trajectories in parallel, each in its own snapshot with its own seed; one agreed, verified
    /// patch is selected and every trajectory is reported.
    @Test func parallelTrajectoriesEachSendTheirSeedAndOneIsSelected() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let before = try await repo.fingerprint()
        let model = ScriptedModel { _, request in
            let turn = request.messages.filter { $0.role == .assistant }.count
            // Trajectory with seed 2 gives up; the others fix the bug.
            if request.seed == 2 { return ScriptedModel.call("submit", ["summary": "cannot"]) }
            return turn < theFix.count ? theFix[turn] : ScriptedModel.call("submit", ["summary": "done"])
        }
        var request = fixRequest(repo)
        request.heavy = 3
        let outcome = await Fixer.run(request, model: .embedded(), options: options(model))
        let report = outcome.report
        #expect(report.status == .verified)
        #expect(report.trajectories.count == 3)
        #expect(Set(report.trajectories.map(\.seed)) == [0, 1, 2])
        #expect(report.trajectories.filter(\.selected).count == 1)
        #expect(report.trajectories.first { $0.selected }?.status == .verified)
        #expect(report.trajectories.first { $0.seed == 2 }?.status == .noPatch)
        let verifiedHashes = Set(report.trajectories.filter { $0.status == .verified }.compactMap(\.patchSHA256))
        #expect(verifiedHashes.count == 1)
        #expect(Set(model.requests.compactMap(\.seed)) == [0, 1, 2])
        #expect(try await repo.fingerprint() == before)
    }
}

extension HeavyModeTests {
    /// Once one trajectory's patch is verified the others are stopped: here they would wait on the
    /// model for a minute each, and the run ends in seconds with the verified patch selected.
    @Test func aVerifiedTrajectoryStopsTheOthers() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let model = ScriptedModel { (_, request) async throws(ModelError) -> ChatResponse in
            let turn = request.messages.filter { $0.role == .assistant }.count
            if request.seed != 0 {
                // A slow server: answers after a minute unless the request is cancelled.
                do { try await Task.sleep(for: .seconds(60)) } catch { throw ModelError.cancelled }
                return ScriptedModel.call("submit", ["summary": "late"])
            }
            return turn < theFix.count ? theFix[turn] : ScriptedModel.call("submit", ["summary": "done"])
        }
        var request = fixRequest(repo)
        request.heavy = 3
        let started = Date()
        let outcome = await Fixer.run(request, model: .embedded(), options: options(model))
        #expect(Date().timeIntervalSince(started) < 45, "the others were stopped, not waited for")
        #expect(outcome.report.status == .verified)
        #expect(outcome.report.trajectories.first { $0.selected }?.seed == 0)
        #expect(outcome.report.trajectories.filter { $0.seed != 0 }.allSatisfy { $0.status == .noPatch })
    }
}

@Suite struct LoopSteeringTests {
    static func allowedTools(_ request: ChatRequest) -> Set<String> {
        let branches = request.responseFormat?["json_schema"]?["schema"]?["anyOf"]?.arrayValue ?? []
        return Set(branches.compactMap { $0["properties"]?["action"]?["enum"]?[0]?.stringValue })
    }

    /// In constrained mode a call that failed the same way twice is left out of the next schema, and
    /// the temperature rises, so a small model stuck on it must do something else.
    @Test func aRepeatedFailingEditIsTakenOffTheNextActionSchema() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let badEdit = #"{"action":"edit_file","thought":"fix","tool_args":{"path":"calc.py","old_text":"7","new_text":"4"}}"#
        let read = #"{"action":"read_file","thought":"look","tool_args":{"path":"calc.py"}}"#
        let model = ScriptedModel { _, request in
            ScriptedModel.text(LoopSteeringTests.allowedTools(request).contains("edit_file") ? badEdit : read)
        }
        let outcome = await Fixer.run(fixRequest(repo, maxSteps: 4), model: .embedded(), options: options(model, mode: .constrained))
        #expect(outcome.report.endReason == .maxSteps)
        let requests = model.requests
        #expect(Self.allowedTools(requests[1]).contains("edit_file"))
        #expect(!Self.allowedTools(requests[2]).contains("edit_file"))
        #expect(Self.allowedTools(requests[2]).contains("read_file"))
        #expect((requests[2].temperature ?? 0) > (requests[0].temperature ?? 0))
        // After a different call the tool is offered again.
        #expect(Self.allowedTools(requests[3]).contains("edit_file"))
    }

    /// A constrained action is capped in tokens, and an answer cut off by that cap is answered with
    /// advice to make a smaller change.
    @Test func constrainedActionsAreCappedAndACutOffAnswerIsExplained() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let model = ScriptedModel { call, _ in
            if call == 0 {
                var cut = ScriptedModel.text(#"{"action":"write_file","thought":"rewrite","tool_args":{"path":"calc.py","content":"def add(a, b):\n    return a + b % 2 == 0 % 2 == 0 % 2"#)
                cut.finishReason = "length"
                return cut
            }
            return ScriptedModel.text(#"{"action":"submit","thought":"stop","tool_args":{"summary":"x"}}"#)
        }
        var request = fixRequest(repo, maxSteps: 3)
        request.maxTokensPerStep = 24_576
        _ = await Fixer.run(request, model: .embedded(), options: options(model, mode: .constrained, contextSize: 65_536))
        #expect(model.requests.allSatisfy { ($0.maxTokens ?? .max) <= 1536 })
        #expect(model.requests[1].messages.last?.content?.contains("cut off at the step's token limit") == true)
    }

    /// run_tests takes words for the test runner, not shell syntax: it must not become run_command.
    @Test func runTestsArgumentsCannotRunShellCommands() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let marker = repo.path + "/pwned"
        let model = ScriptedModel(turns: [
            ScriptedModel.call("run_tests", ["args": .string("; touch \(marker)")]),
            ScriptedModel.call("run_tests", ["args": "-v test_calc.py"]),
        ])
        var request = fixRequest(repo, maxSteps: 3)
        request.testCommand = "echo runner got:"
        _ = await Fixer.run(request, model: .embedded(), options: options(model))
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(model.requests[1].messages.last?.content?.contains("shell syntax") == true)
        #expect(model.requests[2].messages.last?.content?.contains("runner got: -v test_calc.py") == true)
    }
}
