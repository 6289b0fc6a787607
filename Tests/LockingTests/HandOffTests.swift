import Foundation
import Locking
import Testing

/// `handOff` returns what another thread delivers. Under `scripts/sanitize thread` this is also the
/// check that an object built on that thread and read by the task is not reported as a race (CI's
/// report on a journal opened through `runBlocking` is what `handOff` fixes).
@Suite struct HandOffTests {
    /// Mutable state written on the delivering thread only, read by the task after the hand-off.
    final class Built: @unchecked Sendable {
        var lines: [String] = []
        let made = Date()
    }

    @Test func whatAThreadBuildsReachesTheTaskWhole() async {
        let objects = await withTaskGroup(of: Built.self) { group in
            for index in 0..<8 {
                group.addTask {
                    await handOff { deliver in
                        Thread {
                            let built = Built()
                            for line in 0..<100 { built.lines.append("\(index):\(line)") }
                            deliver(built)
                        }.start()
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(objects.count == 8)
        #expect(objects.allSatisfy { $0.lines.count == 100 && $0.made <= Date() })
        #expect(Set(objects.compactMap { $0.lines.first }).count == 8)
    }

    @Test func aValueDeliveredBeforeTheStartReturnsIsKept() async {
        // The deliverer may finish before `start` returns (the continuation is resumed early).
        let value = await handOff { deliver in deliver(42) }
        #expect(value == 42)
    }
}
