import Agent
import Config
import Foundation
import JSONRPC
import JSONValue
import Runs

/// Fixpoint as an Agent Client Protocol agent (ACP v1): one per connection, over the same run service
/// as the language server. Only this module knows ACP; it knows nothing of LSP.
///
/// Messages are handled in arrival order on this actor; a prompt turn goes on in its own task, so
/// `session/cancel` and other requests are answered while it runs.
public actor ACPServer {
    public static let protocolVersion = 1

    nonisolated let connection: Connection
    nonisolated let runs: RunService
    /// Settings given when the agent was started (`fixpoint acp --test-cmd …`); each prompt overlays
    /// them on the repository's `fixpoint.toml`, as `fixpoint fix` does.
    nonisolated let settings: Settings
    nonisolated let log: @Sendable (String) -> Void

    var client = ClientFileSystem()
    var sessions: [String: ACPSession] = [:]
    var nextSession = 1

    public init(connection: Connection, runs: RunService, settings: Settings = Settings(), log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.connection = connection
        self.runs = runs
        self.settings = settings
        self.log = log
    }

    /// Serves until end of input; every turn still going is cancelled and awaited first. Returns 0.
    public func serve() async -> Int32 {
        await connection.start()
        for await message in connection.incoming {
            switch message {
            case .request(let id, let method, let params): await handleRequest(id: id, method: method, params: params)
            case .notification(let method, let params): handleNotification(method: method, params: params)
            }
        }
        log("end of input: stopping")
        let turns = sessions.values.compactMap { $0.turn?.task }
        runs.cancelAll()
        for turn in turns { await turn.value }
        await runs.stop()  // removes the snapshots kept for a later apply
        return 0
    }

    // MARK: Dispatch

    /// Awaited before the next message, so messages are still handled in arrival order.
    private func handleRequest(id: RequestID, method: String, params: JSON?) async {
        let p = Params(params, path: "params")
        do throws(ResponseError) {
            switch method {
            case "initialize": connection.reply(to: id, .success(initialize(p)))
            case "authenticate": connection.reply(to: id, .success([:]))  // nothing to authenticate
            case "session/new": connection.reply(to: id, .success(try await newSession(p)))
            case "session/set_mode": connection.reply(to: id, .success(try setMode(p)))
            case "session/prompt": try startPrompt(id: id, p)
            default: throw .methodNotFound(method)
            }
        } catch {
            connection.reply(to: id, .failure(error))
        }
    }

    private func handleNotification(method: String, params: JSON?) {
        switch method {
        case "session/cancel":
            guard let sessionID = params?["sessionId"]?.stringValue, sessions[sessionID] != nil else {
                log("session/cancel for an unknown session ignored: \(params?.serialized() ?? "no params")")
                return
            }
            cancelTurn(in: sessionID)
        default:
            if !method.hasPrefix("$/") { log("unhandled notification '\(method)'") }
        }
    }

    // MARK: initialize, session/new, session/set_mode

    private func initialize(_ p: Params) -> JSON {
        let fs = p.optional("clientCapabilities.fs")
        client = ClientFileSystem(readTextFile: fs?["readTextFile"]?.boolValue == true, writeTextFile: fs?["writeTextFile"]?.boolValue == true)
        return [
            // The only version there is; a client asking for another one decides whether to go on.
            "protocolVersion": .int(Self.protocolVersion),
            "agentCapabilities": [
                "loadSession": false,
                // Embedded resources carry the text the user sees (unsaved buffers): the run uses it.
                "promptCapabilities": ["image": false, "audio": false, "embeddedContext": true],
                "mcpCapabilities": ["http": false, "sse": false],
            ],
            "authMethods": [],
            "agentInfo": ["name": "fixpoint", "title": "Fixpoint", "version": .string(FixpointVersion.string)],
        ]
    }

    private func newSession(_ p: Params) async throws(ResponseError) -> JSON {
        let cwd = try p.string("cwd")
        var isDirectory: ObjCBool = false
        guard cwd.hasPrefix("/") else { throw .invalidParams("params.cwd", "must be an absolute path, got '\(cwd)'") }
        guard FileManager.default.fileExists(atPath: cwd, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .invalidParams("params.cwd", "\(cwd) is not a folder")
        }
        let servers = p.optional("mcpServers")?.arrayValue ?? []
        let id = "session-\(nextSession)"
        nextSession += 1
        let repository = await RunService.repositoryRoot(containing: cwd)
        sessions[id] = ACPSession(id: id, cwd: cwd, repository: repository)
        var result: [String: JSON] = ["sessionId": .string(id), "modes": SessionMode.state(current: .ask)]
        if !servers.isEmpty {
            // Fixpoint's agent works with its own confined tools only; say so rather than pretend.
            let note = "Fixpoint ignores the \(servers.count) MCP server(s) given: its agent uses only its own tools, confined to the repository"
            log("\(id): \(note)")
            result["_meta"] = ["fixpoint": ["mcpServers": .string(note)]]
        }
        log("\(id): repository \(repository)")
        return .object(result)
    }

    private func setMode(_ p: Params) throws(ResponseError) -> JSON {
        let sessionID = try knownSession(p)
        let modeID = try p.string("modeId")
        guard let mode = SessionMode(rawValue: modeID) else {
            throw .invalidParams("params.modeId", "unknown mode '\(modeID)' (modes: \(SessionMode.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        sessions[sessionID]?.mode = mode
        return [:]
    }

    func knownSession(_ p: Params) throws(ResponseError) -> String {
        let sessionID = try p.string("sessionId")
        guard sessions[sessionID] != nil else {
            let known = sessions.keys.sorted()
            throw .invalidParams("params.sessionId", "no session '\(sessionID)' (sessions: \(known.isEmpty ? "none; create one with session/new" : known.joined(separator: ", ")))")
        }
        return sessionID
    }
}
