import Agent
import ChildProcess
import Config
import Foundation
import JSONRPC
import JSONValue
import Runs
import Synchronization
import Testing
@testable import ACPServer

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// An ACP client in the same process as a real `ACPServer`, over an in-memory byte pipe with
/// newline-delimited framing (so the framing is exercised too). It records everything the server
/// sends and answers the server's requests with `answer`.
final class ACPTestClient: Sendable {
    let connection: Connection
    let transport: InMemoryTransport
    let serverTask: Task<Int32, Never>
    let runs: RunService
    /// Everything the server sent — notifications, requests and responses — in arrival order. The
    /// connection's one read loop records each message before it dispatches it, so when a request
    /// returns, every notification sent before its response is here already.
    let inbox: Inbox

    init(
        runs: RunService, settings: Settings = ACPTestClient.settings(testCommand: "true"),
        answer: @escaping @Sendable (String, JSON?) -> Result<JSON, ResponseError> = ACPTestClient.allow
    ) async {
        let (serverSide, clientSide) = InMemoryTransport.pair()
        transport = clientSide
        self.runs = runs
        let server = ACPServer(connection: Connection(transport: serverSide, framing: .newlineDelimited), runs: runs, settings: settings)
        serverTask = Task { await server.serve() }
        let inbox = Inbox()
        self.inbox = inbox
        connection = Connection(transport: clientSide, framing: .newlineDelimited, observe: inbox.record)
        await connection.start()
        Task { [connection] in
            for await message in connection.incoming {
                if case .request(let id, let method, let params) = message { connection.reply(to: id, answer(method, params)) }
            }
        }
    }

    /// What `fixpoint acp --test-cmd … --model-url …` would give.
    static func settings(testCommand: String?, modelURL: String? = nil) -> Settings {
        var settings = Settings()
        settings.testCommand = testCommand
        settings.modelURL = modelURL
        return settings
    }

    static let allow: @Sendable (String, JSON?) -> Result<JSON, ResponseError> = { method, _ in
        method == "session/request_permission" ? .success(["outcome": ["outcome": "selected", "optionId": "allow_once"]]) : .success(.null)
    }
    static let reject: @Sendable (String, JSON?) -> Result<JSON, ResponseError> = { method, _ in
        method == "session/request_permission" ? .success(["outcome": ["outcome": "selected", "optionId": "reject_once"]]) : .success(.null)
    }

    func request(_ method: String, _ params: JSON? = nil, timeout: Double = 30) async throws -> JSON {
        try await withThrowingTaskGroup(of: JSON.self) { group in
            group.addTask { try await self.connection.request(method, params) }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                throw TimedOut(what: "the response to \(method)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    func requestError(_ method: String, _ params: JSON? = nil) async throws -> ResponseError {
        do {
            let result = try await request(method, params)
            Issue.record("\(method) succeeded with \(result)")
            return ResponseError(code: 0, message: "")
        } catch let error as ResponseError { return error }
    }

    func notify(_ method: String, _ params: JSON? = nil) { connection.notify(method, params) }

    /// initialize, then session/new in `cwd`; returns the session id.
    func openSession(cwd: String, fs: JSON = ["readTextFile": false, "writeTextFile": false]) async throws -> String {
        _ = try await request("initialize", ["protocolVersion": 1, "clientCapabilities": ["fs": fs]])
        let session = try await request("session/new", ["cwd": .string(cwd), "mcpServers": []])
        return try #require(session["sessionId"]?.stringValue)
    }

    func prompt(_ sessionID: String, _ text: String, timeout: Double = 60) async throws -> JSON {
        try await request("session/prompt", ["sessionId": .string(sessionID), "prompt": [["type": "text", "text": .string(text)]]], timeout: timeout)
    }

    /// Every `session/update`'s `update`, in order.
    var updates: [JSON] {
        inbox.items.withLock { all in
            all.compactMap { message -> JSON? in
                guard case .notification("session/update", let params) = message else { return nil }
                return params?["update"]
            }
        }
    }

    func updates(_ kind: String) -> [JSON] { updates.filter { $0["sessionUpdate"]?.stringValue == kind } }

    /// Requests the server sent, by method.
    func serverRequests(_ method: String) -> [JSON] {
        inbox.items.withLock { all in
            all.compactMap { message -> JSON? in
                guard case .request(_, let m, let params) = message, m == method else { return nil }
                return params ?? .null
            }
        }
    }

    /// The text of every agent_message_chunk, joined.
    var messageText: String { updates("agent_message_chunk").compactMap { $0["content"]?["text"]?.stringValue }.joined() }

    func waitFor(timeout: Double = 10, _ condition: @escaping () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TimedOut(what: "a condition")
    }

    func close() async { transport.close(); _ = await serverTask.value }
}

final class Inbox: Sendable {
    let items = Mutex<[Message]>([])
    func record(_ message: Message) { items.withLock { $0.append(message) } }
}

/// A git repository in a temporary folder, removed at deinit.
final class TempRepository: Sendable {
    let path: String

    init(files: [String: String]) async throws {
        // Resolved, so paths compare equal to what git reports (/tmp may be a link).
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath().path
        path = base + "/fixpoint-acp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try write(name, text) }
        let git = try await ChildProcess.shell("git init -q && git add -A && git -c user.name=t -c user.email=t@e commit -qm base", in: path)
        try #require(git.status == .exited(0))
    }

    func write(_ name: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path + "/" + name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Runners that stand in for the agent.
enum ScriptedRunner {
    /// Emits a tool call and its observation (with a diff), then returns `outcome`.
    static func finishing(with outcome: FixOutcome) -> FixRunner {
        { plan, onEvent in
            let request = plan.request
            var call = AgentEvent(kind: .toolCall, step: 1, maxSteps: request.maxSteps, tool: "edit_file", summary: "edit_file(path=a.txt)")
            call.call = ToolCallDetail(id: "t0-1-c1", arguments: #"{"path":"a.txt","old_text":"a","new_text":"A"}"#)
            call.reply = ModelReply(text: "Editing a.txt.", reasoning: "a.txt has the bug")
            onEvent(call)
            var observation = AgentEvent(kind: .observation, step: 1, maxSteps: request.maxSteps, tool: "edit_file", summary: "edited a.txt")
            observation.call = ToolCallDetail(id: "t0-1-c1", arguments: "{}", output: "edited a.txt", edits: outcome.changes)
            onEvent(observation)
            return outcome
        }
    }

    /// Emits one event, then waits for cancellation.
    static let waitingForCancel: FixRunner = { plan, onEvent in
        onEvent(AgentEvent(kind: .started, step: 0, maxSteps: plan.request.maxSteps, summary: "model ready"))
        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
        return FixOutcome(report: RunReport(status: .noPatch, endReason: .cancelled), changes: [])
    }
}
