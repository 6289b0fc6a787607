import JSONValue

/// A JSON-RPC peer over a byte transport (either `Framing`): decodes incoming frames into requests and notifications,
/// answers what cannot be decoded, and matches responses to the requests this side sent.
///
/// Incoming requests and notifications arrive, in order, on `incoming`; the owner answers requests with
/// `reply`. `observe`, when given, sees every decoded message — responses too — in arrival order. Framing errors and undecodable messages are answered here (-32700 / -32600, id null when
/// no id can be read) and reported through `log`.
public actor Connection {
    public enum Incoming: Sendable, Equatable {
        case request(id: RequestID, method: String, params: JSON?)
        case notification(method: String, params: JSON?)
    }

    public nonisolated let incoming: AsyncStream<Incoming>
    private nonisolated let incomingContinuation: AsyncStream<Incoming>.Continuation
    private nonisolated let transport: any ByteTransport
    private nonisolated let log: @Sendable (String) -> Void
    private nonisolated let framing: Framing
    /// Sees every decoded message on the read loop, in arrival order: for traffic traces, and for test
    /// clients that check what arrived before an answer.
    private nonisolated let observe: (@Sendable (Message) -> Void)?
    private var decoder: MessageDecoder
    /// Requests this side sent and is waiting on, by id.
    private var pending: [RequestID: CheckedContinuation<Result<JSON, ResponseError>, Never>] = [:]
    private var nextOutgoingID = 1
    private var inputEnded = false
    private var readTask: Task<Void, Never>?

    public init(
        transport: any ByteTransport, framing: Framing = .contentLength, maxMessageSize: Int = 64 << 20,
        log: @escaping @Sendable (String) -> Void = { _ in },
        observe: (@Sendable (Message) -> Void)? = nil
    ) {
        self.transport = transport
        self.framing = framing
        self.log = log
        self.observe = observe
        decoder = MessageDecoder(framing, maxMessageSize: maxMessageSize)
        (incoming, incomingContinuation) = AsyncStream.makeStream(of: Incoming.self)
    }

    /// Starts reading. `incoming` finishes when input ends.
    public func start() {
        guard readTask == nil else { return }
        readTask = Task { await self.readLoop() }
    }

    // MARK: Sending

    public nonisolated func notify(_ method: String, _ params: JSON? = nil) {
        send(.notification(method: method, params: params))
    }

    public nonisolated func reply(to id: RequestID, _ result: Result<JSON, ResponseError>) {
        switch result {
        case .success(let value): send(.response(id: id, result: value))
        case .failure(let error): send(.errorResponse(id: id, error: error))
        }
    }

    public nonisolated func send(_ message: Message) {
        transport.write(framing.encode(message.json.serializedBytes()))
    }

    /// Sends a request and waits for its response. Cancelling the calling task sends `$/cancelRequest`
    /// and ends the wait with -32800; end of input ends it with -32603.
    public func request(_ method: String, _ params: JSON? = nil) async throws(ResponseError) -> JSON {
        let id = RequestID.int(nextOutgoingID)
        nextOutgoingID += 1
        if inputEnded { throw ResponseError.internalError("'\(method)' not sent: the connection is closed") }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<JSON, ResponseError>, Never>) in
                pending[id] = continuation
                send(.request(id: id, method: method, params: params))
                if Task.isCancelled { abandon(id, sendCancel: true) }
            }
        } onCancel: {
            Task { await self.abandon(id, sendCancel: true) }
        }
        return try result.get()
    }

    private func abandon(_ id: RequestID, sendCancel: Bool) {
        guard let continuation = pending.removeValue(forKey: id) else { return }
        if sendCancel { notify("$/cancelRequest", ["id": id.json]) }
        continuation.resume(returning: .failure(.cancelled()))
    }

    /// Stops the transport's output.
    public nonisolated func closeOutput() { transport.close() }

    // MARK: Receiving

    private func readLoop() async {
        for await chunk in transport.input {
            decoder.push(chunk)
            while let event = decoder.next() {
                switch event {
                case .frame(let body): receive(body)
                case .error(let error):
                    log("dropped a frame: \(error)")
                    send(.errorResponse(id: nil, error: .parseError(error.description)))
                }
            }
        }
        inputEnded = true
        for (_, continuation) in pending {
            continuation.resume(returning: .failure(.internalError("the client closed the connection before answering")))
        }
        pending = [:]
        incomingContinuation.finish()
    }

    private func receive(_ body: [UInt8]) {
        let decoded = Message.decode(body)
        // Called here, on the one read loop, before the message is dispatched: a response is observed
        // after every message that arrived before it and before the request waiting on it resumes
        // (`incoming` is read by another task, so it gives no such order against responses).
        if let observe, case .success(let message) = decoded { observe(message) }
        switch decoded {
        case .failure(let failure):
            log("undecodable message: \(failure.error.message)")
            send(.errorResponse(id: failure.id, error: failure.error))
        case .success(.request(let id, let method, let params)):
            incomingContinuation.yield(.request(id: id, method: method, params: params))
        case .success(.notification(let method, let params)):
            incomingContinuation.yield(.notification(method: method, params: params))
        case .success(.response(let id, let result)):
            complete(id, .success(result))
        case .success(.errorResponse(let id, let error)):
            guard let id else { log("the client reported an error: \(error)"); return }
            complete(id, .failure(error))
        }
    }

    private func complete(_ id: RequestID, _ result: Result<JSON, ResponseError>) {
        guard let continuation = pending.removeValue(forKey: id) else {
            log("response to unknown request \(id) ignored")
            return
        }
        continuation.resume(returning: result)
    }
}
