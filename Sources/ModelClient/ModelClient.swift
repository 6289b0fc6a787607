import Foundation
import JSONValue

/// Chat completions over libcurl against any OpenAI-compatible server (llama-server, vLLM, SGLang,
/// KTransformers, Ollama, hosted APIs). Streams by default, retries transient failures within the
/// endpoint's bounds, recovers tool calls left in text, and reports per-request telemetry.
public final class ModelClient: ChatModel {
    public let endpoint: ModelEndpoint
    /// Tool names accepted when recovering a bare `{"name":…,"arguments":…}` object from text;
    /// `nil` means the names of the request's tools.
    public let knownTools: Set<String>?
    let transport: HTTPTransport

    public init(endpoint: ModelEndpoint, knownTools: Set<String>? = nil) {
        self.endpoint = endpoint
        self.knownTools = knownTools
        transport = HTTPTransport(poolCapacity: endpoint.maxPooledConnections)
    }

    /// Idle connections kept for reuse (for tests and diagnostics).
    public var pooledConnections: Int { transport.pool.idleCount }

    public func complete(_ request: ChatRequest, onDelta: @escaping @Sendable (StreamDelta) -> Void) async throws(ModelError) -> ChatResponse {
        let started = ContinuousClock.now
        var request = request
        if request.model == nil { request.model = endpoint.model }
        let http = HTTPRequest(
            method: "POST", url: endpoint.chatCompletionsURL,
            headers: headers(accept: request.stream ? "text/event-stream" : "application/json"),
            body: request.bodyBytes(),
            connectTimeout: endpoint.connectTimeout, firstByteTimeout: endpoint.prefillTimeout, idleTimeout: endpoint.idleTimeout)
        let known = knownTools ?? Set(request.tools.map(\.name))
        var retries: [String] = []
        var attempt = 0
        while true {
            if Task.isCancelled { throw .cancelled }
            let attemptStart = ContinuousClock.now
            switch await attemptOnce(http, stream: request.stream, onDelta: onDelta) {
            case .success(let outcome):
                var response = finish(outcome, knownTools: known, attemptStart: attemptStart)
                response.telemetry.wallS = seconds(ContinuousClock.now - started)
                response.telemetry.retries = retries
                return response
            case .failure(let error):
                let elapsed = seconds(ContinuousClock.now - started)
                guard error.isTransient else { throw error }
                guard attempt < endpoint.maxRetries else {
                    throw error.noting("gave up after \(attempt + 1) attempts in \(twoDecimals(elapsed))s (maxRetries \(endpoint.maxRetries))")
                }
                let delay = backoff(attempt: attempt, error: error)
                guard elapsed + delay <= endpoint.retryBudget else {
                    throw error.noting("gave up after \(attempt + 1) attempts: waiting \(twoDecimals(delay))s more would exceed retryBudget \(twoDecimals(endpoint.retryBudget))s")
                }
                retries.append("attempt \(attempt + 1) failed after \(twoDecimals(seconds(ContinuousClock.now - attemptStart)))s: \(error); retried after \(twoDecimals(delay))s")
                attempt += 1
                do { try await Task.sleep(for: .seconds(delay)) } catch { throw .cancelled }
            }
        }
    }

    /// The delay before retry number `attempt + 1`: exponential with jitter, at least Retry-After.
    func backoff(attempt: Int, error: ModelError) -> Double {
        let exponential = min(endpoint.maxRetryDelay, endpoint.retryBaseDelay * pow(2, Double(attempt)))
        let jittered = exponential * Double.random(in: 0.5...1.0)
        if case .rateLimited(let after?, _) = error { return max(jittered, after) }
        return jittered
    }

    func headers(accept: String) -> [String] {
        var h = ["Content-Type: application/json", "Accept: \(accept)"]
        if let name = endpoint.apiKeyEnv, let key = ProcessInfo.processInfo.environment[name], !key.isEmpty {
            h.append("Authorization: Bearer \(key)")
        }
        return h
    }

    // MARK: One attempt

    struct Outcome {
        var accumulator: ResponseAccumulator
        var firstToken: ContinuousClock.Instant?
        var ended: ContinuousClock.Instant
    }

    private func attemptOnce(_ http: HTTPRequest, stream: Bool, onDelta: @escaping @Sendable (StreamDelta) -> Void) async -> Result<Outcome, ModelError> {
        let cancel = CancelFlag()
        return await withTaskCancellationHandler {
            await runAttempt(http, stream: stream, cancel: cancel, onDelta: onDelta)
        } onCancel: {
            cancel.cancel()
        }
    }

