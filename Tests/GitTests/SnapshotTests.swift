import Foundation
import Synchronization
import Testing
@testable import Git
import BlockingTestSupport

@Suite(.offTheCooperativePool) struct SnapshotTests {
    @Test func snapshotHoldsHeadUncommittedUntrackedAndOverlaysButNotIgnored() throws {
        let fixture = try Fixture(files: ["a.txt": "one\n", "b.txt": "two\n", ".gitignore": "*.log\n", "gone.txt": "bye\n"])
        try fixture.write("a.txt", "one changed\n")
        try fixture.write("new/untracked.txt", "fresh\n")
        try fixture.write("debug.log", "ignored\n")
        try fixture.git("rm", "-q", "gone.txt")
        try fixture.write("staged.txt", "staged\n")
        try fixture.git("add", "staged.txt")

        let snapshot = try fixture.snapshot(overlays: ["b.txt": "unsaved buffer\n", "brand/new.txt": "only in editor\n"])
        defer { snapshot.remove() }
        #expect(fixture.read("a.txt", in: snapshot.directory) == "one changed\n")
        #expect(fixture.read("b.txt", in: snapshot.directory) == "unsaved buffer\n")
        #expect(fixture.read("brand/new.txt", in: snapshot.directory) == "only in editor\n")
        #expect(fixture.read("new/untracked.txt", in: snapshot.directory) == "fresh\n")
        #expect(fixture.read("staged.txt", in: snapshot.directory) == "staged\n")
        #expect(fixture.read("debug.log", in: snapshot.directory) == nil)
        #expect(fixture.read("gone.txt", in: snapshot.directory) == nil)
        #expect(try snapshot.diff() == "")
        #expect(try snapshot.changedFiles() == [])
        #expect(try snapshot.baseContent(of: "b.txt") == "unsaved buffer\n")
        #expect(try snapshot.baseContent(of: "gone.txt") == nil)
        #expect(snapshot.sourceRepository == fixture.repo)
    }

    @Test func runsNeverChangeTheUserRepository() throws {
        let fixture = try Fixture(files: ["src/main.py": "print('hi')\n", "README": "readme\n"])
        try fixture.write("src/main.py", "print('dirty')\n")
        try fixture.write("notes.txt", "untracked\n")
        try fixture.git("stash", "list")
        let before = try fingerprint(fixture.repo)

        let snapshot = try fixture.snapshot(overlays: ["README": "buffer\n"])
        try fixture.write("src/main.py", "print('agent')\n", inSnapshot: snapshot)
        try FileManager.default.removeItem(atPath: snapshot.directory + "/README")
        try fixture.write("src/extra.py", "x = 1\n", inSnapshot: snapshot)
        try run(["sh", "-c", "mkdir -p __pycache__ && echo bytecode > __pycache__/m.pyc && git status --short > /dev/null"], in: snapshot.directory)
        let fork = try snapshot.fork()
        let applied = try fork.apply(patch: try snapshot.diff())
        #expect(applied.filesChanged == ["README", "src/extra.py", "src/main.py"])
        #expect(throws: PatchError.self) { try fork.apply(patch: "diff --git a/nope b/nope\n--- a/nope\n+++ b/nope\n@@ -1 +1 @@\n-x\n+y\n") }
        fork.remove()
        snapshot.remove()

        #expect(try fingerprint(fixture.repo) == before)
    }

    @Test func dirtyIndexSnapshotsTheWorkingTreeAndLeavesTheIndexAlone() throws {
        let fixture = try Fixture(files: ["f.txt": "committed\n"])
        try fixture.write("f.txt", "staged\n")
        try fixture.git("add", "f.txt")
        try fixture.write("f.txt", "working tree\n")
        let before = try fingerprint(fixture.repo)
        let snapshot = try fixture.snapshot()
        defer { snapshot.remove() }
        #expect(fixture.read("f.txt", in: snapshot.directory) == "working tree\n")
        #expect(try fixture.git("show", ":f.txt").stdout == "staged\n")
        #expect(try fingerprint(fixture.repo) == before)
    }

    @Test func gitCommandsTheAgentRunsInsideTheSnapshotDoNotChangeTheDiff() throws {
        let fixture = try Fixture(files: ["a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n", "d.txt": "d\n"])
        let snapshot = try fixture.snapshot()
        defer { snapshot.remove() }
        try fixture.write("a.txt", "a changed\n", inSnapshot: snapshot)
        try fixture.write("new.txt", "new\n", inSnapshot: snapshot)
        try run(["sh", "-c", "git add -A && git -c user.name=x -c user.email=x@x commit -qm agent"], in: snapshot.directory)
        try fixture.write("c.txt", "c staged\n", inSnapshot: snapshot)
        try run(["git", "add", "c.txt"], in: snapshot.directory)
        try fixture.write("c.txt", "c staged then edited\n", inSnapshot: snapshot)
        try run(["git", "rm", "-q", "--cached", "b.txt"], in: snapshot.directory)
        try run(["git", "rm", "-q", "d.txt"], in: snapshot.directory)
        try fixture.write("late.txt", "late\n", inSnapshot: snapshot)
        try run(["git", "add", "late.txt"], in: snapshot.directory)

        #expect(try snapshot.changedFiles() == ["a.txt", "c.txt", "d.txt", "late.txt", "new.txt"])
        let check = try snapshot.fork()
        defer { check.remove() }
        try run(["git", "apply", "-"], in: check.directory, stdin: try snapshot.diff())
        #expect(workingFiles(check.directory) == workingFiles(snapshot.directory))
    }

