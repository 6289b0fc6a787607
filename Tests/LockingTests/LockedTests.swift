import Foundation
import Locking
import Testing

/// `Locked` excludes, rethrows and unlocks. Under `scripts/sanitize thread` the concurrent test is also
/// the check that ThreadSanitizer sees the lock: `Synchronization.Mutex` in its place is reported as a
/// data race on the dictionary (docs/development.md, Sanitizers).
@Suite struct LockedTests {
    @Test func threadsWritingUnderTheLockLoseNothing() async {
        let table = Locked<[Int: Int]>([:])
        let threads = 4, writes = 5_000
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<threads {
                group.addTask {
                    // Real threads, not the cooperative pool: they contend for the lock at the same time.
                    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                        Thread {
                            for key in 0..<writes { table.withLock { $0[key, default: 0] += 1 } }
                            done.resume()
                        }.start()
                    }
                }
            }
        }
        let counts = table.withLock { $0 }
        #expect(counts.count == writes)
        #expect(counts.values.allSatisfy { $0 == threads })
    }

    struct Refused: Error, Equatable {}

    @Test func anErrorThrownInsideLeavesTheLockFreeAndTheChangeKept() {
        let value = Locked(0)
        #expect(throws: Refused()) {
            try value.withLock { (number: inout Int) throws(Refused) in
                number = 1
                throw Refused()
            }
        }
        #expect(value.withLock { $0 } == 1)
    }
}
