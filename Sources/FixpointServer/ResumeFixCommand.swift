import Agent
import Config
import Git
import JSONRPC
import JSONValue
import LSP
import Runs

/// `fixpoint.resumeFix {journal?, uri?}`: goes on with a run that was killed together with its server
/// (SIGKILL, a crash, power loss), from its last completed step — the newest such run of the repository
/// that holds `uri` (or the first workspace folder), or the one whose journal is named. Every
/// `fixpoint.fixIssue` run is journaled under `FixpointPaths.runJournals` while it goes on. Answers like
/// `fixpoint.fixIssue`: progress while it runs, the report (with `resumed_from_step`) when it ends.
enum ResumeFixCommand: ServerCommand {
    static let name = "fixpoint.resumeFix"

    struct Arguments: Sendable {
        var journal: String?
        var uri: DocumentURI?
        /// Settings given with the command, over the editor's and fixpoint.toml's (a model URL, say).
        var settings: Settings
        var path: String
        var request: CommandRequest
    }

    static func arguments(_ args: Params, request: CommandRequest) throws(ResponseError) -> Arguments {
        let journal = try args.optionalString("journal")
        let uri = try args.optionalString("uri").map { DocumentURI($0) }
        let settings: Settings
        do throws(ConfigError) {
            settings = try Settings(object: args.value.objectValue ?? [:], layer: .commandArguments, location: args.path,
                                    ignoring: ["journal", "uri"])
        } catch {
            throw ResponseError(error)
        }
        return Arguments(journal: journal, uri: uri, settings: settings, path: args.path, request: request)
    }

    static func run(_ arguments: Arguments, on server: isolated FixpointServer, reply: Responder<RunReport>) async throws(ResponseError) {
        try await server.resumeFix(arguments, reply: reply)
    }
}

extension FixpointServer {
    func resumeFix(_ arguments: ResumeFixCommand.Arguments, reply: Responder<RunReport>) async throws(ResponseError) {
        guard let workspaceFolder = folder(for: arguments.uri) else {
            let problem = arguments.uri.map { "\($0) is in no workspace folder" } ?? "no workspace folder is open; open a folder first"
            throw .invalidParams(arguments.path + ".uri", problem)
        }
        let folder = await Self.repositoryFolder(containing: workspaceFolder)
        let journal: String
        if let given = arguments.journal {
            journal = given
        } else if let latest = await ResumePoint.latest(in: FixpointPaths.runJournals, repository: folder.path) {
            journal = latest
        } else {
            throw .invalidParams(arguments.path + ".journal", "no killed run of \(folder.path) to resume (none in \(FixpointPaths.runJournals))")
        }
        let point: ResumePoint
        do { point = try await ResumePoint.load(journal: journal) } catch {
            throw .requestFailed("cannot resume: \(error)")
        }
        guard ResumePoint.samePath(point.repository, folder.path) else {
            throw .invalidParams(arguments.path + ".journal", "the run of \(journal) worked on \(point.repository), not \(folder.path)")
        }
        var plan: FixPlan
        do throws(ConfigError) {
            let folderPath = workspaceFolder.path
            let file = try await runBlocking { () throws(ConfigError) -> ConfigFile in try ConfigFile.read(in: folderPath) }
            // The killed run's test command over the editor's and fixpoint.toml's; only the command's own overrides it.
            var inherited = editorSettings.overlaid(by: file.settings)
            inherited.testCommand = point.testCommand
            // Only single runs checkpoint: a heavy setting of the editor or fixpoint.toml is for new runs.
            if let heavy = inherited.heavy, heavy > 1 { log("resuming \(journal) as a single-trajectory run (heavy = \(heavy) applies to new runs)") }
            inherited.heavy = nil
            let settings = inherited.overlaid(by: arguments.settings)
            plan = try FixPlan(repository: folder.path, issue: point.issue, settings: settings, location: "\(workspaceFolder.path)/\(ConfigFile.name)")
        } catch {
            throw ResponseError(error)
        }
        plan.resume = point
        plan.journalPath = journal
        try launch(plan, folder: folder, issue: point.issue, request: arguments.request, reply: reply)
    }
}
