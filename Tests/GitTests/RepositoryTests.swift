import Foundation
import Synchronization
import Testing
@testable import Git
import BlockingTestSupport

@Suite(.offTheCooperativePool) struct RepositoryTests {
    @Test func discoversFromASubfolderAndReadsHeadAndCommits() throws {
        let fixture = try Fixture(files: ["src/deep/file.txt": "content\n"])
        let repository = try Repository.discover(from: fixture.repo + "/src/deep")
        #expect(repository.workdir == fixture.repo)
        guard case .branch("main", let commit) = try repository.head() else { Issue.record("expected branch main"); return }
        let info = try repository.commit()
        #expect(info.id == commit && info.message == "initial\n" && info.parents.isEmpty && info.authorName == "Test")
        #expect(try repository.fileContent("src/deep/file.txt") == Array("content\n".utf8))
        #expect(try repository.fileContent("missing.txt") == nil)
        #expect(try repository.filePaths() == ["src/deep/file.txt"])
        try fixture.git("checkout", "-q", "--detach")
        #expect(try repository.head() == .detached(commit: commit))
    }

    @Test func notARepositoryIsATypedErrorWithLibgit2sMessage() throws {
        let scratch = try TemporaryDirectory("plain")
        let error = try #require(throws: GitError.self) { try Repository.discover(from: scratch.path) }
        #expect(error.isNotFound)
        #expect(error.operation.contains(scratch.path))
        #expect(!error.message.isEmpty && error.klass != 0)
        #expect(error.description.contains("find a git repository containing"))
    }

    @Test func statusReportsEveryKindOfChange() throws {
        let fixture = try Fixture(files: ["mod.txt": "1\n", "del.txt": "2\n", "staged.txt": "3\n", ".gitignore": "*.tmp\n"])
        try fixture.write("mod.txt", "changed\n")
        try FileManager.default.removeItem(atPath: fixture.repo + "/del.txt")
        try fixture.write("staged.txt", "staged change\n")
        try fixture.git("add", "staged.txt")
        try fixture.write("added.txt", "new\n")
        try fixture.git("add", "added.txt")
        try fixture.write("untracked/inner.txt", "u\n")
        try fixture.write("junk.tmp", "i\n")
        let before = try fingerprint(fixture.repo)
        let status = try Repository.discover(from: fixture.repo).status()
        let byPath = Dictionary(uniqueKeysWithValues: status.map { ($0.path, $0) })
        #expect(byPath["mod.txt"]?.workdir == .modified)
        #expect(byPath["del.txt"]?.workdir == .deleted)
        #expect(byPath["staged.txt"]?.index == .modified && byPath["staged.txt"]?.workdir == nil)
        #expect(byPath["added.txt"]?.index == .added)
        #expect(byPath["untracked/inner.txt"]?.workdir == .untracked)
        #expect(byPath["junk.tmp"]?.workdir == .ignored)
        #expect(try fingerprint(fixture.repo) == before, "status must not write the index")
    }

    @Test func unbornHeadInANewRepository() throws {
        let fixture = try Fixture()
        let repository = try Repository.discover(from: fixture.repo)
        #expect(try repository.head() == .unborn(branch: "main"))
        #expect(try repository.head().commit == nil)
        #expect(try repository.filePaths() == [])
        #expect(try repository.fileContent("x") == nil)
    }

    @Test func oneSnapshotUsedFromManyThreadsAtOnce() async throws {
        let fixture = try Fixture(files: ["f.txt": "base\n"])
        let snapshot = try fixture.snapshot()
        defer { snapshot.remove() }
        try fixture.write("f.txt", "changed\n", inSnapshot: snapshot)
        let expected = try await snapshot.diff()
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try snapshot.diff() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8 && results.allSatisfy { $0 == expected })
    }
}

@Suite(.offTheCooperativePool) struct BlockingWorkTests {
    /// Three jobs that each wait until all three are running: on the two-thread cooperative pool the
    /// third could never start while two block, so they would time out.
    @Test func blockingJobsDoNotOccupyTheCooperativePool() async throws {
        final class Counter: Sendable { let value = Atomic<Int>(0) }
        let running = Counter()
        let allMet = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    await runBlocking {
                        running.value.add(1, ordering: .sequentiallyConsistent)
                        let deadline = Date().addingTimeInterval(10)
                        while running.value.load(ordering: .sequentiallyConsistent) < 3 && Date() < deadline { usleep(1000) }
                        return running.value.load(ordering: .sequentiallyConsistent) >= 3
                    }
                }
            }
            return try await group.reduce(true) { $0 && $1 }
        }
        #expect(allMet)
    }

    /// This suite carries `.offTheCooperativePool`: its bodies, sync or async, run on the tests' own
    /// threads, so the blocking ones leave Swift's cooperative pool to the rest of a parallel run.
    @Test func aSyncTestBodyRunsOnTheTestsPool() {
        #expect(OffTheCooperativePool.isCurrent)
    }

    @Test func anAsyncTestBodyRunsOnTheTestsPoolAfterAnAwait() async {
        #expect(OffTheCooperativePool.isCurrent)
        await Task.yield()
        #expect(OffTheCooperativePool.isCurrent)
    }

    /// The pool is bounded: more jobs than threads all finish, never more than `threadCount` at once.
    @Test func aBoundedPoolRunsEveryJobWithAtMostItsThreads() async {
        final class Gauge: Sendable { let now = Atomic<Int>(0), peak = Atomic<Int>(0) }
        let gauge = Gauge()
        let pool = BlockingExecutor(threadCount: 2, name: "fp-test")
        let done = await withTaskGroup(of: Int.self) { group in
            for index in 0..<6 {
                group.addTask {
                    await pool.run {
                        let running = gauge.now.add(1, ordering: .sequentiallyConsistent).newValue
                        _ = gauge.peak.max(running, ordering: .sequentiallyConsistent)
                        usleep(20_000)
                        gauge.now.subtract(1, ordering: .sequentiallyConsistent)
                        return index
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(done.sorted() == Array(0..<6))
        #expect(gauge.peak.load(ordering: .sequentiallyConsistent) <= 2)
    }

    @Test func runsOffThePoolAndPassesResultsAndErrorsThrough() async throws {
        let fixture = try Fixture(files: ["f.txt": "x\n"])
        let path = fixture.repo, root = fixture.snapshots
        let snapshot = try await runBlocking { try Snapshot.create(from: path, root: root) }
        defer { snapshot.remove() }
        #expect(try await runBlocking { try snapshot.changedFiles() } == [])
        // The kernel's name for the thread the work ran on (not a cooperative-pool worker).
        let threadName = await runBlocking {
            ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(threadName.hasPrefix(BlockingExecutor.shared.name + "-"))
        await #expect(throws: GitError.self) { try await runBlocking { try Repository.open(at: "/nonexistent/repo") } }
    }
}
