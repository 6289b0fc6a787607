import Locking

/// One end of an in-process byte pipe, for tests: what one end writes, the other end reads.
public final class InMemoryTransport: ByteTransport {
    public let input: AsyncStream<[UInt8]>
    private let inputContinuation: AsyncStream<[UInt8]>.Continuation
    /// The peer's input; nil once closed.
    private let peer = Locked<AsyncStream<[UInt8]>.Continuation?>(nil)

    private init() {
        (input, inputContinuation) = AsyncStream.makeStream(of: [UInt8].self)
    }

    /// Two connected ends.
    public static func pair() -> (InMemoryTransport, InMemoryTransport) {
        let a = InMemoryTransport(), b = InMemoryTransport()
        a.peer.withLock { $0 = b.inputContinuation }
        b.peer.withLock { $0 = a.inputContinuation }
        return (a, b)
    }

    public func write(_ bytes: [UInt8]) {
        _ = peer.withLock { $0?.yield(bytes) }
    }

    /// Ends the peer's input, as a client closing stdin would.
    public func close() {
        let continuation = peer.withLock { peer in defer { peer = nil }; return peer }
        continuation?.finish()
    }
}
