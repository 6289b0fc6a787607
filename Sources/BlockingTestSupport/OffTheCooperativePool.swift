import Git
import Testing

/// Runs a suite's tests on threads of their own instead of Swift's cooperative pool (one thread per
/// core: two on CI). Tests that block — the git CLI through `posix_spawn` + `waitpid` to build a
/// fixture, synchronous libgit2 calls, big file trees — would otherwise hold those threads while the
/// suite runs in parallel, and stall every other test's `await` for seconds (measured: cancellation
/// and streaming tests waiting 4–8 s). With this trait their bodies run on `executor`, a
/// `BlockingExecutor` used only by tests, through a task executor preference (SE-0417): sync bodies
/// and the nonisolated async code they call run there, and give the thread back at each `await`.
///
///     @Suite(.offTheCooperativePool) struct SnapshotTests { ... }
public struct OffTheCooperativePool: TestTrait, SuiteTrait, TestScoping {
    static let executor = BlockingExecutor(threadCount: 4, name: "fp-tests")

    public var isRecursive: Bool { true }

    /// Whether the calling code runs on the tests' pool (what the trait is for; tested).
    public static var isCurrent: Bool { executor.isCurrent }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        // The suite itself needs no scope; each test case gets one.
        guard testCase != nil else { return try await function() }
        try await withTaskExecutorPreference(Self.executor) { try await function() }
    }
}

extension Trait where Self == OffTheCooperativePool {
    /// The tests run on a pool of their own, not Swift's cooperative threads (see `OffTheCooperativePool`).
    public static var offTheCooperativePool: Self { Self() }
}
