import Foundation

/// Runs blocking work (libgit2 calls, copying a project) on a thread of its own and resumes the
/// caller when it is done, so Swift's cooperative pool (one thread per core: two here) never
/// waits on the disk. Every `Repository` and `Snapshot` method blocks; async callers use this.
///
///     let snapshot = try await runBlocking { try Snapshot.create(from: path) }
public func runBlocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let thread = Thread {
            nameCurrentThread(blockingThreadName)
            continuation.resume(with: Result { try work() })
        }
        thread.start()
    }
}

/// The name of threads started by `runBlocking` (shown by debuggers and `top -H`).
public let blockingThreadName = "fixpoint-git"

/// Names the calling thread. On Linux the thread writes its own `comm` (Foundation's `Thread.name`
/// races with thread start there, and `pthread_setname_np` is not imported).
private func nameCurrentThread(_ name: String) {
    #if os(Linux)
    if let handle = FileHandle(forWritingAtPath: "/proc/thread-self/comm") {
        try? handle.write(contentsOf: Data(name.utf8))
        try? handle.close()
    }
    #else
    Thread.current.name = name
    #endif
}
