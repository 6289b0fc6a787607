/// Waits for a value that another thread delivers — a thread of our own, a blocking pool's worker — and
/// returns it to the awaiting task.
///
/// The value travels through a `Locked` box, not through the continuation: ThreadSanitizer does not
/// always see a continuation resumed from a plain thread as ordering that thread's writes before the
/// task's reads (CI flagged an object built on a worker thread and then read on the cooperative pool),
/// while it does see one pthread mutex taken on both sides. `deliver` must be called exactly once.
///
///     let output = await handOff { deliver in Thread { deliver(work()) }.start() }
public func handOff<Value: Sendable>(
    _ start: (_ deliver: @escaping @Sendable (Value) -> Void) -> Void
) async -> Value {
    let box = Locked<Value?>(nil)
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        start { value in
            box.withLock { $0 = value }
            continuation.resume()
        }
    }
    // The deliverer filled the box before it resumed us.
    guard let value = box.withLock({ $0 }) else { preconditionFailure("handOff resumed without a value") }
    return value
}