    private func runAttempt(_ http: HTTPRequest, stream: Bool, cancel: CancelFlag, onDelta: @escaping @Sendable (StreamDelta) -> Void) async -> Result<Outcome, ModelError> {
        var status = 0
        var headers: [HTTPHeader] = []
        var body: [UInt8] = []  // error bodies, non-streamed answers, or a JSON answer to a streamed request
        var bodyIsSSE = false
        var parser = SSEParser()
        var accumulator = ResponseAccumulator()
        var sawDone = false
        var failure: ModelError? = nil
        var firstToken: ContinuousClock.Instant? = nil
        var end: TransferEnd = .completed
        var received = 0

        func handle(_ events: [SSEParser.Event]) {
            for event in events where failure == nil {
                switch event {
                case .done: sawDone = true
                case .data(let payload):
                    guard let chunk = try? JSON.parse(payload) else {
                        failure = .invalidResponse("a stream chunk is not JSON: \(ErrorMapping.snippet(payload, limit: 300))")
                        return
                    }
                    switch accumulator.apply(chunk: chunk) {
                    case .failure(let error): failure = error
                    case .success(let deltas):
                        if !deltas.isEmpty, firstToken == nil { firstToken = .now }
                        deltas.forEach(onDelta)
                    }
                }
            }
        }

        for await event in transport.start(http, cancel: cancel) {
            switch event {
            case .head(let s, let h):
                status = s
                headers = h
                let type = h.first { $0.name == "content-type" }?.value.lowercased() ?? ""
                bodyIsSSE = stream && (200..<300).contains(s) && !type.contains("application/json")
            case .data(let bytes):
                received += bytes.count
                if bodyIsSSE {
                    handle(parser.feed(bytes))
                    if failure != nil { cancel.cancel() }  // the answer is unusable: stop generating
                } else {
                    body += bytes
                }
            case .end(let e): end = e
            }
        }

        if Task.isCancelled || end == .cancelled && failure == nil { return .failure(.cancelled) }
        if let failure { return .failure(failure) }
        if status != 0, !(200..<300).contains(status) {
            return .failure(ErrorMapping.error(status: status, headers: headers, body: body, apiKeyEnv: endpoint.apiKeyEnv))
        }
        if let error = ErrorMapping.error(for: end, url: http.url, receivedBytes: received > 0 || status != 0) {
            if case .streamCut(let m) = error, bodyIsSSE {
                return .failure(.streamCut("\(m) (after \(received) bytes, finish_reason \(accumulator.finishReason ?? "none"))"))
            }
            return .failure(error)
        }
        if bodyIsSSE {
            let discarded = parser.finish()
            if !sawDone, accumulator.finishReason == nil {
                let fragment = discarded > 0 ? " (an unterminated event of \(discarded) bytes was discarded)" : ""
                return .failure(.streamCut("the stream from \(http.url) ended after \(received) bytes without a finish_reason or [DONE]\(fragment)"))
            }
            if !accumulator.sawAnyChunk {
                return .failure(.invalidResponse("the stream from \(http.url) held no chat-completion chunk"))
            }
        } else {
            // A 200 with nothing in it is a dropped answer (a proxy or a restarting server), not a
            // malformed one: worth the same retry as a cut stream.
            if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                return .failure(.streamCut("HTTP \(status) from \(http.url) had an empty body"))
            }
            let json: JSON
            do { json = try JSON.parse(body) } catch {
                return .failure(.invalidResponse("HTTP \(status) from \(http.url) is not JSON (\(error.description)): \(ErrorMapping.snippet(String(decoding: body, as: UTF8.self)))"))
            }
            if let error = accumulator.apply(completion: json) { return .failure(error) }
            let message = accumulator.message()
            if firstToken == nil, !(message.content ?? "").isEmpty || message.reasoning != nil || !message.toolCalls.isEmpty {
                firstToken = .now
            }
        }
        return .success(Outcome(accumulator: accumulator, firstToken: firstToken, ended: .now))
    }

    // MARK: Assembling the answer

    private func finish(_ outcome: Outcome, knownTools: Set<String>, attemptStart: ContinuousClock.Instant) -> ChatResponse {
        var message = outcome.accumulator.message()
        for i in message.toolCalls.indices where message.toolCalls[i].id.isEmpty {
            message.toolCalls[i].id = ToolCallRecovery.generatedID()
        }
        var formatErrors: [String] = []
        var recovered = false
        if message.toolCalls.isEmpty {
            let fromContent = ToolCallRecovery.recover(text: message.content ?? "", knownTools: knownTools, allowBareJSON: true)
            if !fromContent.calls.isEmpty || !fromContent.errors.isEmpty {
                message.toolCalls = fromContent.calls
                message.content = fromContent.remainingText.isEmpty && !fromContent.calls.isEmpty ? nil : fromContent.remainingText
                formatErrors += fromContent.errors
                recovered = !fromContent.calls.isEmpty
            }
        }
        if message.toolCalls.isEmpty, let reasoning = message.reasoning,
           reasoning.contains("<|tool_call_begin|>") || reasoning.contains("<tool_call>") {
            let fromReasoning = ToolCallRecovery.recover(text: reasoning, knownTools: knownTools, allowBareJSON: false)
            message.toolCalls = fromReasoning.calls
            message.reasoning = fromReasoning.remainingText.isEmpty ? nil : fromReasoning.remainingText
            formatErrors += fromReasoning.errors
            recovered = !fromReasoning.calls.isEmpty
            if recovered, message.content == "" { message.content = nil }
        }
        let usage = outcome.accumulator.usage ?? Usage()
        var telemetry = RequestTelemetry(server: outcome.accumulator.serverTimings)
        if let first = outcome.firstToken {
            telemetry.timeToFirstTokenS = seconds(first - attemptStart)
            let generating = seconds(outcome.ended - first)
            if let speed = outcome.accumulator.serverTokensPerSecond {
                telemetry.tokensPerSecond = speed
            } else if generating > 0, usage.completionTokens > 0 {
                telemetry.tokensPerSecond = Double(usage.completionTokens) / generating
            }
        }
        return ChatResponse(message: message, finishReason: outcome.accumulator.finishReason, usage: usage,
                            telemetry: telemetry, formatErrors: formatErrors, recoveredFromText: recovered)
    }
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func twoDecimals(_ s: Double) -> String { String(format: "%.2f", s) }
