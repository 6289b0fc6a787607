import Git
import Testing

@Suite struct ToolExecutorTests {
    /// Tool work runs on the blocking-work pool, not on Swift's cooperative pool.
    @Test func workUnderThePreferenceRunsOnTheBlockingPool() async {
        #expect(!BlockingExecutor.shared.isCurrent)
        let onPool = await withTaskExecutorPreference(BlockingExecutor.shared) { await Self.runsOnBlockingPool() }
        #expect(onPool)
        #expect(!BlockingExecutor.shared.isCurrent)
    }

    /// A nonisolated async function, like a tool's `run`.
    nonisolated static func runsOnBlockingPool() async -> Bool { BlockingExecutor.shared.isCurrent }
}
