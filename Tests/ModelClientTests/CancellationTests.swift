import ModelTestSupport
import Testing
@testable import ModelClient

@Suite struct CancellationTests {
    /// Task cancellation mid-stream aborts the transfer quickly: the call returns `.cancelled` and the
    /// server sees the connection close.
    @Test func cancelMidStreamAbortsWithinAFractionOfASecond() async throws {
        let payloads = ChatScript(content: String(repeating: "token ", count: 200), pieceSize: 6).chunks().map { $0.serialized() }
        let server = try LoopbackServer(replies: [.sse(payloads, chunkSize: 40, pause: 0.05)])
        let c = client(server)
        let log = DeltaLog()
        let task = Task { () async -> ModelError? in await expectError { try await c.complete(request()) { log.append($0) } } }
        // Wait until the answer is streaming.
        let deadline = ContinuousClock.now + .seconds(5)
        while log.all.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(!log.all.isEmpty)
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let error = await task.value
        let returnLatency = ContinuousClock.now - cancelledAt
        #expect(error == .cancelled)
        #expect(returnLatency < .milliseconds(500), "abort took \(returnLatency)")
        // The server notices the closed connection too.
        while server.disconnectTimes.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        let disconnect = try #require(server.disconnectTimes.first)
        #expect(disconnect - cancelledAt < .seconds(1), "server saw the close after \(disconnect - cancelledAt)")
        print("cancellation: call returned after \(returnLatency), server saw close after \(disconnect - cancelledAt)")
    }

    /// Cancelling during a silent prefill (no byte yet) aborts too.
    @Test func cancelDuringSilentPrefill() async throws {
        let server = try LoopbackServer(replies: [.hang])
        let c = client(server) { $0.prefillTimeout = 60 }
        let task = Task { () async -> ModelError? in await expectError { try await c.complete(request()) { _ in } } }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let error = await task.value
        #expect(error == .cancelled)
        #expect(ContinuousClock.now - cancelledAt < .milliseconds(500))
    }

    /// Cancelling during a retry backoff stops the retries.
    @Test func cancelDuringBackoff() async throws {
        let server = try LoopbackServer(replies: [.error(status: 503, message: "busy")])
        let c = client(server) { $0.retryBaseDelay = 5; $0.maxRetryDelay = 5; $0.maxRetries = 3 }
        let task = Task { () async -> ModelError? in await expectError { try await c.complete(request()) { _ in } } }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        #expect(await task.value == .cancelled)
        #expect(server.requests.count == 1)
    }
}
