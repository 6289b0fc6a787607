import Foundation
import Git
import JSONValue
import ModelClient
import Sandbox

/// Runs the trajectories of one fix (one, or several in parallel for heavy mode), verifies each
/// patch on a clean copy of the base, picks the result and writes the report.
struct RunCoordinator {
    let request: FixRequest
    let options: RunOptions
    let base: Snapshot
    let model: ModelConnection
    let sandbox: Sandbox
    let journal: TrajectoryJournal
    let onEvent: @Sendable (AgentEvent) -> Void
    let started: Date

    struct Finished: Sendable {
        var index: Int
        var seed: Int
        var outcome: TrajectoryOutcome
        var patch: String
        var files: [String]
        var after: RunReport.TestRun?
        /// The judgement of the patch (nil: no patch, or the run was cancelled before judging).
        var verification: Verification?
        var changes: [FileChange]
        /// The patch's identity for voting and the report, hashed once (nil: no patch).
        var patchSHA256: String?
        /// Seconds spent verifying this trajectory's patch.
        var verificationS = 0.0
        var status: RunReport.Status { patch.isEmpty ? .noPatch : (verification?.verified == true ? .verified : .unverified) }
    }

    func run() async -> FixOutcome {
        // tests.before: on the base exactly as the user has it; verification compares against it.
        let baselineStarted = Date()
        let baseline = await PatchVerifier.recordBaseline(base: base, testCommand: request.testCommand,
                                                          commandTimeout: request.commandTimeout, sandbox: sandbox)
        let before = baseline.run
        let testsBeforeS = Date().timeIntervalSince(baselineStarted)
        let verifier = PatchVerifier(base: base, testCommand: request.testCommand, commandTimeout: request.commandTimeout,
                                     sandbox: sandbox, named: request.failToPass, baseline: baseline)
        journal.record(.testsBefore(.init(exitCode: Int(before.exitCode), durationS: before.durationS)))
        onEvent(AgentEvent(kind: .testsBefore, step: 0, maxSteps: request.maxSteps,
                           summary: before.passed ? "tests pass before any change" : "tests fail before any change (exit \(before.exitCode))"))
        if before.commandMissing { return testCommandMissing(before) }

        let found = await Localization.find(root: base.directory, issue: request.issue, tests: before)
        let issueMessage = IssuePrompt.render(
            issue: request.issue, fileTree: await Self.fileTree(base.directory),
            testCommand: request.testCommand, testsBefore: before, failingTests: before.failingTests,
            localization: found.orientation)

        // The focused repair first (not when resuming a killed loop): a verified answer ends the run.
        var repaired: FocusedRepair.Outcome?
        if options.resume == nil, request.repairSamples > 0, !found.shown.isEmpty, let failure = FailureExcerpt.first(in: before.output) {
            let outcome = await focusedRepair(verifier: verifier).run(failure: failure, definitions: found.shown)
            if let verified = outcome.verified {
                var result = await assemble([await finished(repairedBy: verified, outcome)], before: before, repair: outcome)
                result.report.timing.testsBeforeS = testsBeforeS
                return result
            }
            repaired = outcome
        }

        let count = request.heavy
        if let resume = options.resume, !resume.checkpoint.patch.isEmpty {
            // The killed run's edits, as they were after its last completed step (a single run works in the base).
            do { _ = try await base.apply(patch: resume.checkpoint.patch) } catch {
                var outcome = FixOutcome.failed("cannot resume from \(resume.journalPath): the killed run's edits no longer apply to "
                                                + "\(request.repository) (\(error)); the repository changed since — start a new run",
                                                failure: .configuration, started: started)
                outcome.report.tests = RunReport.Tests(before: before.report(tailBytes: 3000), after: nil)
                journal.record(.runEnd(.failed(outcome.report.error ?? "")))
                return outcome
            }
        }
        let finished: [Finished] = await withTaskGroup(of: Finished?.self) { group in
            for index in 0..<count {
                group.addTask {
                    await runTrajectory(index: index, of: count, issueMessage: issueMessage, testsFailedBefore: !before.passed, verifier: verifier)
                }
            }
            var all: [Finished] = []
            for await f in group {
                guard let f else { continue }
                all.append(f)
                // A verified patch is the answer (`select` ranks it first): the other trajectories
                // are stopped rather than left to use the machine until their own budgets end.
                if f.status == .verified, all.count < count { group.cancelAll() }
            }
            return all.sorted { $0.index < $1.index }
        }
        var outcome = await assemble(finished, before: before, repair: repaired)
        outcome.report.timing.testsBeforeS = testsBeforeS
        return outcome
    }

    /// The test command could not run at all: stop before the model is asked, and say what to fix.
    private func testCommandMissing(_ before: TestRunner.Result) -> FixOutcome {
        let said = before.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last.map(String.init) ?? ""
        let why = before.exitCode == 127 ? "not found" : "not executable"
        var outcome = FixOutcome.failed(
            "the test command `\(request.testCommand)` could not run: command \(why) (exit \(before.exitCode)\(said.isEmpty ? "" : ": \(said)")). "
                + "Install what it needs, or pass a command that runs the project's tests (--test-cmd, or testCommand in fixpoint.toml)",
            failure: .configuration, started: started)
        outcome.report.tests = RunReport.Tests(before: before.report(tailBytes: 3000), after: nil)
        journal.record(.runEnd(.failed(outcome.report.error ?? "")))
        return outcome
    }

