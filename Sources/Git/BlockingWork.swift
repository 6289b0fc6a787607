import Foundation

/// Runs blocking work (libgit2 calls, copying a project) on a thread of its own and resumes the
/// caller when it is done, so Swift's cooperative pool (one thread per core: two here) never
/// waits on the disk. Every `Repository` and `Snapshot` method blocks; async callers use this.
///
///     let snapshot = try await runBlocking { try Snapshot.create(from: path) }
public func runBlocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let thread = Thread {
            Thread.current.name = blockingThreadName  // visible in debuggers and `top -H`
            continuation.resume(with: Result { try work() })
        }
        thread.start()
    }
}

/// The name of threads started by `runBlocking`.
public let blockingThreadName = "fixpoint-git"
