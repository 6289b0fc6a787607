import Agent
import ArgumentParser
import Foundation
import FixpointServer
import Git
import JSONValue
import Sandbox

struct FixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Fix an issue in a repository and hand back a patch that Fixpoint has seen pass the tests.",
        discussion: """
            Exit codes: 0 verified fix; 1 finished without a verified fix; 2 bad usage or configuration; \
            3 the model or another required service could not be reached. The repository is never modified \
            unless --apply is given. Settings can also come from fixpoint.toml at the repository root \
            (testCommand, modelUrl, model, maxSteps, heavy, timeout, tokenBudget); options given here win.
            """)

    @Option(help: "A folder inside the git repository to fix.") var repo: String
    @Option(help: "The issue text.") var issue: String?
    @Option(help: "A file holding the issue text.") var issueFile: String?
    @Option(name: .customLong("test-cmd"), help: "Shell command that runs the tests; exit 0 means pass.") var testCmd: String?
    @Option(help: "Base URL of an OpenAI-compatible server (default: the embedded model).") var modelURL: String?
    @Option(help: "Model name for --model-url, or a GGUF path / catalogue key (default, small) for the embedded server.") var model: String?
    @Option(help: "Environment variable holding the API key for --model-url.") var apiKeyEnv: String?
    @Option(help: "Maximum agent steps (default 300).") var maxSteps: Int?
    @Option(help: "Parallel trajectories; the verified patch most of them agree on wins (default 1).") var heavy: Int?
    @Option(help: "Per-step output budget in tokens (reasoning plus the call).") var maxStepTokens = 24_576
    @Option(help: "Total token budget for the run (prompt + completion).") var tokenBudget: Int?
    @Option(help: "Wall-clock limit for the run, in seconds.") var timeout: Double?
    @Option(help: "Timeout for one test or command run, in seconds.") var commandTimeout: Double = 600
    @Option(help: "How the model is asked for actions: native, constrained or auto (default: constrained for the embedded model, auto otherwise).")
    var actionMode: String?
    @Option(help: "Context size per trajectory, in tokens (default: what the server reports, or 16384).") var contextSize: Int?
    @Option(help: "Write the patch here.") var out: String?
    @Option(help: "Write the JSON report here.") var report: String?
    @Option(help: "Write the trajectory journal (JSONL) here.") var trajectory: String?
    @Flag(help: "Print one JSON event per line on stdout (for CI).") var jsonEvents = false
    @Flag(help: "Allow the run_command tool (shell commands in the isolated copy, sandboxed).") var allowRunCommand = false
    @Option(help: "How tests and commands are confined: strict (tests only, always sandboxed), standard (default: sandboxed where bubblewrap works) or off (your own rights).")
    var sandbox: String?
    @Flag(help: "Write a verified patch into the repository's working tree (only if the files it touches are unchanged).")
    var apply = false

    func validate() throws {
        if issue == nil, issueFile == nil { throw ValidationError("give the issue with --issue TEXT or --issue-file FILE") }
        if issue != nil, issueFile != nil { throw ValidationError("give either --issue or --issue-file, not both") }
        if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
        if let heavy, !(1...16).contains(heavy) { throw ValidationError("--heavy must be between 1 and 16") }
        if let actionMode, ActionMode(rawValue: actionMode) == nil { throw ValidationError("--action-mode must be native, constrained or auto") }
        if let contextSize, contextSize < 1024 { throw ValidationError("--context-size must be at least 1024") }
        if let sandbox { do { _ = try SandboxPolicy.parse(sandbox) } catch { throw ValidationError("--sandbox: \(error)") } }
    }

    func run() async throws {
        // fixpoint.toml lives at the repository root, which --repo may lie below.
        let root = (try? Repository.discover(from: repo).workdir) ?? repo
        let settings: ServerSettings
        do { settings = try ServerSettings().merging(tomlIn: root) } catch {
            printError("fixpoint: \(error)")
            throw ExitCode(ExitCodes.usage)
        }
        let issueText: String
        if let issueFile {
            guard let text = try? String(contentsOfFile: issueFile, encoding: .utf8) else {
                printError("fixpoint: cannot read --issue-file \(issueFile)")
                throw ExitCode(ExitCodes.usage)
            }
            issueText = text
        } else {
            issueText = issue ?? ""
        }
        guard let testCommand = testCmd ?? settings.testCommand else {
            printError("fixpoint: no test command: pass --test-cmd or set testCommand in \(root)/fixpoint.toml")
            throw ExitCode(ExitCodes.usage)
        }

        var request = FixRequest(repository: repo, issue: issueText, testCommand: testCommand)
        request.maxSteps = maxSteps ?? settings.maxSteps ?? 300
        request.heavy = heavy ?? settings.heavy ?? 1
        request.maxTokensPerStep = maxStepTokens
        request.tokenBudget = tokenBudget ?? settings.tokenBudget
        request.timeLimit = timeout ?? settings.timeout.map(Double.init)
        request.commandTimeout = commandTimeout
        request.allowRunCommand = allowRunCommand
        if let sandbox, let policy = try? SandboxPolicy.parse(sandbox) { request.sandbox.policy = policy }

        let selection: ModelSelection
        if let url = modelURL ?? settings.modelURL {
            selection = .remote(baseURL: url, model: model ?? settings.model, apiKeyEnv: apiKeyEnv)
        } else {
            selection = .embedded(modelPath: model ?? settings.model)
        }
        var options = RunOptions()
        options.trajectoryPath = trajectory
        options.actionMode = actionMode.flatMap(ActionMode.init(rawValue:))
        options.contextSize = contextSize
        options.applyToUserTree = apply

        let progress = ProgressPrinter(jsonEvents: jsonEvents, maxSteps: request.maxSteps)
        let stop = SignalWaiter(signals: [SIGINT, SIGTERM])
        let runTask = Task { await Fixer.run(request, model: selection, options: options, onEvent: progress.handle) }
        let watcher = Task {
            if await stop.next() != nil { runTask.cancel() }
        }
        let outcome = await runTask.value
        watcher.cancel()
        progress.finish()

        try write(outcome)
        progress.summary(outcome, printPatch: out == nil)
        switch (outcome.failure, outcome.report.status) {
        case (.configuration?, _): throw ExitCode(ExitCodes.usage)
        case (.modelUnreachable?, _): throw ExitCode(ExitCodes.unreachable)
        case (nil, .verified):
            // --apply that could not write is not a success: nothing reached the working tree.
            if apply, outcome.applyError != nil { throw ExitCode(ExitCodes.notVerified) }
        default: throw ExitCode(ExitCodes.notVerified)
        }
    }

    private func write(_ outcome: FixOutcome) throws {
        do {
            if let out { try outcome.report.patch.write(toFile: out, atomically: true, encoding: .utf8) }
            if let report { try (outcome.report.toJSON().prettyPrinted() + "\n").write(toFile: report, atomically: true, encoding: .utf8) }
        } catch {
            printError("fixpoint: cannot write results: \(error.localizedDescription)")
            throw ExitCode(ExitCodes.usage)
        }
    }
}
