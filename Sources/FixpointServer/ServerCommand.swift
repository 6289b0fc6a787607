import JSONRPC
import JSONValue

/// One `workspace/executeCommand` command: its name, its typed arguments (read from `arguments[0]`)
/// and its typed reply. The registry (`ServerCommands.all`) dispatches by name and produces the
/// advertised `executeCommandProvider.commands`.
///
/// Adding a command: its file (a type conforming to this), one line in `ServerCommands.all`, a test,
/// and its row in docs/protocol.md.
protocol ServerCommand {
    static var name: String { get }
    associatedtype Arguments: Sendable
    associatedtype Reply: CommandReply
    /// Reads and checks the arguments; a bad one is -32602 naming it.
    static func arguments(_ args: Params, request: CommandRequest) throws(ResponseError) -> Arguments
    /// Runs on the server actor and answers through `reply`, now or later (a run answers when it ends).
    static func run(_ arguments: Arguments, on server: isolated FixpointServer, reply: Responder<Reply>) async throws(ResponseError)
}

/// What every command sees of its request besides the arguments.
struct CommandRequest: Sendable {
    var id: RequestID
    var workDoneToken: JSON?
}

/// A command's result as it goes on the wire.
protocol CommandReply: Sendable {
    var json: JSON { get }
}

/// Answers one command request exactly once, with the command's own reply type.
struct Responder<Reply: CommandReply>: Sendable {
    let connection: Connection
    let id: RequestID

    func reply(_ value: Reply) { connection.reply(to: id, .success(value.json)) }
    func fail(_ error: ResponseError) { connection.reply(to: id, .failure(error)) }
}

/// `{runId?}`: the argument of commands that act on one run or on the latest/all.
struct OptionalRunArgument: Sendable {
    var runID: String?
    /// Where the argument object sits in the request, for errors.
    var path: String

    init(_ args: Params) throws(ResponseError) {
        runID = try args.optionalString("runId"); path = args.path
    }
}

enum ServerCommands {
    /// Every command the server offers, in the order it advertises them.
    static var all: [any ServerCommand.Type] {
        [
            FixIssueCommand.self,
            CancelCommand.self,
            ApplyFixCommand.self,
            ProposedDiffCommand.self,
            ResumeFixCommand.self,
        ]
    }

    static var names: [String] { all.map { $0.name } }

    static func named(_ name: String) -> (any ServerCommand.Type)? { all.first { $0.name == name } }
}

extension ServerCommand {
    /// Reads the arguments and runs the command; an error before it answers is sent as the reply.
    static func execute(_ args: Params, request: CommandRequest, on server: isolated FixpointServer) async {
        let responder = Responder<Reply>(connection: server.connection, id: request.id)
        do throws(ResponseError) {
            try await run(arguments(args, request: request), on: server, reply: responder)
        } catch {
            responder.fail(error)
        }
    }
}
