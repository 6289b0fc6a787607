import Foundation
import Locking

/// One bounded pool of threads for blocking work — libgit2 calls, copying and deleting file trees,
/// the tools' file reads — so Swift's cooperative pool (one thread per core: two here) never waits on
/// the disk, and a burst of work (16 trajectories forking at once) does not start a thread per call.
///
/// Jobs run in arrival order on `threadCount` threads that live as long as the process. A job must
/// not wait for another job of this pool (it could wait forever with every thread taken); async code
/// that runs here through the `TaskExecutor` conformance gives its thread back at every `await`.
/// Child processes are not waited for here: each has a thread of its own for its whole life, which
/// its parent-death signal needs (ChildProcess).
public final class BlockingExecutor: TaskExecutor, @unchecked Sendable {
    public static let shared = BlockingExecutor(threadCount: 8, name: "fixpoint-io")

    public let threadCount: Int
    /// The threads' names are `<name>-<index>`.
    public let name: String
    /// Guards `jobs`; must only be touched while holding it.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    /// The pool's threads, for `isCurrent`.
    private let workers = Locked<Set<pthread_t>>([])

    public init(threadCount: Int, name: String) {
        self.threadCount = max(1, threadCount)
        self.name = name
        for index in 0..<self.threadCount {
            // The threads hold the pool: it lives as long as the process.
            let thread = Thread {
                nameCurrentThread("\(name)-\(index)")
                _ = self.workers.withLock { $0.insert(pthread_self()) }
                self.work()
            }
            thread.start()
        }
    }

    /// Runs `work` on one of the pool's threads and resumes the caller with its result.
    public func run<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        // Through `handOff`, so ThreadSanitizer sees the worker's writes ordered before the caller's reads.
        let result: Result<T, E> = await handOff { deliver in
            enqueue { deliver(Result { () throws(E) -> T in try work() }) }
        }
        return try result.get()
    }

    /// Whether the calling code runs on one of this pool's threads.
    public var isCurrent: Bool { workers.withLock { $0.contains(pthread_self()) } }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        enqueue { job.runSynchronously(on: executor) }
    }

    /// Queues `job` without waiting for it.
    func enqueue(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() -> Never {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}

/// Runs blocking work on the shared pool (`BlockingExecutor.shared`).
///
///     let files = try await runBlocking { try snapshot.changedFiles() }
public func runBlocking<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
    try await BlockingExecutor.shared.run(work)
}

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
