import ModelTestSupport
import Testing
@testable import ModelClient

/// Cancelling the calling task aborts the HTTP transfer. Each test asserts what happened, in order —
/// the call ended `.cancelled` and the server saw the client leave before its reply was over — not how
/// many milliseconds it took: on a loaded machine that measures the scheduler.
@Suite struct CancellationTests {
    /// Mid-stream: the reply would take ~45 s to play (900 chunks, 50 ms apart); the server sees the
    /// client close the connection in the middle of it.
    @Test func cancelMidStreamAbortsTheTransfer() async throws {
        let payloads = ChatScript(content: String(repeating: "token ", count: 200), pieceSize: 6).chunks().map { $0.serialized() }
        let server = try LoopbackServer(replies: [.sse(payloads, chunkSize: 40, pause: 0.05)])
        defer { server.stop() }
        let c = client(server)
        let log = DeltaLog()
        let task = Task { () async -> ModelError? in await expectError { try await c.complete(request()) { log.append($0) } } }
        try await waitUntil("the answer to stream") { !log.all.isEmpty }
        task.cancel()
        #expect(await task.value == .cancelled)
        try await waitUntil("the server to finish the exchange") { server.replyEnd(0) != nil }
        #expect(server.replyEnd(0) == .clientLeft, "the transfer was drained, not aborted")
        #expect(server.requests.count == 1)
    }

    /// During a silent prefill (no byte yet; the prefill timeout is a minute away) cancelling aborts too.
    @Test func cancelDuringSilentPrefill() async throws {
        let server = try LoopbackServer(replies: [.hang])
        defer { server.stop() }
        let c = client(server) { $0.prefillTimeout = 60 }
        let task = Task { () async -> ModelError? in await expectError { try await c.complete(request()) { _ in } } }
        try await waitUntil("the request to arrive") { !server.requests.isEmpty }
        let cancelledAt = ContinuousClock.now
        task.cancel()
        #expect(await task.value == .cancelled)
        try await waitUntil("the server to see the client leave") { server.replyEnd(0) != nil }
        #expect(server.replyEnd(0) == .clientLeft)
        // A hang guard, half the prefill timeout: had the cancel not aborted it, the timeout would have.
        let left = try #require(server.answeredAt(0))
        #expect(left - cancelledAt < .seconds(30), "the client left \(left - cancelledAt) after the cancel")
    }

    /// Cancelling during a retry backoff stops the retries.
    @Test func cancelDuringBackoff() async throws {
        let server = try LoopbackServer(replies: [.error(status: 503, message: "busy")])
        defer { server.stop() }
        let c = client(server) { $0.retryBaseDelay = 5; $0.maxRetryDelay = 5; $0.maxRetries = 3 }
        let task = Task { () async -> ModelError? in await expectError { try await c.complete(request()) { _ in } } }
        try await waitUntil("the first answer to be sent") { server.replyEnd(0) != nil }
        task.cancel()
        #expect(await task.value == .cancelled)
        #expect(server.requests.count == 1)
    }
}
