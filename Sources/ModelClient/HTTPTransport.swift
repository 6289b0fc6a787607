import Foundation
import Locking

struct HTTPHeader: Sendable, Hashable {
    var name: String  // lowercased
    var value: String
}

enum HTTPEvent: Sendable {
    case head(status: Int, headers: [HTTPHeader])
    case data([UInt8])
    case end(TransferEnd)
}

/// A `CurlConnection` in transit between the pool and the transfer thread that owns it while
/// running. It is never used by two threads at once: the pool hands it out exactly once.
private struct ConnectionHandoff: @unchecked Sendable {
    let connection: CurlConnection
}

/// Keeps a few idle connections (easy+multi pairs) so consecutive requests reuse TCP/TLS sessions.
final class ConnectionPool: Sendable {
    private let idle = Locked<[ConnectionHandoff]>([])
    let capacity: Int

    init(capacity: Int) { self.capacity = max(0, capacity) }

    fileprivate func take() -> ConnectionHandoff? {
        if let reused = idle.withLock({ $0.popLast() }) { return reused }
        return CurlConnection().map(ConnectionHandoff.init)
    }

    fileprivate func giveBack(_ handoff: ConnectionHandoff) {
        idle.withLock { pool in
            if pool.count < capacity { pool.append(handoff) }
        }
    }

    var idleCount: Int { idle.withLock { $0.count } }
}

/// HTTP over libcurl. Each transfer runs on its own thread (blocking libcurl stays off Swift's
/// cooperative pool); its events arrive through an `AsyncStream` as they happen.
final class HTTPTransport: Sendable {
    let pool: ConnectionPool

    init(poolCapacity: Int = 8) { pool = ConnectionPool(capacity: poolCapacity) }

    /// Starts the transfer now. Setting `cancel` (or dropping the stream) aborts it within ~50 ms.
    func start(_ request: HTTPRequest, cancel: CancelFlag) -> AsyncStream<HTTPEvent> {
        let (stream, continuation) = AsyncStream<HTTPEvent>.makeStream(bufferingPolicy: .unbounded)
        continuation.onTermination = { termination in
            if case .cancelled = termination { cancel.cancel() }
        }
        guard let handoff = pool.take() else {
            continuation.yield(.end(.failed(code: -1, message: "curl_easy_init failed")))
            continuation.finish()
            return stream
        }
        let pool = self.pool
        let thread = Thread {
            let sink = TransferSink(
                cancel: cancel,
                onHead: { status, headers in
                    continuation.yield(.head(status: status, headers: headers.map { HTTPHeader(name: $0.0, value: $0.1) }))
                },
                onData: { continuation.yield(.data($0)) })
            let end = handoff.connection.perform(request, sink: sink)
            // A connection whose transfer broke may hold a dead socket; libcurl detects that on
            // reuse, but a cancelled one is simply dropped.
            if end != .cancelled { pool.giveBack(handoff) }
            continuation.yield(.end(end))
            continuation.finish()
        }
        thread.name = "fixpoint-http"
        thread.start()
        return stream
    }

    struct Buffered: Sendable {
        var status: Int
        var headers: [HTTPHeader]
        var body: [UInt8]
        var end: TransferEnd
    }

    /// The whole response in memory (probes, non-streaming requests).
    func fetch(_ request: HTTPRequest) async -> Buffered {
        let cancel = CancelFlag()
        return await withTaskCancellationHandler {
            var result = Buffered(status: 0, headers: [], body: [], end: .cancelled)
            for await event in start(request, cancel: cancel) {
                switch event {
                case .head(let status, let headers):
                    result.status = status
                    result.headers = headers
                case .data(let bytes): result.body += bytes
                case .end(let end): result.end = end
                }
            }
            return result
        } onCancel: {
            cancel.cancel()
        }
    }
}
