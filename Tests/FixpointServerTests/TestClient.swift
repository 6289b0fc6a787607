import Agent
import Foundation
import JSONRPC
import JSONValue
import Synchronization
import Testing
@testable import FixpointServer
import Runs

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// An LSP client in the same process as a real `FixpointServer`, connected by an in-memory byte pipe
/// (so framing is exercised too). It records everything the server sends and answers server requests
/// with `answer`.
final class TestClient: Sendable {
    let connection: Connection
    let transport: InMemoryTransport
    let server: FixpointServer
    let serverTask: Task<Int32, Never>
    /// Everything the server sent — notifications, requests and responses — in arrival order. The
    /// connection's one read loop records each message before it dispatches it, so requests are
    /// recorded before they are answered, and when a request returns, every notification sent before
    /// its response is here already.
    let inbox: Inbox
    let answer: @Sendable (String, JSON?) -> Result<JSON, ResponseError>

    init(
        runner: @escaping FixRunner = ScriptedRunner.finishing(with: .init(report: .init(status: .noPatch, endReason: .submitted), changes: [])),
        answer: @escaping @Sendable (String, JSON?) -> Result<JSON, ResponseError> = { _, _ in .success(.null) }
    ) async {
        let (serverSide, clientSide) = InMemoryTransport.pair()
        transport = clientSide
        self.answer = answer
        let server = FixpointServer(connection: Connection(transport: serverSide), runner: runner)
        self.server = server
        serverTask = Task { await server.serve() }
        let inbox = Inbox()
        self.inbox = inbox
        connection = Connection(transport: clientSide, observe: inbox.record)
        await connection.start()
        Task { [connection, answer] in
            for await message in connection.incoming {
                if case .request(let id, let method, let params) = message { connection.reply(to: id, answer(method, params)) }
            }
        }
    }

    /// A request with a timeout, so a server that never answers fails the test instead of hanging it
    /// (30 s: a guard against hangs, not a latency check; a parallel run on 2 cores can take 10 s).
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

    /// The error a request is answered with (fails the test when it succeeds).
    func requestError(_ method: String, _ params: JSON? = nil) async throws -> ResponseError {
        do {
            let result = try await request(method, params)
            Issue.record("\(method) succeeded with \(result)")
            return ResponseError(code: 0, message: "")
        } catch let error as ResponseError { return error }
    }

    func notify(_ method: String, _ params: JSON? = nil) { connection.notify(method, params) }

    @discardableResult
    func initialize(rootPath: String? = nil, capabilities: JSON = TestClient.fullCapabilities, options: JSON? = nil) async throws -> JSON {
        var params: [String: JSON] = ["processId": .null, "capabilities": capabilities]
        if let rootPath { params["workspaceFolders"] = [["uri": .string(URL(fileURLWithPath: rootPath).absoluteString), "name": "root"]] }
        if let options { params["initializationOptions"] = options }
        let result = try await request("initialize", .object(params))
        notify("initialized", [:])
        return result
    }

    static let fullCapabilities: JSON = [
        "workspace": [
            "applyEdit": true,
            "workspaceEdit": ["documentChanges": true, "resourceOperations": ["create", "rename", "delete"], "changeAnnotationSupport": ["groupsOnLabel": true]],
        ],
        "window": ["workDoneProgress": true, "showDocument": ["support": true]],
    ]

    /// Server messages recorded so far that match.
    func messages(_ method: String) -> [JSON] {
        inbox.items.withLock { all in
            all.compactMap {
                switch $0 {
                // Not a bare `nil`: JSON is ExpressibleByNilLiteral, so that would be `.null`.
                case .request(_, let m, let params), .notification(let m, let params): m == method ? params ?? .null : Optional<JSON>.none
                case .response, .errorResponse: Optional<JSON>.none
                }
            }
        }
    }

    /// Waits until a server message with `method` matching `predicate` has arrived, and returns its params.
    @discardableResult
    func waitFor(_ method: String, timeout: Double = 30, where predicate: @escaping (JSON) -> Bool = { _ in true }) async throws -> JSON {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if let found = messages(method).first(where: predicate) { return found }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TimedOut(what: method)
    }

    /// Ends the client's output: the server sees end of input.
    func closeInput() { transport.close() }

    /// Ends the session as an editor going away does and waits for the server to stop, so the bases it
    /// kept for `fixpoint.applyFix` are removed before the test returns.
    func finish() async -> Int32 {
        closeInput()
        return await serverTask.value
    }

    func serverExitCode(timeout: Double = 30) async throws -> Int32 {
        try await withThrowingTaskGroup(of: Int32.self) { group in
            group.addTask { await self.serverTask.value }
            group.addTask { try await Task.sleep(for: .seconds(timeout)); throw TimedOut(what: "the server to stop") }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}

/// Runners that stand in for the agent: they emit events and return a fixed outcome.
enum ScriptedRunner {
    static func finishing(with outcome: FixOutcome, steps: Int = 2, record: Recorder? = nil) -> FixRunner {
        { plan, onEvent in
            let request = plan.request
            record?.calls.withLock { $0.append((request, plan.model)) }
            for step in 1...steps {
                onEvent(AgentEvent(kind: .toolCall, step: step, maxSteps: request.maxSteps, tool: "read_file", summary: "read a.txt", promptTokens: 100, completionTokens: 20, cacheHitRate: 0.5))
            }
            return outcome
        }
    }

    /// Emits one event, then waits for `gate` to open (or the task to be cancelled) before finishing.
    static func gated(_ gate: Gate, outcome: FixOutcome) -> FixRunner {
        { plan, onEvent in
            onEvent(AgentEvent(kind: .started, step: 1, maxSteps: plan.request.maxSteps, summary: "working"))
            while !gate.isOpen, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
            if Task.isCancelled { return FixOutcome(report: RunReport(status: .noPatch, endReason: .cancelled), changes: []) }
            return outcome
        }
    }
}

final class Inbox: Sendable {
    let items = Mutex<[Message]>([])
    func record(_ message: Message) { items.withLock { $0.append(message) } }
}

/// The requests a scripted runner was given.
final class Recorder: Sendable {
    let calls = Mutex<[(FixRequest, ModelSelection)]>([])
    var requests: [FixRequest] { calls.withLock { $0.map(\.0) } }
    var models: [ModelSelection] { calls.withLock { $0.map(\.1) } }
}

final class Gate: Sendable {
    private let state = Mutex(false)
    var isOpen: Bool { state.withLock { $0 } }
    func open() { state.withLock { $0 = true } }
}

/// A temporary workspace folder, removed at deinit.
final class TempFolder: Sendable {
    let path: String
    init(files: [String: String] = [:]) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("fixpoint-lsp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try write(name, text) }
    }
    func write(_ name: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
    func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }
    func uri(_ name: String) -> String { DocumentURIString.of(path + "/" + name) }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

enum DocumentURIString {
    static func of(_ path: String) -> String { URL(fileURLWithPath: path).absoluteString }
}
