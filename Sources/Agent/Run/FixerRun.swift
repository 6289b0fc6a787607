import Config
import Foundation
import Git
import JSONValue
import ModelClient
import Sandbox

/// The one entry point both the CLI and the language server use. Cancel the calling task to stop a
/// run: the model request is aborted, commands are killed, snapshots are removed, and the report's
/// end reason is `cancelled`.
public enum Fixer {
    public static func run(
        _ request: FixRequest, model selection: ModelSelection, options: RunOptions = RunOptions(),
        onEvent emit: @escaping @Sendable (AgentEvent) -> Void = { _ in }
    ) async -> FixOutcome {
        let started = Date()
        if let problem = request.validationProblem {
            return .failed(problem, failure: .configuration, started: started)
        }
        let secretVariables = selection.secretEnvironment
        for name in secretVariables { if let key = ProcessInfo.processInfo.environment[name] { Redaction.register(key) } }
        // Events reach editors and logs: through the redaction point.
        let onEvent: @Sendable (AgentEvent) -> Void = { event in
            var event = event
            event.summary = Redaction.redact(event.summary)
            emit(event)
        }
        // The sandbox before the model: the strict policy refuses to run where bubblewrap can't.
        let sandbox: Sandbox
        do { sandbox = try await Sandbox.prepare(request.sandbox, hiding: secretVariables) } catch {
            return .failed(error.description, failure: .configuration, started: started)
        }
        if options.resume != nil, request.heavy > 1 {
            return .failed("only a single-trajectory run can be resumed; drop --heavy", failure: .configuration, started: started)
        }
        let journal: TrajectoryJournal
        // A resumed run goes on writing the killed run's journal when it is given the same one.
        let appending = options.resume.map { $0.journalPath == options.trajectoryPath } ?? false
        // Opening it creates folders, takes a lock and may read the whole journal: off the cooperative pool.
        let trajectoryPath = options.trajectoryPath
        do { journal = try await runBlocking { try TrajectoryJournal(path: trajectoryPath, append: appending) } } catch {
            return .failed("cannot write the trajectory journal \(options.trajectoryPath ?? ""): \(error.localizedDescription)", failure: .configuration, started: started)
        }
        journal.record(.runStart(.init(repository: request.repository, testCommand: request.testCommand,
                                       maxSteps: request.maxSteps, heavy: request.heavy, version: FixpointVersion.string,
                                       sandbox: sandbox.settings.policy.rawValue, sandboxed: sandbox.confinement.isSandboxed,
                                       resumedFromStep: options.resume?.step)))

        // What killed or crashed runs left behind goes first (never a live process's snapshot).
        await Snapshot.removeStale(root: options.snapshotRoot)
        // The model first: a run that cannot reach it should fail before any work.
        let endpoint: ModelConnection
        let modelOpening = Date()
        do { endpoint = try await ModelConnection.open(selection, slots: request.heavy, options: options) } catch {
            journal.record(.runEnd(.failed(error.description)))
            if error.isCancelled || Task.isCancelled {
                var report = RunReport(status: .noPatch, endReason: .cancelled)
                report.timing.wallS = Date().timeIntervalSince(started)
                return FixOutcome(report: report, changes: [])
            }
            return .failed(error.description, failure: error.isConfiguration ? .configuration : .modelUnreachable, started: started)
        }
        let modelStartS = Date().timeIntervalSince(modelOpening)
        defer { Task { await endpoint.close() } }
        onEvent(AgentEvent(kind: .started, step: 0, maxSteps: request.maxSteps, summary: "model ready: \(endpoint.description), context \(endpoint.contextSize) tokens per trajectory"
                           + (ContextMinimum.warning(contextSize: endpoint.contextSize).map { "; warning: \($0)" } ?? "")))

        let base: Snapshot
        do {
            base = try await Snapshot.create(from: request.repository, overlays: request.overlays, root: options.snapshotRoot)
        } catch {
            await endpoint.close()
            return .failed("cannot snapshot \(request.repository): \(error)", failure: .configuration, started: started)
        }
        var outcome = await RunCoordinator(request: request, options: options, base: base, model: endpoint, sandbox: sandbox,
                                           journal: journal, onEvent: onEvent, started: started).run()
        outcome.report.timing.modelStartS = modelStartS
        await endpoint.close()
        // Every other snapshot of the run is gone by now; the base goes too unless a face keeps it to apply later.
        if options.retainBase, !outcome.report.patch.isEmpty {
            outcome.pendingApply = PendingApply(base: base, patch: outcome.report.patch)
        } else {
            await base.remove()
        }
        outcome.report = outcome.report.redacted()
        return outcome
    }
}

/// Knobs that are not part of the request's meaning: where to log, how to ask the model.
public struct RunOptions: Sendable {
    public var trajectoryPath: String?
    public var actionMode: ActionMode?
    /// Context size to assume when the server does not say (remote servers without /props).
    public var contextSize: Int?
    public var temperature: Double?
    /// Write a verified patch into the user's working tree at the end (through the Git layer's safe apply).
    public var applyToUserTree = false
    /// Keep the base snapshot in the outcome (`pendingApply`) for a later safe apply.
    public var retainBase = false
    /// Where this run's snapshots go (default: `FixpointPaths.snapshots`); every one is gone when the run returns.
    public var snapshotRoot: String?
    /// A model to use instead of connecting (tests inject scripted or faulty models here).
    public var injectedModel: (any ChatModel)?
    /// Go on from a killed run's last completed step instead of starting afresh (`fix --resume`).
    public var resume: ResumePoint?
    public init() {}
}

extension FixRequest {
    var validationProblem: String? {
        if issue.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "the issue text is empty" }
        if testCommand.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return "no test command: pass --test-cmd or set testCommand in fixpoint.toml"
        }
        if maxSteps < 1 { return "max steps must be at least 1 (got \(maxSteps))" }
        if !Limits.heavy.contains(heavy) { return "heavy must be in \(Limits.heavy.lowerBound)...\(Limits.heavy.upperBound) (got \(heavy))" }
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: repository, isDirectory: &isDir) || !isDir.boolValue {
            return "repository folder \(repository) does not exist"
        }
        return nil
    }
}

extension FixOutcome {
    static func failed(_ message: String, failure: Failure, started: Date) -> FixOutcome {
        var report = RunReport(status: .error, endReason: .error, error: message)
        report.timing.wallS = Date().timeIntervalSince(started)
        return FixOutcome(report: report, changes: [], failure: failure)
    }
}
