import Agent
import Config
import JSONRPC
import JSONValue
import LSP

/// `fixpoint.fixIssue {issue, uri?, testCommand?, maxSteps?, heavy?}`: runs the agent on the repository
/// that holds `uri` (or the first workspace folder) with `$/progress`, and answers with the run's report
/// when it ends (or `RequestCancelled` when it was cancelled).
enum FixIssueCommand: ServerCommand {
    static let name = "fixpoint.fixIssue"

    struct Arguments: Sendable {
        var issue: String
        var uri: DocumentURI?
        /// The settings given with the command (the "fixpoint.fixIssue arguments" layer).
        var settings: Settings
        var args: Params
        var request: CommandRequest
    }

    static func arguments(_ args: Params, request: CommandRequest) throws(ResponseError) -> Arguments {
        let issue = try args.string("issue")
        guard !issue.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidParams(args.path + ".issue", "must describe the issue; it is empty")
        }
        let uri = try args.optionalString("uri").map { DocumentURI($0) }
        let settings: Settings
        do throws(ConfigError) {
            settings = try Settings(object: args.value.objectValue ?? [:], layer: .commandArguments, location: args.path, ignoring: ["issue", "uri"])
        } catch {
            throw ResponseError(error)
        }
        return Arguments(issue: issue, uri: uri, settings: settings, args: args, request: request)
    }

    static func run(_ arguments: Arguments, on server: isolated FixpointServer, reply: Responder<RunReport>) async throws(ResponseError) {
        try await server.startFix(arguments, request: arguments.request, reply: reply)
    }
}

extension RunReport: CommandReply {
    var json: JSON { toJSON() }
}
