import Agent
import ArgumentParser
import Config
import Eval
import Foundation
import Git
import JSONValue

struct FixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Fix an issue in a repository and hand back a patch that Fixpoint has seen pass the tests.",
        discussion: """
            Exit codes: 0 verified fix; 1 finished without a verified fix; 2 bad usage or configuration; \
            3 the model or another required service could not be reached. The repository is never modified \
            unless --apply is given. Settings can also come from fixpoint.toml at the repository root \
            (docs/configuration.md); options given here win.
            """)

    @Option(help: "A folder inside the git repository to fix.") var repo: String
    @Option(help: "The issue text.") var issue: String?
    @Option(help: "A file holding the issue text.") var issueFile: String?
    @OptionGroup var runOptions: RunOptions
    @Option(help: ConfigKey.maxStepTokens.help) var maxStepTokens: Int?
    @Option(help: ConfigKey.commandTimeout.help) var commandTimeout: Double?
    @Option(name: .customLong("fail-to-pass"), parsing: .upToNextOption, help: ConfigKey.failToPass.help) var failToPass: [String] = []
    @Option(help: "Write the patch here.") var out: String?
    @Option(help: "Write the JSON report here.") var report: String?
    @Option(help: "Write the result as SARIF 2.1.0 here (the issue as a result, the patch as its fixes).") var sarif: String?
    @Option(help: "Write the trajectory journal (JSONL) here.") var trajectory: String?
    @Option(help: ArgumentHelp("Go on with a killed run from its journal (the --trajectory file it wrote), from its last completed step.",
                               valueName: "journal")) var resume: String?
    @Flag(help: "Print one JSON event per line on stdout (for CI).") var jsonEvents = false
    @Flag(help: ConfigKey.allowRunCommand.help) var allowRunCommand = false
    @Option(name: .customLong("sandbox"), help: ConfigKey.sandboxPolicy.help) var sandboxPolicy: String?
    @Flag(help: ConfigKey.sandboxApproveCommands.help) var sandboxApproveCommands = false
    @Option(help: ConfigKey.sandboxCpuSeconds.help) var sandboxCpuSeconds: Int?
    @Option(name: .customLong("sandbox-memory-mb"), help: ConfigKey.sandboxMemoryMB.help) var sandboxMemoryMB: Int?
    @Option(name: .customLong("sandbox-file-size-mb"), help: ConfigKey.sandboxFileSizeMB.help) var sandboxFileSizeMB: Int?
    @Option(help: ConfigKey.sandboxProcesses.help) var sandboxProcesses: Int?
    @Option(name: .customLong("sandbox-output-kb"), help: ConfigKey.sandboxOutputKB.help) var sandboxOutputKB: Int?
    @Option(help: ConfigKey.sandboxHide.help) var sandboxHide: [String] = []
    @Option(name: .customLong("sandbox-env"), help: ConfigKey.sandboxEnvironment.help) var sandboxEnvironment: [String] = []
    @Flag(help: "Write a verified patch into the repository's working tree (only if the files it touches are unchanged).")
    var apply = false

    func validate() throws {
        if issue == nil, issueFile == nil, resume == nil { throw ValidationError("give the issue with --issue TEXT or --issue-file FILE") }
        if issue != nil, issueFile != nil { throw ValidationError("give either --issue or --issue-file, not both") }
        do { _ = try commandLineSettings() } catch { throw ValidationError(error.description) }
        try FixInputs.checkFolder(repo)
        if let issueFile { _ = try FixInputs.readIssueFile(issueFile) }
    }

    /// The options given, checked against the same limits as every other layer.
    private func commandLineSettings() throws(ConfigError) -> Settings {
        let own: [(ConfigKey, JSON?)] = [
            (.maxStepTokens, maxStepTokens.map(JSON.int)), (.commandTimeout, commandTimeout.map(JSON.double)),
            (.allowRunCommand, allowRunCommand ? JSON.bool(true) : nil), (.sandboxPolicy, sandboxPolicy.map(JSON.string)),
            (.sandboxApproveCommands, sandboxApproveCommands ? JSON.bool(true) : nil),
            (.sandboxCpuSeconds, sandboxCpuSeconds.map(JSON.int)), (.sandboxMemoryMB, sandboxMemoryMB.map(JSON.int)),
            (.sandboxFileSizeMB, sandboxFileSizeMB.map(JSON.int)), (.sandboxProcesses, sandboxProcesses.map(JSON.int)),
            (.sandboxOutputKB, sandboxOutputKB.map(JSON.int)),
            (.sandboxHide, sandboxHide.isEmpty ? nil : .array(sandboxHide.map(JSON.string))),
            (.sandboxEnvironment, sandboxEnvironment.isEmpty ? nil : .array(sandboxEnvironment.map(JSON.string))),
            (.failToPass, failToPass.isEmpty ? nil : JSON.array(failToPass.map(JSON.string))),
        ]
        return try runOptions.settings(adding: own)
    }

    func run() async throws {
        // fixpoint.toml lives at the repository root, which --repo may lie below.
        let root = (try? await Repository.discover(from: repo).workdir) ?? repo
        let resumePoint = try await loadResumePoint(root: root)
        let issueText: String
        if let issueFile {
            do { issueText = try FixInputs.readIssueFile(issueFile) } catch {
                printError("fixpoint: \(error.message)")
                throw ExitCode(ExitCodes.usage)
            }
        } else {
            issueText = issue ?? resumePoint?.issue ?? ""
        }
        let plan: FixPlan
        do {
            // The killed run's test command over fixpoint.toml's; only --test-cmd overrides it.
            var file = try ConfigFile.read(in: root).settings
            if let resumePoint {
                file.testCommand = resumePoint.testCommand
                // Only single runs checkpoint: fixpoint.toml's heavy is for new runs; only --heavy is refused.
                if let heavy = file.heavy, heavy > 1 {
                    printError("fixpoint: resuming as a single-trajectory run (heavy = \(heavy) in fixpoint.toml applies to new runs)")
                }
                file.heavy = nil
            }
            let settings = file.overlaid(by: try commandLineSettings())
            plan = try FixPlan(repository: repo, issue: issueText, settings: settings, location: "\(root)/\(ConfigFile.name)")
        } catch {
            printError("fixpoint: \(error)")
            throw ExitCode(ExitCodes.usage)
        }
        do { try FixInputs.checkRepository(repo) } catch {
            printError("fixpoint: \(error.message)")
            throw ExitCode(ExitCodes.usage)
        }
        var request = plan.request
        if request.sandbox.approveCommands { request.commandApproval = TerminalApproval.ask }
        var options = plan.options()
        options.trajectoryPath = trajectory ?? resumePoint?.journalPath
        options.applyToUserTree = apply
        options.resume = resumePoint

        let progress = ProgressPrinter(jsonEvents: jsonEvents, maxSteps: request.maxSteps)
        let stop = SignalWaiter(signals: [SIGINT, SIGTERM])
        let runTask = Task { await Fixer.run(request, model: plan.model, options: options, onEvent: progress.handle) }
        let watcher = Task {
            if await stop.next() != nil { runTask.cancel() }
        }
        let outcome = await runTask.value
        watcher.cancel()
        progress.finish()

        try write(outcome, issue: issueText, root: root)
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

    /// The killed run `--resume` names, checked to have worked on this repository.
    private func loadResumePoint(root: String) async throws -> ResumePoint? {
        guard let resume else { return nil }
        let point: ResumePoint
        do { point = try await ResumePoint.load(journal: resume) } catch {
            printError("fixpoint: cannot resume: \(error)")
            throw ExitCode(ExitCodes.usage)
        }
        let theirs = (try? await Repository.discover(from: point.repository).workdir) ?? point.repository
        guard Self.samePath(theirs, root) else {
            printError("fixpoint: cannot resume: the run of \(resume) worked on \(theirs), not \(root); give --repo \(point.repository)")
            throw ExitCode(ExitCodes.usage)
        }
        return point
    }

    private static func samePath(_ a: String, _ b: String) -> Bool {
        func canonical(_ p: String) -> String { URL(fileURLWithPath: p).resolvingSymlinksInPath().standardizedFileURL.path }
        return canonical(a) == canonical(b)
    }

    private func write(_ outcome: FixOutcome, issue: String, root: String) throws {
        do {
            if let out { try outcome.report.patch.write(toFile: out, atomically: true, encoding: .utf8) }
            if let report { try (outcome.report.toJSON().prettyPrinted() + "\n").write(toFile: report, atomically: true, encoding: .utf8) }
            if let sarif {
                let log = SARIFReport.render(report: outcome.report, issue: issue, repositoryRoot: root)
                try (log.prettyPrinted() + "\n").write(toFile: sarif, atomically: true, encoding: .utf8)
            }
        } catch {
            printError("fixpoint: cannot write results: \(error.localizedDescription)")
            throw ExitCode(ExitCodes.usage)
        }
    }
}
