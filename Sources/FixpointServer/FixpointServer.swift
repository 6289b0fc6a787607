import Agent
import Config
import Foundation
import JSONRPC
import JSONValue
import LSP
import Runs

/// The Fixpoint language server: one per connection.
///
/// Messages are handled in arrival order on this actor (document changes, configuration and lifecycle
/// must not race); agent runs go to their own tasks so other requests are answered while a run goes on.
public actor FixpointServer {
    /// The commands it advertises (`executeCommandProvider.commands`), from the command registry.
    public static var commands: [String] { ServerCommands.names }

    nonisolated let connection: Connection
    /// Starts, cancels and applies runs; the server keeps only what LSP adds to a run, below.
    nonisolated let runs: RunService
    nonisolated let log: @Sendable (String) -> Void

    var lifecycle = Lifecycle.waitingForInitialize
    var capabilities = ClientCapabilities()
    /// What an editor integration asked for in `initializationOptions` (EditorIntegration.swift).
    var integration = EditorIntegration()
    var folders: [WorkspaceFolder] = []
    /// `initializationOptions` overlaid with every `workspace/didChangeConfiguration` since.
    var editorSettings = Settings()
    var documents = DocumentStore()
    /// The editor's state when each run started, for runs in progress or kept by the run service.
    var runStarts: [RunID: RunStartState] = [:]
    /// Which run answers which `workspace/executeCommand` request, for `$/cancelRequest`.
    var runByRequest: [RequestID: RunID] = [:]
    /// Each run's `$/progress` token, once known (the client's, or one the server created).
    var progressTokens: [RunID: JSON] = [:]
    /// The task that answers each run's `fixpoint.fixIssue` request, until the run has ended.
    var runTasks: [RunID: Task<Void, Never>] = [:]

    public init(connection: Connection, runner: @escaping FixRunner = FixRunners.agent, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.init(connection: connection, runs: RunService(runner: runner), log: log)
    }

    public init(connection: Connection, runs: RunService, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.connection = connection
        self.runs = runs
        self.log = log
    }

    /// Serves until `exit` or end of input and returns the process exit code: 0 after `shutdown`, else 1.
    /// Every run still going is cancelled and awaited before this returns.
    public func serve() async -> Int32 {
        await connection.start()
        for await message in connection.incoming {
            switch message {
            case .request(let id, let method, let params):
                await handleRequest(id: id, method: method, params: params)
            case .notification("exit", _):
                return await stop()
            case .notification(let method, let params):
                handleNotification(method: method, params: params)
            }
        }
        log("end of input: stopping")
        return await stop()
    }

    private func stop() async -> Int32 {
        let code = lifecycle.exitCode
        let tasks = Array(runTasks.values)
        runs.cancelAll()
        for task in tasks { await task.value }
        await runs.stop()  // also removes the bases kept for fixpoint.applyFix
        return code
    }

    // MARK: Dispatch

    /// Awaited by `serve` before the next message, so messages are still handled in arrival order.
    private func handleRequest(id: RequestID, method: String, params: JSON?) async {
        if let refusal = lifecycle.refusal(ofRequest: method) {
            connection.reply(to: id, .failure(refusal))
            return
        }
        switch method {
        case "initialize": answer(id) { () throws(ResponseError) in try initialize(params) }
        case "shutdown":
            lifecycle = .shutDown
            runs.cancelAll()
            connection.reply(to: id, .success(.null))
        case "textDocument/codeAction": answer(id) { () throws(ResponseError) in try codeActions(params) }
        case "workspace/executeCommand": await executeCommand(id: id, params: params)
        default: connection.reply(to: id, .failure(.methodNotFound(method)))
        }
    }

    func answer(_ id: RequestID, _ body: () throws(ResponseError) -> JSON) {
        do throws(ResponseError) { connection.reply(to: id, .success(try body())) } catch {
            connection.reply(to: id, .failure(error))
        }
    }

    private func handleNotification(method: String, params: JSON?) {
        guard lifecycle.accepts(notification: method) else {
            log("'\(method)' dropped: the server is \(lifecycle == .shutDown ? "shut down" : "not initialized")")
            return
        }
        do throws(ResponseError) {
            switch method {
            case "initialized": break
            case "textDocument/didOpen": try documents.open(params)
            case "textDocument/didChange": try documents.change(params)
            case "textDocument/didClose": try documents.close(params)
            case "workspace/didChangeConfiguration":
                editorSettings = editorSettings.overlaid(by: try readEditorSettings(Params(params).optional("settings"), at: "params.settings"))
            case "workspace/didChangeWorkspaceFolders": try changeFolders(params)
            case "$/cancelRequest": cancelRequest(params)
            case "window/workDoneProgress/cancel": cancelProgress(params)
            default:
                // `$/` notifications are optional by protocol; anything else unknown is worth a log line.
                if !method.hasPrefix("$/") { log("unhandled notification '\(method)'") }
            }
        } catch {
            // Notifications cannot be answered: tell the user, who can act on it.
            log("'\(method)' ignored: \(error.message)")
            connection.notify("window/logMessage", ["type": 1, "message": .string("Fixpoint ignored '\(method)': \(error.message)")])
        }
    }

    // MARK: Lifecycle

    private func initialize(_ params: JSON?) throws(ResponseError) -> JSON {
        let p = Params(params, path: "params")
        editorSettings = try readEditorSettings(p.optional("initializationOptions"), at: "params.initializationOptions")
        capabilities = ClientCapabilities(p.optional("capabilities"))
        integration = try EditorIntegration(initializationOptions: p.optional("initializationOptions"))
        if let list = p.optional("workspaceFolders")?.arrayValue {
            folders = []
            for (index, item) in list.enumerated() { folders.append(try Self.folder(p.nested("workspaceFolders[\(index)]", item))) }
        } else if let uri = try Self.rootURI(p) {
            if let path = uri.path { folders = [WorkspaceFolder(uri: uri, name: (path as NSString).lastPathComponent, path: path)] }
        }
        lifecycle = .running
        return [
            "serverInfo": ["name": "fixpoint", "version": .string(FixpointVersion.string)],
            "capabilities": [
                "positionEncoding": "utf-16",
                "textDocumentSync": ["openClose": true, "change": 2],
                "codeActionProvider": ["codeActionKinds": ["quickfix"], "resolveProvider": false],
                "executeCommandProvider": ["commands": .array(Self.commands.map(JSON.string))],
                "workspace": ["workspaceFolders": ["supported": true, "changeNotifications": true]],
            ],
        ]
    }

    /// `rootUri`, or the older `rootPath`, for clients without workspace folders.
    static func rootURI(_ p: Params) throws(ResponseError) -> DocumentURI? {
        if let root = try p.optionalString("rootUri") { return DocumentURI(root) }
        if let path = try p.optionalString("rootPath") { return DocumentURI(path: path) }
        return nil
    }

    static func folder(_ p: Params) throws(ResponseError) -> WorkspaceFolder {
        let uri = try p.uri("uri")
        guard let path = uri.path else { throw .invalidParams(p.path + ".uri", "only file: folders are supported, got \(uri)") }
        return WorkspaceFolder(uri: uri, name: try p.optionalString("name") ?? (path as NSString).lastPathComponent, path: path)
    }

    private func changeFolders(_ params: JSON?) throws(ResponseError) {
        let p = Params(params, path: "params")
        for (index, item) in (p.optional("event.removed")?.arrayValue ?? []).enumerated() {
            let removed = try Self.folder(p.nested("event.removed[\(index)]", item))
            folders.removeAll { $0.uri == removed.uri }
        }
        for (index, item) in (p.optional("event.added")?.arrayValue ?? []).enumerated() {
            folders.append(try Self.folder(p.nested("event.added[\(index)]", item)))
        }
    }

    /// The folder that holds `uri` (the innermost one), or the first folder when `uri` is nil.
    func folder(for uri: DocumentURI?) -> WorkspaceFolder? {
        guard let uri else { return folders.first }
        return folders.filter { $0.relativePath(of: uri) != nil }.max { $0.path.count < $1.path.count }
    }

    private func readEditorSettings(_ json: JSON?, at location: String) throws(ResponseError) -> Settings {
        do throws(ConfigError) { return try Settings(editorSettings: json, location: location) } catch { throw ResponseError(error) }
    }
}
