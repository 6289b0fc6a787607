import Testing

@testable import Agent

@Suite struct ToolExecutorTests {
    /// Tool work runs on the tools' own queue, not on Swift's cooperative pool.
    @Test func workUnderThePreferenceRunsOnTheToolQueue() async {
        #expect(!ToolExecutor.isCurrent)
        let onQueue = await withTaskExecutorPreference(ToolExecutor.shared) { await Self.runsOnToolQueue() }
        #expect(onQueue)
        #expect(!ToolExecutor.isCurrent)
    }

    /// A nonisolated async function, like a tool's `run`.
    nonisolated static func runsOnToolQueue() async -> Bool { ToolExecutor.isCurrent }
}
