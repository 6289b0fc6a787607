import JSONValue
import ModelTestSupport
import Testing
@testable import ModelClient

/// Every error class, through a real HTTP exchange with the loopback fault server.
@Suite struct ErrorMappingTests {
    @Test func llamaCppContextOverflow() async throws {
        let body: JSON = ["error": ["code": 400, "message": "the request exceeds the available context size, try increasing it",
                                    "type": "exceed_context_size_error", "n_prompt_tokens": 5000, "n_ctx": 4096]]
        let server = try LoopbackServer(replies: [.json(body, status: 400)])
        let error = await expectError { try await client(server).complete(request()) { _ in } }
        guard case .contextOverflow(let p, let c, let m)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(p == 5000 && c == 4096)
        #expect(m.contains("exceeds the available context size"))
        #expect(error?.isTransient == false)
        #expect(server.requests.count == 1)
    }

    @Test func vllmContextOverflow() async throws {
        let message = "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens (39000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion."
        let body: JSON = ["object": "error", "message": .string(message), "type": "BadRequestError", "param": nil, "code": 400]
        let server = try LoopbackServer(replies: [.json(body, status: 400)])
        let error = await expectError { try await client(server).complete(request()) { _ in } }
        guard case .contextOverflow(let p, let c, let m)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(c == 32768)
        #expect(p == 39000)
        #expect(m == message)
    }

