import Dispatch

/// Tools read, search and write files with plain blocking calls. They run on this executor — a
/// Dispatch queue of their own — instead of Swift's cooperative pool, which has one thread per core
/// (two here) and is shared with the model client, the language server and everything else.
final class ToolExecutor: TaskExecutor {
    static let shared = ToolExecutor()
    private let queue = DispatchQueue(label: "fixpoint.tools", attributes: .concurrent)
    private static let marker = DispatchSpecificKey<Bool>()

    init() { queue.setSpecific(key: Self.marker, value: true) }

    /// Whether the calling code runs on this executor's queue.
    static var isCurrent: Bool { DispatchQueue.getSpecific(key: marker) == true }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