    @Test func parallelSnapshotsAreIsolated() throws {
        let fixture = try Fixture(files: ["shared.txt": "base\n"])
        let first = try fixture.snapshot()
        let second = try fixture.snapshot()
        defer { first.remove(); second.remove() }
        #expect(first.directory != second.directory)
        try fixture.write("shared.txt", "first\n", inSnapshot: first)
        try fixture.write("only-second.txt", "second\n", inSnapshot: second)
        #expect(try first.changedFiles() == ["shared.txt"])
        #expect(try second.changedFiles() == ["only-second.txt"])
        #expect(fixture.read("shared.txt", in: second.directory) == "base\n")
        #expect(fixture.read("shared.txt") == "base\n")
    }

    @Test func forkIsTheBaseAndOutlivesItsParent() throws {
        let fixture = try Fixture(files: ["f.txt": "base\n"])
        try fixture.write("f.txt", "uncommitted\n")
        let snapshot = try fixture.snapshot()
        try fixture.write("f.txt", "agent edit\n", inSnapshot: snapshot)
        let fork = try snapshot.fork()
        defer { fork.remove() }
        snapshot.remove()
        #expect(FileManager.default.fileExists(atPath: snapshot.directory) == false)
        #expect(fixture.read("f.txt", in: fork.directory) == "uncommitted\n")
        #expect(try fork.diff() == "")
        try fixture.write("f.txt", "fork edit\n", inSnapshot: fork)
        #expect(try fork.diff().contains("+fork edit"))
        #expect(try fork.baseContent(of: "f.txt") == "uncommitted\n")
    }

    @Test func emptyRepositoryWithUnbornHead() throws {
        let fixture = try Fixture()
        #expect(try Repository.discover(from: fixture.repo).head() == .unborn(branch: "main"))
        try fixture.write("first.txt", "hello\n")
        let snapshot = try fixture.snapshot()
        defer { snapshot.remove() }
        #expect(fixture.read("first.txt", in: snapshot.directory) == "hello\n")
        try fixture.write("second.txt", "world\n", inSnapshot: snapshot)
        #expect(try snapshot.changedFiles() == ["second.txt"])
    }

