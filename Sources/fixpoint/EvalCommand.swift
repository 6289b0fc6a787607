import ArgumentParser
import Config
import Eval
import Foundation

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Run Fixpoint over a set of tasks (SWE-bench format) and judge the results.",
        discussion: "Exit 0 when the evaluation ran: the resolve rate is a result, not a failure. docs/evaluation.md describes the task format and the outputs.",
        subcommands: [EvalRunCommand.self, EvalMergeCommand.self], defaultSubcommand: EvalRunCommand.self)
}

struct EvalRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run every task of TASKS and write results.json, predictions.jsonl, junit.xml and report.html into --out.")

    @Argument(help: "Task file: JSON Lines or a JSON list of SWE-bench instances (plus repo_path, setup, test_cmd).") var tasks: String
    @Option(help: "Folder for the results (created if needed).") var out: String
    @Option(help: "Base URL of an OpenAI-compatible server (default: the embedded model).") var modelURL: String?
    @Option(help: "Model name for --model-url, or a GGUF path / catalogue key for the embedded server.") var model: String?
    @Option(help: "Environment variable holding the API key for --model-url.") var apiKeyEnv: String?
    @Option(help: "Parallel trajectories per task.") var heavy: Int?
    @Option(help: "Maximum agent steps per task.") var maxSteps: Int?
    @Option(help: "One-line repairs per likely function where the model picks the line, before the agent loop (0: no repair).") var repairSamples: Int?
    @Option(help: "Tasks run at once (default 1).") var jobs = 1
    @Option(parsing: .upToNextOption, help: "Run only these instance ids.") var only: [String] = []
    @Option(help: "Run shard I of N (0-based): every N-th task starting at I.") var shard: String?
    @Option(help: "How the model is asked for actions: native, constrained or auto.") var actionMode: String?
    @Option(help: "Timeout for one test run, in seconds.") var commandTimeout: Double?

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let shard { do { _ = try TaskSet.Shard(parsing: shard) } catch { throw ValidationError(error.description) } }
    }

    func run() async throws {
        let selected: [EvalTask]
        do {
            let all = try TaskSet.load(tasks)
            selected = TaskSet.select(all, only: only, shard: try shard.map { try TaskSet.Shard(parsing: $0) })
            let unknown = only.filter { id in !all.contains { $0.instanceID == id } }
            if !unknown.isEmpty { throw EvalError.noTasks("--only names instances not in \(tasks): \(unknown.joined(separator: ", "))") }
        } catch {
            printError("fixpoint: \(error)")
            throw ExitCode(ExitCodes.usage)
        }
        var given = Settings()
        given.modelURL = modelURL; given.model = model; given.apiKeyEnv = apiKeyEnv
        given.heavy = heavy; given.maxSteps = maxSteps; given.actionMode = actionMode; given.commandTimeout = commandTimeout
        given.repairSamples = repairSamples
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("fixpoint-eval-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: work) }
        var settings = EvalSettings(settings: given, modelName: model ?? (modelURL == nil ? "fixpoint-embedded-default" : "unknown"), workRoot: work)
        settings.jobs = jobs

        let progress = EvalProgressPrinter(total: selected.count)
        printError("fixpoint eval: \(selected.count) task\(selected.count == 1 ? "" : "s") from \(tasks), \(jobs) at a time")
        let stop = SignalWaiter(signals: [SIGINT, SIGTERM])
        let (chosen, evalSettings) = (selected, settings)
        let runTask = Task { await EvalRunner.run(chosen, with: evalSettings, onProgress: progress.handle) }
        let watcher = Task { if await stop.next() != nil { runTask.cancel() } }
        let results = EvalResults(model: settings.modelName, tasks: await runTask.value)
        watcher.cancel()
        progress.finish()
        do { try EvalReports.write(results, to: out) } catch {
            printError("fixpoint: cannot write the results into \(out): \(error.localizedDescription)")
            throw ExitCode(ExitCodes.usage)
        }
        printError(EvalTable.render(results))
        printError("results in \(out): \(EvalReports.files.joined(separator: ", "))")
    }
}

struct EvalMergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Combine the --out folders of several eval shards into one.")

    @Argument(help: "Folders written by `fixpoint eval --out` (one per shard).") var folders: [String]
    @Option(help: "Folder for the combined results.") var out: String

    func validate() throws { if folders.isEmpty { throw ValidationError("name at least one folder to merge") } }

    func run() async throws {
        let merged: EvalResults
        do { merged = try EvalReports.merge(try folders.map { try EvalReports.read($0) }) } catch {
            printError("fixpoint: \(error)")
            throw ExitCode(ExitCodes.usage)
        }
        do { try EvalReports.write(merged, to: out) } catch {
            printError("fixpoint: cannot write the results into \(out): \(error.localizedDescription)")
            throw ExitCode(ExitCodes.usage)
        }
        printError(EvalTable.render(merged))
    }
}
