/// Moves raw bytes between the two ends of a connection. `Connection` does the framing on top.
public protocol ByteTransport: Sendable {
    /// Chunks as they arrive; finishes at end of input.
    var input: AsyncStream<[UInt8]> { get }
    /// Queues bytes for the peer, in call order. Never blocks on I/O.
    func write(_ bytes: [UInt8])
    /// Stops writing; the peer sees end of input (in memory) or the output is closed (stdio).
    func close()
}