    @Test func cachesAndBuildOutputsStayOutOfTheDiff() throws {
        let fixture = try Fixture(files: ["app.py": "x = 1\n", "target/keep.txt": "a real source folder\n"])
        let snapshot = try fixture.snapshot()
        defer { snapshot.remove() }
        try fixture.write("app.py", "x = 2\n", inSnapshot: snapshot)
        for path in [".pytest_cache/v/cache/lastfailed", "__pycache__/app.cpython-311.pyc", "pkg/__pycache__/m.pyc",
                     "node_modules/left-pad/index.js", ".build/debug/app", "main.o", "lib/m.pyc"] {
            try fixture.write(path, "generated\n", inSnapshot: snapshot)
        }
        try fixture.writeBytes("a.out", [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + Array(repeating: 0, count: 100), in: snapshot.directory)
        try fixture.write("target/new-source.txt", "new file in a tracked folder named target\n", inSnapshot: snapshot)
        #expect(try snapshot.changedFiles() == ["app.py", "target/new-source.txt"])
        let diff = try snapshot.diff()
        #expect(!diff.contains("pycache") && !diff.contains("node_modules") && !diff.contains("a.out"))
    }

    @Test func staleSnapshotsAreRemovedLiveOnesKept() throws {
        let fixture = try Fixture(files: ["f.txt": "x\n"])
        let live = try fixture.snapshot()
        defer { live.remove() }
        let crashed = try fixture.snapshot()
        let crashedDirectory = crashed.directory
        // Pretend another process made it and died long ago: copy it aside before `crashed` cleans up.
        let orphan = fixture.snapshots + "/orphan"
        try run(["cp", "-a", crashedDirectory, orphan], in: fixture.repo)
        crashed.remove()
        try "pid=2147483000\nsource=x\n".write(toFile: orphan + "/.git/fixpoint-snapshot", atomically: false, encoding: .utf8)
        try run(["touch", "-d", "2 hours ago", orphan + "/.git/fixpoint-snapshot"], in: fixture.repo)
        let foreign = fixture.snapshots + "/not-ours"
        try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
        try run(["touch", "-d", "2 hours ago", foreign], in: fixture.repo)

        Snapshot.removeStale(root: fixture.snapshots, olderThan: 60)
        #expect(!FileManager.default.fileExists(atPath: orphan))
        #expect(FileManager.default.fileExists(atPath: live.directory))
        #expect(FileManager.default.fileExists(atPath: foreign))
        #expect(!FileManager.default.fileExists(atPath: crashedDirectory))
    }

    @Test func refusesASnapshotRootInsideTheRepository() throws {
        let fixture = try Fixture(files: ["f.txt": "x\n"])
        let before = try fingerprint(fixture.repo)
        let error = try #require(throws: GitError.self) { try Snapshot.create(from: fixture.repo, root: fixture.repo + "/.snapshots") }
        #expect(error.message.contains("FIXPOINT_SNAPSHOT_DIR"))
        #expect(try fingerprint(fixture.repo) == before)
    }

    @Test func awaitedRemovalIsDoneWhenItReturns() async throws {
        let fixture = try Fixture(files: ["f.txt": "x\n"])
        let snapshot = try fixture.snapshot()
        #expect(FileManager.default.fileExists(atPath: snapshot.directory))
        await snapshot.remove()
        #expect(!FileManager.default.fileExists(atPath: snapshot.directory))
    }

    /// A snapshot nobody removed is still deleted — on the blocking-work pool, not in `deinit` itself.
    @Test func aForgottenSnapshotIsRemovedOffTheReleasingThread() async throws {
        let fixture = try Fixture(files: ["f.txt": "x\n"])
        var directory = ""
        do {
            let snapshot = try fixture.snapshot()
            directory = snapshot.directory
            #expect(FileManager.default.fileExists(atPath: directory))
        }
        let deadline = Date().addingTimeInterval(10)
        while FileManager.default.fileExists(atPath: directory), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!FileManager.default.fileExists(atPath: directory))
    }
}

extension Fixture {
    func write(_ path: String, _ text: String, inSnapshot snapshot: Snapshot) throws {
        try writeBytes(path, Array(text.utf8), in: snapshot.directory)
    }
}

@Suite(.offTheCooperativePool) struct CancelledRunTests {
    @Test func aCancelledRunLeavesNoSnapshotAndAnUntouchedRepository() async throws {
        let fixture = try Fixture(files: ["f.txt": "x\n"])
        try fixture.write("f.txt", "dirty\n")
        let before = try fingerprint(fixture.repo)
        let path = fixture.repo, root = fixture.snapshots
        let working = Mutex(false)
        let run = Task { () async throws -> String in
            let snapshot = try await Snapshot.create(from: path, root: root)
            do {
                try put(snapshot.directory, "f.txt", Array("agent\n".utf8))
                try put(snapshot.directory, "new.txt", Array("agent\n".utf8))
                working.withLock { $0 = true }
                // The agent "working" when the user cancels; 10 minutes is a hang guard for a lost cancel
                // (a fixed 200 ms before cancelling was once over 60 s late on a loaded machine).
                try await Task.sleep(for: .seconds(600))
            } catch {
                await snapshot.remove()  // its owner removes it, and waits until it is gone
                throw error
            }
            return snapshot.directory
        }
        let deadline = ContinuousClock.now + .seconds(300)
        while !working.withLock({ $0 }) {
            try #require(ContinuousClock.now < deadline, "the run never started working")
            try await Task.sleep(for: .milliseconds(5))
        }
        run.cancel()
        let outcome = await run.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).isEmpty)
        #expect(try fingerprint(fixture.repo) == before)
    }
}

@Suite(.offTheCooperativePool) struct ConcurrentSnapshotTests {
    @Test func snapshotsOfOneRepositoryCreatedAtOnceAreCompleteAndDistinct() async throws {
        let fixture = try Fixture(files: ["a.txt": "a\n", "src/b.txt": "b\n"])
        try fixture.write("untracked.txt", "u\n")
        let path = fixture.repo, root = fixture.snapshots
        let snapshots = try await withThrowingTaskGroup(of: Snapshot.self) { group in
            for _ in 0..<4 { group.addTask { try await runBlocking { try Snapshot.create(from: path, root: root) } } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { snapshots.forEach { $0.remove() } }
        #expect(Set(snapshots.map(\.directory)).count == 4)
        for (index, snapshot) in snapshots.enumerated() {
            #expect(workingFiles(snapshot.directory) == workingFiles(fixture.repo))
            try put(snapshot.directory, "mine.txt", Array("\(index)\n".utf8))
        }
        for snapshot in snapshots { #expect(try await snapshot.changedFiles() == ["mine.txt"]) }
    }
}
