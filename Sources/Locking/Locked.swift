#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value that only `withLock` reaches, guarded by a pthread mutex. Fixpoint's one lock type.
///
/// Not `Synchronization.Mutex`: in Swift 6.3.1 on Linux `Mutex` locks with a futex inside
/// libswiftSynchronization.so, which ThreadSanitizer neither instruments nor intercepts, so a TSan run
/// reports every state guarded by `withLock` as a data race. ThreadSanitizer intercepts
/// `pthread_mutex_lock`, sees the lock's ordering and reports only real races (and lock-order
/// inversions). Uncontended, the difference is a few nanoseconds per `withLock` (docs/architecture.md).
///
/// Same API as `Mutex`: `Locked(initial)`, `withLock { value in … }`. Never call `withLock` on the same
/// lock from inside its closure (it is not recursive: that deadlocks).
public final class Locked<Value: ~Copyable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private nonisolated(unsafe) var value: Value

    public init(_ initialValue: consuming sending Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        value = initialValue
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