    private func runTrajectory(index: Int, of count: Int, issueMessage: String, testsFailedBefore: Bool,
                               verifier: PatchVerifier) async -> Finished? {
        // A single run works in the base snapshot itself; parallel runs each get their own copy.
        let snapshot: Snapshot
        if count == 1 { snapshot = base } else {
            guard let fork = try? await base.fork() else { return nil }
            snapshot = fork
        }
        let seed = index
        var settings = TrajectorySettings(
            index: index, seed: seed, issue: request.issue, testCommand: request.testCommand,
            maxSteps: request.maxSteps, maxTokensPerStep: request.maxTokensPerStep, tokenBudget: request.tokenBudget,
            deadline: request.timeLimit.map { started.timeIntervalSinceReferenceDate + $0 },
            contextSize: model.contextSize, actionMode: options.actionMode ?? model.defaultActionMode, model: model.modelName,
            temperature: options.temperature ?? (count > 1 ? 0.7 : 0.2), allowRunCommand: request.allowRunCommand && sandbox.runCommandRefusal == nil,
            commandTimeout: request.commandTimeout, sandbox: sandbox)
        settings.testsFailedBefore = testsFailedBefore
        settings.runStarted = started
        settings.timeLimit = request.timeLimit
        settings.commandApproval = request.commandApproval
        // A single trajectory of a journaled run can be resumed: it checkpoints after every step.
        let checkpoints = count == 1 ? journal.path.map { CheckpointWriter(path: CheckpointWriter.path(forJournal: $0), journal: journal) } : nil
        let loop = AgentLoop(settings: settings, model: model.model, snapshot: snapshot, journal: journal,
                             checkpoints: checkpoints, repository: request.repository, onEvent: onEvent)
        let outcome = await loop.run(issueMessage: issueMessage, resume: count == 1 ? options.resume?.checkpoint : nil)

        let patch = (try? await snapshot.diff()) ?? ""
        let files = (try? await snapshot.changedFiles()) ?? []
        var judgement: PatchVerifier.Judgement?
        var verificationS = 0.0
        // Verify whenever something changed, unless the run was cancelled: on a fresh copy of the base.
        if !patch.isEmpty, outcome.endReason != .cancelled, !Task.isCancelled {
            let verifying = Date()
            judgement = await verify(patch: patch, with: verifier, trajectory: index, step: outcome.steps)
            verificationS = Date().timeIntervalSince(verifying)
        }
        let changes = await fileChanges(files, in: snapshot)
        // A parallel trajectory's copy is removed before it reports back; a single one works in the base.
        if count > 1 { await snapshot.remove() }
        return Finished(index: index, seed: seed, outcome: outcome, patch: patch, files: files, after: judgement?.run,
                        verification: judgement?.verification, changes: changes, patchSHA256: patch.isEmpty ? nil : SHA256.hex(patch),
                        verificationS: verificationS)
    }

    /// Each changed file's whole text before (the base's) and after (in `snapshot`), for editors; read
    /// off the cooperative pool.
    func fileChanges(_ files: [String], in snapshot: Snapshot) async -> [FileChange] {
        let base = self.base
        return await runBlocking {
            files.map { path in
                FileChange(path: path, before: (try? base.baseContent(of: path)) ?? nil,
                           after: try? String(contentsOfFile: snapshot.directory + "/" + path, encoding: .utf8))
            }
        }
    }

    private func verify(patch: String, with verifier: PatchVerifier, trajectory: Int, step: Int) async -> PatchVerifier.Judgement {
        onEvent(AgentEvent(kind: .verification, step: step, maxSteps: request.maxSteps, summary: "verifying the patch on a clean copy",
                           elapsedS: Date().timeIntervalSince(started)))
        let judgement = await verifier.verify(patch: patch)
        let v = judgement.verification
        journal.record(.verification(.init(exitCode: Int(judgement.run?.exitCode ?? -1), passed: v.verified, method: v.method, reason: v.reason,
                                           failToPass: v.failToPass, passToPassBroken: v.passToPassBroken,
                                           testFilesTouched: v.testFilesTouched)), trajectory: trajectory, step: step)
        return judgement
    }

    static func fileTree(_ root: String) async -> String {
        await runBlocking { FileTree.render(root: root, maxEntries: 60) }
    }

    /// Picks one trajectory: verified first, then the patch most trajectories agree on, then fewest steps.
    static func select(_ finished: [Finished]) -> Finished? {
        let rank: (Finished) -> Int = { f in
            switch f.status { case .verified: return 0; case .unverified: return 1; case .noPatch: return 2; case .error: return 3 }
        }
        var votes: [String: Int] = [:]
        for f in finished { if let hash = f.patchSHA256 { votes[hash, default: 0] += 1 } }
        return finished.min { a, b in
            if rank(a) != rank(b) { return rank(a) < rank(b) }
            let va = a.patchSHA256.flatMap { votes[$0] } ?? 0, vb = b.patchSHA256.flatMap { votes[$0] } ?? 0
            if va != vb { return va > vb }
            return a.outcome.steps < b.outcome.steps
        }
    }

