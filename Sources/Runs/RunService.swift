import Agent
import Foundation
import Git
import Locking

/// Where a run's agent events go. Called from the agent's threads, in order.
public typealias EventSink = @Sendable (AgentEvent) -> Void

/// The run service every face uses (the language server, the ACP agent, and any later one): it starts
/// runs — one per repository at a time —, hands each run's events to the face, cancels them, keeps the
/// most recent finished runs, and applies a finished run's changes to the user's files.
///
/// Nothing here knows a protocol: faces translate their requests into these calls and these results
/// into their messages. Calls are synchronous bookkeeping under a lock, so a face can check and start
/// a run while it handles one message, in order; the runs themselves go on in tasks of their own.
public final class RunService: Sendable {
    private let runner: FixRunner
    /// Finished runs kept for a later apply: their whole-file texts can be large.
    public let finishedKept: Int
    private let state = Locked(State())

    struct State {
        var active: [RunID: ActiveRun] = [:]
        var finished: [RunID: FinishedRun] = [:]
        /// Runs whose apply is under way, so two applies of one run cannot both write.
        var applying: Set<RunID> = []
        var nextNumber = 1
    }

    struct ActiveRun {
        var repository: String
        var task: Task<RunEnd, Never>
    }

    public init(runner: @escaping FixRunner = FixRunners.agent, finishedKept: Int = 16) {
        self.runner = runner
        self.finishedKept = finishedKept
    }

    // MARK: Starting and ending

    /// Starts a run of `plan`. `plan.request.repository` is the key for one run per repository, so faces
    /// pass the repository's root. `prepare` runs first, in the run's own task (a face announces the run
    /// there), and returns where the agent's events go.
    public func start(
        _ plan: FixPlan,
        prepare: @escaping @Sendable (RunID) async -> EventSink = { _ in { _ in } }
    ) throws(RunStartError) -> RunHandle {
        let runner = self.runner
        let request = plan.request
        return try state.withLock { state throws(RunStartError) -> RunHandle in
            if let running = state.active.first(where: { $0.value.repository == request.repository })?.key {
                throw .repositoryBusy(repository: request.repository, running: running)
            }
            let id = RunID(number: state.nextNumber)
            state.nextNumber += 1
            // The task cannot finish before it is recorded: `finish` takes this same lock.
            let task = Task.detached { [self] () -> RunEnd in
                let sink = await prepare(id)
                let outcome = await runner(plan, sink)
                let (end, dropped) = self.finish(id, repository: request.repository, outcome, cancelled: Task.isCancelled)
                // A cancelled run's kept base, or the oldest kept run pushed out, is removed before the run ends.
                await dropped?.discard()
                return end
            }
            state.active[id] = ActiveRun(repository: request.repository, task: task)
            return RunHandle(id: id, task: task)
        }
    }

    private func finish(_ id: RunID, repository: String, _ outcome: FixOutcome, cancelled: Bool) -> (RunEnd, PendingApply?) {
        var dropped: PendingApply?
        let end = state.withLock { state -> RunEnd in
            state.active[id] = nil
            if cancelled || outcome.report.endReason == .cancelled {
                dropped = outcome.pendingApply
                return .cancelled
            }
            let run = FinishedRun(id: id, repository: repository, outcome: outcome)
            state.finished[id] = run
            if state.finished.count > finishedKept, let oldest = state.finished.keys.min() {
                dropped = state.finished.removeValue(forKey: oldest)?.outcome.pendingApply
            }
            return .finished(run)
        }
        return (end, dropped)
    }

    /// Cancels a run in progress; false when `id` is not running.
    @discardableResult
    public func cancel(_ id: RunID) -> Bool {
        let task = state.withLock { $0.active[id]?.task }
        task?.cancel()
        return task != nil
    }

    /// Cancels every run in progress and returns their ids, in order.
    @discardableResult
    public func cancelAll() -> [RunID] {
        let runs = state.withLock { $0.active.sorted { $0.key < $1.key } }
        for run in runs { run.value.task.cancel() }
        return runs.map(\.key)
    }

    /// Cancels every run, waits until each has ended, and removes the bases kept for a later apply:
    /// when this returns, no snapshot of this service is left on disk.
    public func stop() async {
        let tasks = state.withLock { $0.active.values.map(\.task) }
        for task in tasks { task.cancel() }
        for task in tasks { _ = await task.value }
        let kept = state.withLock { state in
            defer { state.finished.removeAll() }
            return state.finished.values.compactMap(\.outcome.pendingApply)
        }
        for pending in kept { await pending.discard() }
    }

    /// The state under the lock, for this module's other files.
    func withState<T, E: Error>(_ body: (inout State) throws(E) -> T) throws(E) -> T {
        try state.withLock { state throws(E) -> T in try body(&state) }
    }

    // MARK: Looking up

    public var activeRuns: [RunID] { state.withLock { $0.active.keys.sorted() } }

    public func isActive(_ id: RunID) -> Bool { state.withLock { $0.active[id] != nil } }

    public func finishedRun(_ id: RunID) -> FinishedRun? { state.withLock { $0.finished[id] } }

    public var finishedRuns: [RunID] { state.withLock { $0.finished.keys.sorted() } }

    /// Records that a face wrote the run's changes itself (an editor applied them as an edit).
    public func markApplied(_ id: RunID) {
        state.withLock { state in
            state.finished[id]?.applied = true
            state.finished[id]?.outcome.pendingApply = nil
        }
    }

    /// The root of the git repository that holds `path`, or `path` itself when it is in none (the run
    /// then reports why). Runs work on whole repositories: one per repository at a time.
    public static func repositoryRoot(containing path: String) async -> String {
        guard let root = try? await Repository.discover(from: path).workdir else { return path }
        return root
    }
}

/// A started run: its id, and its end to wait for.
public struct RunHandle: Sendable {
    public let id: RunID
    let task: Task<RunEnd, Never>

    /// Waits until the run has ended.
    public var end: RunEnd { get async { await task.value } }
}
