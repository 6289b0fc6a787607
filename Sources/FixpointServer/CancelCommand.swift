import JSONRPC
import JSONValue
import Runs

/// `fixpoint.cancel {runId?}`: the named run, or every run when none is named.
enum CancelCommand: ServerCommand {
    static let name = "fixpoint.cancel"

    typealias Arguments = OptionalRunArgument

    struct Reply: CommandReply {
        var cancelled: [RunID]
        var json: JSON { ["cancelled": .array(cancelled.map { .string($0.description) })] }
    }

    static func arguments(_ args: Params, request: CommandRequest) throws(ResponseError) -> Arguments {
        try OptionalRunArgument(args)
    }

    static func run(_ arguments: Arguments, on server: isolated FixpointServer, reply: Responder<Reply>) async throws(ResponseError) {
        reply.reply(Reply(cancelled: try server.cancelRuns(arguments.runID, parameter: arguments.path + ".runId")))
    }
}
