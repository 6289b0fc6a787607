import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one file descriptor and writes another, each on its own thread, so blocking `read(2)` and a
/// slow reader on the other end never hold one of Swift's cooperative threads.
/// `@unchecked Sendable`: `queue` and `closed` are only touched with `condition` locked.
public final class StdioTransport: ByteTransport, @unchecked Sendable {
    public let input: AsyncStream<[UInt8]>
    private let outputFD: Int32
    /// Guarded by `condition`: frames waiting for the writer thread, and whether writing has stopped.
    private let condition = NSCondition()
    private var queue: [[UInt8]] = []
    private var closed = false

    public init(inputFD: Int32, outputFD: Int32) {
        self.outputFD = outputFD
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        input = stream
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(inputFD, $0.baseAddress, $0.count) }
                if count > 0 {
                    continuation.yield(Array(buffer[0..<count]))
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    break  // end of input or an unrecoverable read error: both end the session.
                }
            }
            continuation.finish()
        }
        reader.name = "fixpoint-stdin"
        reader.start()
        let writer = Thread { [self] in self.drain() }
        writer.name = "fixpoint-stdout"
        writer.start()
    }

    public func write(_ bytes: [UInt8]) {
        condition.lock()
        if !closed { queue.append(bytes) }
        condition.signal()
        condition.unlock()
    }

    public func close() {
        condition.lock()
        closed = true
        condition.signal()
        condition.unlock()
    }

    /// Blocks until everything queued is written, writing failed, or `timeout` passed. For shutdown only.
    public func flush(timeout: Double = 2) {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        while !queue.isEmpty && !closed && Date() < deadline { _ = condition.wait(until: deadline) }
        condition.unlock()
    }

    private func drain() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty && closed { condition.unlock(); return }
            let bytes = queue[0]
            condition.unlock()
            let ok = writeAll(bytes)
            condition.lock()
            queue.removeFirst()
            if !ok { closed = true; queue.removeAll() }  // The reader went away (EPIPE): drop the rest.
            condition.broadcast()
            condition.unlock()
        }
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(outputFD, $0.baseAddress! + offset, $0.count - offset) }
            if written > 0 { offset += written } else if written < 0, errno == EINTR { continue } else { return false }
        }
        return true
    }
}
