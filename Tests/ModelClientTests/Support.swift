import JSONValue
import ModelClient
import ModelTestSupport

/// A client for a loopback server with fast retries, so fault tests take milliseconds.
func client(_ server: LoopbackServer, knownTools: Set<String>? = nil, _ tweak: (inout ModelEndpoint) -> Void = { _ in }) -> ModelClient {
    var endpoint = ModelEndpoint(baseURL: server.baseURL + "/v1", model: "test-model")
    endpoint.retryBaseDelay = 0.01
    endpoint.maxRetryDelay = 0.05
    endpoint.connectTimeout = 2
    endpoint.prefillTimeout = 5
    endpoint.idleTimeout = 5
    tweak(&endpoint)
    return ModelClient(endpoint: endpoint, knownTools: knownTools)
}

let readFileTool = ToolDefinition(
    name: "read_file", description: "Read a file",
    parameters: ["type": "object", "properties": ["path": ["type": "string"]], "required": ["path"]])
let submitTool = ToolDefinition(
    name: "submit", description: "Submit", parameters: ["type": "object", "properties": ["summary": ["type": "string"]]])

func request(_ text: String = "Fix the bug", stream: Bool = true, tools: [ToolDefinition] = [readFileTool, submitTool]) -> ChatRequest {
    var r = ChatRequest(messages: [.system("You are a coding agent."), .user(text)], tools: tools)
    r.stream = stream
    return r
}

/// Collects stream deltas from the client's callback thread.
final class DeltaLog: Sendable {
    private let items = Mutex<[StreamDelta]>([])
    func append(_ d: StreamDelta) { items.withLock { $0.append(d) } }
    var all: [StreamDelta] { items.withLock { $0 } }
    var text: String {
        all.compactMap { if case .content(let s) = $0 { return s }; return nil }.joined()
    }
}

import Synchronization
import Testing

/// Runs `body` expecting a ModelError; returns it (nil when it unexpectedly succeeded).
func expectError(_ body: () async throws -> ChatResponse) async -> ModelError? {
    do {
        _ = try await body()
        return nil
    } catch let error as ModelError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Polls `condition` until it holds. `timeout` is a hang guard, not a latency check: on a loaded
/// machine what takes milliseconds alone can take seconds.
func waitUntil(_ what: String, timeout: Double = 30, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(timeout)
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(5))
    }
}