    @Test(arguments: [
        ("Requested token count exceeds the model's maximum context length of 4096 tokens. You requested a total of 5000 tokens: 4000 tokens from the input messages and 1000 tokens for the completion.", 4000, 4096),
        ("The input (5000 tokens) is longer than the model's context length (4096 tokens).", 5000, 4096),
    ])
    func sglangContextOverflow(message: String, prompt: Int, context: Int) async throws {
        let server = try LoopbackServer(replies: [.error(status: 400, message: message, type: "BadRequestError")])
        let error = await expectError { try await client(server).complete(request()) { _ in } }
        guard case .contextOverflow(let p, let c, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(p == prompt && c == context)
    }

    @Test func rateLimitHonoursRetryAfterThenSucceeds() async throws {
        let server = try LoopbackServer(replies: [
            .error(status: 429, message: "Too many requests, slow down", headers: [("Retry-After", "0.3")]),
            .json(ChatScript(content: "ok").completion()),
        ])
        let r = try await client(server).complete(request(stream: false)) { _ in }
        #expect(r.message.content == "ok")
        // Measured at the server, between its 429 and the retry's arrival (load only makes it longer).
        let answered = try #require(server.answeredAt(0))
        #expect(server.requests.count == 2)
        #expect(server.requests[1].receivedAt - answered >= .milliseconds(300))
        #expect(r.telemetry.retries.count == 1)
        #expect(r.telemetry.retries[0].contains("rate limited"))
        #expect(r.telemetry.retries[0].contains("Too many requests, slow down"))
    }

    @Test func rateLimitedErrorCarriesRetryAfter() async throws {
        let server = try LoopbackServer(replies: [.error(status: 429, message: "quota", headers: [("Retry-After", "120")])])
        let error = await expectError { try await client(server) { $0.retryBudget = 1 }.complete(request()) { _ in } }
        guard case .rateLimited(let after, let m)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(after == 120)
        #expect(m.contains("quota"))
        #expect(m.contains("retryBudget"))
        #expect(server.requests.count == 1)  // waiting 120 s would blow the 1 s budget: no retry
    }

    @Test func requestTimeout408IsRetried() async throws {
        let server = try LoopbackServer(replies: [.error(status: 408, message: "slot timed out"), .json(ChatScript(content: "ok").completion())])
        let r = try await client(server).complete(request()) { _ in }
        #expect(r.telemetry.retries.count == 1 && r.telemetry.retries[0].contains("408"))
    }

    @Test func serverErrorsAreRetriedWithinMaxRetries() async throws {
        let server = try LoopbackServer(replies: [.error(status: 503, message: "Loading model")])
        let error = await expectError { try await client(server) { $0.maxRetries = 3 }.complete(request()) { _ in } }
        guard case .server(let status, let m)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(status == 503)
        #expect(m.contains("Loading model"))
        #expect(m.contains("gave up after 4 attempts"))
        #expect(server.requests.count == 4)
    }

    @Test func retryBudgetBoundsTotalTime() async throws {
        let server = try LoopbackServer(replies: [.error(status: 502, message: "bad gateway")])
        let error = await expectError {
            try await client(server) { $0.maxRetries = 100; $0.retryBaseDelay = 0.1; $0.maxRetryDelay = 0.1; $0.retryBudget = 0.5 }
                .complete(request()) { _ in }
        }
        #expect(error?.description.contains("would exceed retryBudget") == true, "\(String(describing: error))")
        // The budget, not maxRetries (101 attempts), stopped it: at most 0.5 s of 0.05–0.1 s backoffs.
        // On a loaded machine the first attempt alone may use the budget, so one attempt is fine too.
        #expect((1...12).contains(server.requests.count), "\(server.requests.count) attempts")
    }

    @Test func otherClientErrorsAreNotRetried() async throws {
        let server = try LoopbackServer(replies: [.error(status: 400, message: "tools[0].function.name: invalid")])
        let error = await expectError { try await client(server).complete(request()) { _ in } }
        #expect(error == .server(status: 400, message: "tools[0].function.name: invalid"))
        #expect(server.requests.count == 1)
    }

    @Test func unauthorizedNamesTheKeyVariableButNeverTheKey() async throws {
        let server = try LoopbackServer(replies: [.error(status: 401, message: "Invalid Authentication")])
        let error = await expectError { try await client(server) { $0.apiKeyEnv = "PATH" }.complete(request()) { _ in } }
        let text = try #require(error?.description)
        #expect(text.contains("Invalid Authentication"))
        #expect(text.contains("PATH"))
        #expect(!text.contains(ProcessInfo.processInfo.environment["PATH"]!))
    }

    @Test func connectionRefused() async throws {
        var endpoint = ModelEndpoint(baseURL: "http://127.0.0.1:\(LoopbackServer.closedPort())")
        endpoint.maxRetries = 1
        endpoint.retryBaseDelay = 0.01
        let error = await expectError { try await ModelClient(endpoint: endpoint).complete(request()) { _ in } }
        guard case .connection(let m)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(m.contains("127.0.0.1"))
        #expect(m.contains("gave up after 2 attempts"))
    }

    @Test func connectionResetBeforeAnswerIsRetried() async throws {
        let server = try LoopbackServer(replies: [.reset, .json(ChatScript(content: "ok").completion())])
        let r = try await client(server).complete(request(stream: false)) { _ in }
        #expect(r.message.content == "ok")
        #expect(r.telemetry.retries.count == 1)
    }

    @Test func streamCutBeforeFinish() async throws {
        let payloads = ChatScript(content: "a long answer that never ends").chunks().prefix(3).map { $0.serialized() }
        let server = try LoopbackServer(replies: [.sse(Array(payloads), done: false, ending: .cut)])
        let error = await expectError { try await client(server) { $0.maxRetries = 0 }.complete(request()) { _ in } }
        guard case .streamCut(let m)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(m.contains("bytes"))
    }

    @Test func streamCutByResetMidAnswerIsRetriedAndRecovers() async throws {
        let script = ChatScript(content: "complete answer")
        let partial = Array(script.chunks().prefix(2).map { $0.serialized() })
        let server = try LoopbackServer { req, n in
            n == 0 ? .sse(partial, done: false, ending: .reset) : script.reply(to: req)
        }
        let r = try await client(server).complete(request()) { _ in }
        #expect(r.message.content == "complete answer")
        #expect(r.telemetry.retries.count == 1)
        #expect(r.telemetry.retries[0].contains("cut short") || r.telemetry.retries[0].contains("connection"))
    }

    /// A stream cut in the middle of a `data:` line, however the connection ends, is a cut stream
    /// (retried), never "a stream chunk is not JSON" (which is not retried).
    @Test(arguments: ScriptedReply.Cut.allCases)
    func streamCutMidLineIsRetriedAndRecovers(how: ScriptedReply.Cut) async throws {
        let script = ChatScript(content: "complete answer after a cut")
        let payloads = script.chunks().map { $0.serialized() }
        // Two whole events, then half of the third's data line.
        let cutAt = payloads.prefix(2).reduce(0) { $0 + "data: \($1)\n\n".utf8.count } + 6 + payloads[2].utf8.count / 2
        let server = try LoopbackServer { req, n in
            n == 0 ? .sseCut(payloads, after: cutAt, how: how) : script.reply(to: req)
        }
        let r = try await client(server).complete(request()) { _ in }
        #expect(r.message.content == "complete answer after a cut")
        #expect(r.telemetry.retries.count == 1)
        #expect(r.telemetry.retries.first?.contains("cut short") == true, "\(r.telemetry.retries)")
        #expect(r.telemetry.retries.first?.contains("not JSON") == false)
    }

    @Test func emptyAnswerBodyIsRetried() async throws {
        let script = ChatScript(content: "ok")
        let server = try LoopbackServer { req, n in
            switch n {
            case 0: .text("", contentType: "application/json")
            case 1: .text("", contentType: "text/event-stream")
            default: script.reply(to: req)
            }
        }
        let streamed = try await client(server).complete(request()) { _ in }
        #expect(streamed.message.content == "ok")
        #expect(streamed.telemetry.retries.count == 2)
        let server2 = try LoopbackServer { req, n in n == 0 ? .text("\n", contentType: "application/json") : script.reply(to: req) }
        let plain = try await client(server2).complete(request(stream: false)) { _ in }
        #expect(plain.message.content == "ok")
        #expect(plain.telemetry.retries.first?.contains("empty body") == true)
    }

    @Test func streamEndingCleanlyWithoutFinishOrDoneIsCut() async throws {
        let payloads = ChatScript(content: "partial").chunks().prefix(2).map { $0.serialized() }
        let server = try LoopbackServer(replies: [.sse(Array(payloads), done: false)])
        let error = await expectError { try await client(server) { $0.maxRetries = 0 }.complete(request()) { _ in } }
        guard case .streamCut(let m)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(m.contains("without a finish_reason"))
    }

    @Test func nonJSONBody() async throws {
        let server = try LoopbackServer(replies: [.text("<html>502 nginx</html>", contentType: "text/html")])
        let error = await expectError { try await client(server).complete(request(stream: false)) { _ in } }
        guard case .invalidResponse(let m)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(m.contains("<html>502 nginx</html>"))
    }

    @Test func nonJSONErrorBodyIsQuoted() async throws {
        let server = try LoopbackServer(replies: [.text("upstream connect error", status: 502)])
        let error = await expectError { try await client(server) { $0.maxRetries = 0 }.complete(request()) { _ in } }
        guard case .server(let status, let m)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(status == 502)
        #expect(m.hasPrefix("upstream connect error"))
    }

    @Test func okStatusWithErrorObject() async throws {
        let server = try LoopbackServer(replies: [.json(["error": ["message": "model crashed: CUDA OOM", "code": 500]])])
        let error = await expectError { try await client(server) { $0.maxRetries = 0 }.complete(request(stream: false)) { _ in } }
        #expect(error?.description.contains("CUDA OOM") == true)
        if case .server(let status, _)? = error { #expect(status == 500) } else { Issue.record("got \(String(describing: error))") }
    }

    @Test func errorObjectInsideStream() async throws {
        let server = try LoopbackServer(replies: [.sse([
            ChatScript(content: "x").chunks()[0].serialized(),
            "{\"error\":{\"object\":\"error\",\"message\":\"This model's maximum context length is 8192 tokens. However, you requested 9000 tokens (8000 in the messages, 1000 in the completion).\",\"type\":\"BadRequestError\",\"code\":400}}",
        ])])
        let error = await expectError { try await client(server).complete(request()) { _ in } }
        guard case .contextOverflow(let p, let c, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(p == 8000 && c == 8192)
    }

    @Test func slowFirstByteWithinPrefillTimeoutIsFine() async throws {
        var reply = ScriptedReply.json(ChatScript(content: "slow but fine").completion())
        reply.delayBeforeHead = 0.6
        let server = try LoopbackServer(replies: [reply])
        let r = try await client(server) { $0.idleTimeout = 0.2; $0.prefillTimeout = 5 }.complete(request(stream: false)) { _ in }
        #expect(r.message.content == "slow but fine")
    }

    @Test func firstByteTimeout() async throws {
        let server = try LoopbackServer(replies: [.hang])
        // A hang guard: should the timeout never fire, the server ends the exchange after 30 s, and
        // the error is then not a timeout.
        let hangGuard = Task { try await Task.sleep(for: .seconds(30)); server.stop() }
        defer { hangGuard.cancel() }
        let error = await expectError { try await client(server) { $0.prefillTimeout = 0.3; $0.maxRetries = 0 }.complete(request()) { _ in } }
        guard case .timeout(let m)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(m.contains("prefillTimeout"))
        try await waitUntil("the server to see the client leave") { server.replyEnd(0) != nil }
        #expect(server.replyEnd(0) == .clientLeft)
    }

    @Test func idleTimeoutMidStream() async throws {
        let payloads = ChatScript(content: "stalls").chunks().prefix(2).map { $0.serialized() }
        let server = try LoopbackServer(replies: [.sse(Array(payloads), done: false, ending: .hang)])
        let error = await expectError { try await client(server) { $0.idleTimeout = 0.3; $0.maxRetries = 0 }.complete(request()) { _ in } }
        guard case .timeout(let m)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(m.contains("idleTimeout"))
    }

    @Test func garbageStreamChunk() async throws {
        let server = try LoopbackServer(replies: [.sse(["not json at all"])])
        let error = await expectError { try await client(server).complete(request()) { _ in } }
        guard case .invalidResponse(let m)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(m.contains("not json at all"))
    }

    @Test func transientClassification() {
        #expect(ModelError.server(status: 500, message: "").isTransient)
        #expect(ModelError.server(status: 408, message: "").isTransient)
        #expect(!ModelError.server(status: 404, message: "").isTransient)
        #expect(ModelError.streamCut("").isTransient)
        #expect(!ModelError.cancelled.isTransient)
        #expect(!ModelError.contextOverflow(promptTokens: nil, contextSize: nil, message: "").isTransient)
    }

    @Test func retryAfterHTTPDate() {
        let past = ErrorMapping.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT")
        #expect(past == 0)
        #expect(ErrorMapping.retryAfterSeconds("7") == 7)
        #expect(ErrorMapping.retryAfterSeconds("soon") == nil)
    }
}

import Foundation
