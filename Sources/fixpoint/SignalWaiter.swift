import ChildProcess
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT/SIGTERM into an awaitable event, so commands can stop their children cleanly.
final class SignalWaiter {
    private let sources: [any DispatchSourceSignal]
    fileprivate let stream: AsyncStream<Int32>

    init(signals: [Int32]) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        self.stream = stream
        sources = signals.map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { continuation.yield(sig) }
            source.resume()
            return source
        }
    }

    /// Returns a readable reason: the signal, or that the process ended on its own.
    func wait(orExitOf process: RunningProcess) async -> String {
        let (first, continuation) = AsyncStream<String>.makeStream()
        let watchers: [Task<Void, Never>] = [
            Task { [stream] in
                for await sig in stream { continuation.yield(sig == SIGINT ? "interrupted" : "terminated"); return }
            },
            Task { continuation.yield("llama-server exited: \(await process.waitForExit())") },
        ]
        var reason = "stopped"
        for await r in first { reason = r; break }
        watchers.forEach { $0.cancel() }
        return reason
    }

    deinit { sources.forEach { $0.cancel() } }
}

extension SignalWaiter {
    /// The next signal, or nil when the waiting task is cancelled.
    func next() async -> Int32? {
        for await sig in stream { return sig }
        return nil
    }
}