    private func assemble(_ finished: [Finished], before: TestRunner.Result, repair: FocusedRepair.Outcome?) async -> FixOutcome {
        guard let chosen = Self.select(finished) else {
            return .failed("no trajectory could run", failure: .configuration, started: started)
        }
        var report = RunReport(status: chosen.status, endReason: chosen.outcome.endReason)
        if chosen.outcome.endReason == .error, chosen.patch.isEmpty { report.status = .error }
        report.patch = chosen.patch
        report.filesChanged = chosen.files
        report.steps = finished.reduce(0) { $0 + $1.outcome.steps }
        report.toolCalls = finished.reduce(0) { $0 + $1.outcome.toolCalls }
        report.tests = RunReport.Tests(before: before.report(tailBytes: 3000), after: chosen.after)
        if let verification = chosen.verification { report.tests.record(verification) }
        if let warning = ContextMinimum.warning(contextSize: model.contextSize) {
            report.events.append(RunReport.Event(step: 0, kind: .smallContext, detail: warning))
        }
        for f in finished {
            report.usage.promptTokens += f.outcome.usage.promptTokens
            report.usage.completionTokens += f.outcome.usage.completionTokens
            report.usage.cachedPromptTokens += f.outcome.usage.cachedPromptTokens
            report.timing.modelS += f.outcome.modelSeconds
            report.timing.toolsS += f.outcome.toolSeconds
            report.timing.verificationS += f.verificationS
            report.events += f.outcome.events
        }
        report.error = chosen.outcome.error
        if let repair {
            report.repair = RunReport.RepairSummary(answers: repair.answers, tested: repair.tested, verified: repair.verified != nil,
                                                    modelS: repair.modelSeconds)
            if repair.verified == nil {
                // Its answers and their tests are part of the run's time and tokens too.
                report.usage.promptTokens += repair.usage.promptTokens
                report.usage.completionTokens += repair.usage.completionTokens
                report.usage.cachedPromptTokens += repair.usage.cachedPromptTokens
                report.timing.modelS += repair.modelSeconds
                report.timing.verificationS += repair.verificationSeconds
            }
        }
        report.trajectories = finished.map { f in
            RunReport.Trajectory(seed: f.seed, status: f.status, steps: f.outcome.steps,
                                 patchSHA256: f.patchSHA256, selected: f.index == chosen.index)
        }
        report.timing.wallS = Date().timeIntervalSince(started)
        report.sandbox = sandbox.summary(runCommandAsked: request.allowRunCommand)

        var outcome = FixOutcome(report: report, changes: chosen.changes,
                                 failure: chosen.outcome.modelUnreachable && chosen.patch.isEmpty ? .modelUnreachable : nil)
        let comparisons = finished.reduce(0) { $0 + $1.outcome.prefixComparisons }
        if comparisons > 0 {
            outcome.prefixReuse = Double(finished.reduce(0) { $0 + $1.outcome.prefixExtensions }) / Double(comparisons)
        }
        if options.applyToUserTree, chosen.status != .verified {
            outcome.applyError = chosen.patch.isEmpty ? "there is no patch to apply" : "the patch was not verified, so it was not applied"
        } else if options.applyToUserTree {
            do { outcome.appliedFiles = try await base.applyToUserRepository(patch: chosen.patch) } catch {
                outcome.applyError = "\(error)"
            }
        }
        report.resumedFromStep = options.resume?.step
        outcome.report.resumedFromStep = report.resumedFromStep
        // The run is over: nothing is left to resume — of this journal, nor of the killed run's it went
        // on with (`--resume A --trajectory B`). Removed before `run_end`, so no kill between leaves a
        // checkpoint of a finished run.
        if let path = journal.path { await CheckpointWriter.remove(forJournal: path) }
        if let resumed = options.resume?.journalPath { await CheckpointWriter.remove(forJournal: resumed) }
        journal.record(.runEnd(.init(status: report.status, endReason: report.endReason, steps: report.steps,
                                     prefixReuse: outcome.prefixReuse)))
        onEvent(AgentEvent(kind: .finished, step: report.steps, maxSteps: request.maxSteps,
                           summary: "\(report.status.rawValue) (\(report.endReason.rawValue)) after \(report.steps) steps",
                           promptTokens: report.usage.promptTokens, completionTokens: report.usage.completionTokens,
                           elapsedS: report.timing.wallS))
        return outcome
    }
}

extension Sandbox {
    /// The report's `sandbox` section.
    func summary(runCommandAsked: Bool) -> RunReport.SandboxSummary {
        let runCommand = !runCommandAsked ? "disabled" : runCommandRefusal.map { "refused: \($0)" } ?? "enabled"
        return RunReport.SandboxSummary(policy: settings.policy.rawValue, sandboxed: confinement.isSandboxed,
                                        detail: confinement.summary, runCommand: runCommand)
    }
}
