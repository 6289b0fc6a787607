import Foundation
import Git
import Sandbox

/// The loop's services that tools reach through `ToolContext`: the configured tests, a command, the
/// diff and patches — all in this trajectory's snapshot. A test run is handed back through
/// `latestTests` so the loop can note its result.
struct SnapshotServices {
    let snapshot: Snapshot
    let testCommand: String
    let commandTimeout: Double
    /// The run's deadline (reference-date seconds; nil: none): tests and commands stop there.
    let deadline: Double?
    let allowRunCommand: Bool
    /// Where tests and commands run, confined as the run's policy says.
    let sandbox: Sandbox
    let commandApproval: (@Sendable (String) async -> Bool)?
    let journal: TrajectoryJournal
    let trajectory: Int
    let latestTests = LatestTestRun()

    init(settings: TrajectorySettings, snapshot: Snapshot, journal: TrajectoryJournal) {
        self.snapshot = snapshot
        testCommand = settings.testCommand
        commandTimeout = settings.commandTimeout
        deadline = settings.deadline
        allowRunCommand = settings.allowRunCommand
        sandbox = settings.sandbox
        commandApproval = settings.commandApproval
        self.journal = journal
        trajectory = settings.index
    }

    /// The context for one call at `step`; tool output is bounded by `maxOutputBytes`.
    func context(step: Int, maxOutputBytes: Int) throws(ToolError) -> ToolContext {
        let (snapshot, testCommand, commandTimeout, deadline, sandbox, approval) =
            (self.snapshot, self.testCommand, self.commandTimeout, self.deadline, self.sandbox, commandApproval)
        let (journal, trajectory, latestTests) = (self.journal, self.trajectory, self.latestTests)

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
            guard let limit = CommandTimeLimit.at(commandTimeout: commandTimeout, deadline: deadline) else {
                return Self.timeLimitPassed
            }
            let run = await TestRunner.run(command, in: snapshot.directory, timeout: limit.seconds, sandbox: sandbox)
            journal.record(.tests(.init(exitCode: Int(run.exitCode), command: command)), trajectory: trajectory, step: step)
            latestTests.store(run)
            // The condensed output already starts with the exit code.
            return (run.timedOut ? limit.testsStopped + "\n" : "") + run.condensed
        }
        var runCommand: (@Sendable (String) async -> String)?
        if allowRunCommand {
            runCommand = { command in
                if let approval, await !approval(command) {
                    return "Error: the user declined to run this command; do without it (read_file, search, run_tests)."
                }
                guard let limit = CommandTimeLimit.at(commandTimeout: commandTimeout, deadline: deadline) else {
                    return Self.timeLimitPassed
                }
                let run = await TestRunner.run(command, in: snapshot.directory, timeout: limit.seconds, sandbox: sandbox)
                let stopped = run.timedOut ? " (still running after \(Int(limit.seconds.rounded()))s: stopped \(limit.stoppedBy))" : ""
                return "Exit code \(run.exitCode)\(stopped).\n" + OutputTriage.headTail(run.output)
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
                           gitDiff: gitDiff, applyPatch: applyPatch, maxOutputBytes: maxOutputBytes)
    }

    /// A test or command asked for when the run's time limit has (all but) passed: nothing is started.
    static let timeLimitPassed = "Error: the run's time limit has passed; nothing was run."

    /// The change so far, as a unified diff ("" when it cannot be computed).
    func diff() async -> String { (try? await diffOrError()) ?? "" }

    /// The change so far; throws when it cannot be computed (a checkpoint must not record "no change" then).
    func diffOrError() async throws -> String {
        let snapshot = self.snapshot
        return try await runBlocking { try snapshot.diff() }
    }

    /// The files changed so far ([] when they cannot be listed).
    func changedFiles() async -> [String] {
        let snapshot = self.snapshot
        return (try? await runBlocking { try snapshot.changedFiles() }) ?? []
    }
}
