import Agent
import Benchmark
import Foundation
import FixpointServer
import HarnessScript
import JSONRPC
import JSONValue
import Runs
import Synchronization

// The language server in process (scripts/bench-lsp.sh; docs/performance.md, "Harness and language
// server"): a client and the real FixpointServer over an in-memory byte pipe, so framing and JSON
// are in the measurement. `swift package --disable-sandbox benchmark --target LSPBenchmarks`.

/// An editor in the same process: answers the server's requests (progress tokens, edits) at once.
final class Editor: Sendable {
    let connection: Connection
    let server: FixpointServer
    let notifications = Counts()

    init() async {
        let (serverSide, clientSide) = InMemoryTransport.pair()
        server = FixpointServer(connection: Connection(transport: serverSide), runner: FixRunners.agent)
        Task { [server] in _ = await server.serve() }
        connection = Connection(transport: clientSide)
        await connection.start()
        Task { [connection, notifications] in
            for await message in connection.incoming {
                switch message {
                case .request(let id, let method, _):
                    connection.reply(to: id, .success(method == "workspace/applyEdit" ? ["applied": false] : .null))
                case .notification(let method, _):
                    notifications.counts.withLock { $0[method, default: 0] += 1 }
                }
            }
        }
    }

    func initialize(root: String, options: JSON) async throws {
        _ = try await connection.request("initialize", [
            "processId": .null, "initializationOptions": options,
            "workspaceFolders": [["uri": .string(URL(fileURLWithPath: root).absoluteString), "name": "root"]],
            "capabilities": ["window": ["workDoneProgress": true], "workspace": ["applyEdit": true]],
        ])
        connection.notify("initialized", [:])
    }

    func count(_ method: String) -> Int { notifications.counts.withLock { $0[method] ?? 0 } }
}

/// Notifications received, by method.
final class Counts: Sendable {
    let counts = Mutex<[String: Int]>([:])
}

func range(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> JSON {
    ["start": ["line": .int(l1), "character": .int(c1)], "end": ["line": .int(l2), "character": .int(c2)]]
}

/// A run in progress: a language server whose agent works through a long scripted run (the model
/// answers after 20 ms, so the harness works through ~30 steps a second, compacting a 32K context as
/// it goes; the loopback server records every request, so an instant one would fill memory), and an
/// open document with a FIXME.
final class BusyServer: Sendable {
    static let steps = 10_000
    let editor: Editor
    let uri: String
    let folder: String

    init() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fixpoint-lsp-bench-\(UUID().uuidString)").path
        try HarnessScript.makeRepository(at: folder)
        let model = try HarnessScript.server(steps: Self.steps, flavor: .fixpoint, contextSize: 32_768, answerDelay: 0.02)
        editor = await Editor()
        try await editor.initialize(root: folder, options: [
            "modelUrl": .string(model.baseURL), "testCommand": .string(HarnessScript.testCommand), "maxSteps": .int(Self.steps),
        ])
        uri = URL(fileURLWithPath: folder + "/calc.py").absoluteString
        editor.connection.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(uri), "languageId": "python", "version": 1, "text": "def add(a, b):  # FIXME: overflow\n    return a + b\n",
        ]])
        Task { [editor] in
            _ = try? await editor.connection.request("workspace/executeCommand", [
                "command": "fixpoint.fixIssue", "arguments": [["issue": .string(HarnessScript.issue), "maxSteps": .int(Self.steps)]],
            ])
        }
        // In progress once the agent has made a few steps.
        let deadline = ContinuousClock.now + .seconds(120)
        while editor.count("fixpoint/step") < 10 {
            guard ContinuousClock.now < deadline else { throw ScriptError("the run did not start within 120 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func codeAction() async throws -> JSON {
        try await editor.connection.request("textDocument/codeAction", [
            "textDocument": ["uri": .string(uri)], "range": range(0, 0, 1, 0), "context": ["diagnostics": []],
        ])
    }
}

let busy = Mutex<BusyServer?>(nil)

let benchmarks: @Sendable () -> Void = {
    Benchmark("lsp: codeAction while a run is in progress", configuration: .init(
        metrics: [.wallClock, .mallocCountTotal], warmupIterations: 10, maxDuration: .seconds(20), maxIterations: 100_000,
        setup: { let server = try await BusyServer(); busy.withLock { $0 = server } }
    )) { benchmark in
        guard let server = busy.withLock({ $0 }) else { throw ScriptError("no server") }
        let actions = try await server.codeAction()
        guard actions.arrayValue?.isEmpty == false else { throw ScriptError("no code action offered: \(actions)") }
    }

    // Small notifications one way through framing, the Connection actor and the JSON parser.
    Benchmark("jsonrpc: 1,000 small notifications", configuration: .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(10), maxIterations: 500
    )) { benchmark in
        let (a, b) = InMemoryTransport.pair()
        let sender = Connection(transport: a)
        let receiver = Connection(transport: b)
        await receiver.start()
        benchmark.startMeasurement()
        for i in 0..<1000 {
            sender.notify("$/progress", ["token": "bench", "value": ["kind": "report", "message": "step", "percentage": .int(i % 100)]])
        }
        var received = 0
        for await _ in receiver.incoming {
            received += 1
            if received == 1000 { break }
        }
        benchmark.stopMeasurement()
        sender.closeOutput()
    }

    // A 1 MB document opened, then a request on it: the time until the server has taken it.
    let big = (0..<14_000).map { "    value_\($0) = compute(\($0))  # a line of about seventy-five bytes\n" }.joined()
    Benchmark("lsp: didOpen of 1 MB, then codeAction", configuration: .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(20), maxIterations: 100,
        setup: {
            let editor = await Editor()
            try await editor.initialize(root: FileManager.default.temporaryDirectory.path, options: [:])
            bigEditor.withLock { $0 = editor }
        }
    )) { benchmark in
        guard let editor = bigEditor.withLock({ $0 }) else { throw ScriptError("no server") }
        let uri = "file:///tmp/fixpoint-bench-big-\(benchmark.currentIteration).py"
        editor.connection.notify("textDocument/didOpen", ["textDocument": ["uri": .string(uri), "languageId": "python", "version": 1, "text": .string(big)]])
        _ = try await editor.connection.request("textDocument/codeAction", [
            "textDocument": ["uri": .string(uri)], "range": range(13_999, 0, 13_999, 10), "context": ["diagnostics": []],
        ])
        editor.connection.notify("textDocument/didClose", ["textDocument": ["uri": .string(uri)]])
    }
}

let bigEditor = Mutex<Editor?>(nil)
