import Agent
import Config
import Foundation
import Locking

/// How an evaluation runs: the same settings a `fix` run takes, applied to every task.
public struct EvalSettings: Sendable {
    /// The command line's settings (model, steps, heavy); each task's `test_cmd` and the checkout's
    /// fixpoint.toml are layered exactly as `fixpoint fix` layers them.
    public var settings: Settings
    /// `model_name_or_path` in predictions.jsonl.
    public var modelName: String
    /// Tasks run at once.
    public var jobs = 1
    public var setupTimeout: Double = 1800
    /// Where checkouts live while a task runs.
    public var workRoot: String
    public var options = RunOptions()

    public init(settings: Settings, modelName: String, workRoot: String) {
        self.settings = settings; self.modelName = modelName; self.workRoot = workRoot
    }
}

/// What the live progress display hears.
public enum EvalProgress: Sendable {
    case started(instanceID: String, index: Int, total: Int)
    case step(instanceID: String, AgentEvent)
    case finished(TaskResult, done: Int, total: Int)
}

/// Runs a task set: for each task, a checkout at its base, the same `Fixer.run` as `fixpoint fix`,
/// then the independent judge. Results come back in the task order.
public enum EvalRunner {
    public static func run(_ tasks: [EvalTask], with eval: EvalSettings,
                           onProgress: @escaping @Sendable (EvalProgress) -> Void = { _ in }) async -> [TaskResult] {
        try? FileManager.default.createDirectory(atPath: eval.workRoot, withIntermediateDirectories: true)
        return await withTaskGroup(of: (Int, TaskResult).self) { group in
            var results = [TaskResult?](repeating: nil, count: tasks.count)
            var next = 0
            var done = 0
            while next < tasks.count || done < next {
                // Keep `jobs` tasks running; then wait for one to finish.
                while next < tasks.count, next - done < max(1, eval.jobs), !Task.isCancelled {
                    let (index, task) = (next, tasks[next])
                    next += 1
                    group.addTask {
                        onProgress(.started(instanceID: task.instanceID, index: index, total: tasks.count))
                        return (index, await runTask(task, with: eval, onProgress: onProgress))
                    }
                }
                guard let (index, result) = await group.next() else { break }
                results[index] = result
                done += 1
                onProgress(.finished(result, done: done, total: tasks.count))
            }
            return results.compactMap { $0 }
        }
    }

    static func runTask(_ task: EvalTask, with eval: EvalSettings, onProgress: @escaping @Sendable (EvalProgress) -> Void) async -> TaskResult {
        let started = Date()
        let log = Locked<[String]>([])
        func failed(_ failure: TaskFailure) -> TaskResult {
            TaskResult(instanceID: task.instanceID, status: .error, endReason: .error, judgement: .unresolved(failure.message),
                       patch: "", steps: 0, toolCalls: 0, promptTokens: 0, completionTokens: 0, cachedPromptTokens: 0,
                       wallS: Date().timeIntervalSince(started), tests: nil, log: log.withLock { $0 },
                       error: "\(failure.stage.rawValue): \(failure.message)")
        }
        let checkout: TaskCheckout
        do { checkout = try await TaskCheckout.prepare(task, under: eval.workRoot, setupTimeout: eval.setupTimeout) } catch {
            return failed(error)
        }
        defer { checkout.remove() }

        // The same layering as `fixpoint fix`: the checkout's fixpoint.toml, then the command line
        // and the task's own test command.
        var given = eval.settings
        if let command = task.testCommand { given.testCommand = command }
        let plan: FixPlan
        do {
            let settings = try ConfigFile.read(in: checkout.directory).settings.overlaid(by: given)
            plan = try FixPlan(repository: checkout.directory, issue: task.problemStatement, settings: settings,
                               location: "test_cmd of \(task.instanceID)")
        } catch {
            return failed(TaskFailure(stage: .prepare, "\(error)"))
        }
        var request = plan.request
        // The FAIL_TO_PASS tests are the targets when they are already in the repository; SWE-bench's
        // come with test_patch, which the agent never sees, so the run then judges by what failed before.
        if task.testPatch.isEmpty, !task.failToPass.isEmpty { request.failToPass = task.failToPass }
        let options = plan.options(eval.options)
        let outcome = await Fixer.run(request, model: plan.model, options: options) { event in
            log.withLock { lines in
                if lines.count < 600 { lines.append("[\(event.step)/\(event.maxSteps)] \(event.kind.rawValue): \(event.summary)") }
            }
            onProgress(.step(instanceID: task.instanceID, event))
        }
        let report = outcome.report
        let judgement = await Judge.judge(task, checkout: checkout, patch: report.patch, testCommand: request.testCommand,
                                          timeout: request.commandTimeout)
        return TaskResult(instanceID: task.instanceID, status: report.status, endReason: report.endReason, judgement: judgement,
                          patch: report.patch, steps: report.steps, toolCalls: report.toolCalls,
                          promptTokens: report.usage.promptTokens, completionTokens: report.usage.completionTokens,
                          cachedPromptTokens: report.usage.cachedPromptTokens, wallS: Date().timeIntervalSince(started),
                          tests: report.tests, log: log.withLock { $0 }, error: report.error)
    }
}
