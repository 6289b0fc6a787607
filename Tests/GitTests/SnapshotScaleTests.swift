import Foundation
import Testing
@testable import Git
#if canImport(Glibc)
import Glibc
import BlockingTestSupport
#endif

/// Snapshots cost what changes, not what the repository holds: a fork writes no object and writes
/// bytes itself only for files that differ from the base; the rest are clones of the parent's
/// untouched files. Counted, never timed. And with many forks, edits stay where they were made.
@Suite(.offTheCooperativePool) struct SnapshotScaleTests {
    /// A committed repository of `count` small files in a few folders, plus one executable and a link.
    static func repository(files count: Int) throws -> Fixture {
        var files: [String: String] = [:]
        for index in 0..<count { files["pkg\(index % 7)/sub\(index % 3)/m\(index).py"] = "value = \(index)\n" }
        files["run.sh"] = "#!/bin/sh\necho run\n"
        let fixture = try Fixture(files: files, commit: false)
        chmod(fixture.repo + "/run.sh", 0o755)
        symlink("pkg0/sub0/m0.py", fixture.repo + "/link.py")
        try fixture.git("add", "-A")
        try fixture.git("commit", "-qm", "initial")
        return fixture
    }

    /// Object files under a repository's own `objects` folder (alternates and other bookkeeping aside).
    static func objectFiles(_ snapshot: Snapshot) -> [String] {
        let objects = snapshot.directory + "/.git/objects"
        let all = FileManager.default.enumerator(atPath: objects)?.allObjects as? [String] ?? []
        return all.filter { !$0.hasPrefix("info") && FileNode.file(executable: false) == FileSystem.node(at: objects + "/" + $0) }
    }

    @Test(arguments: [40, 400])
    func forkWritesOnlyTheFilesThatDifferFromTheBase(files count: Int) throws {
        let fixture = try Self.repository(files: count)
        let base = try fixture.snapshot()
        defer { base.remove() }
        #expect(Self.objectFiles(base).isEmpty, "the base's objects live in the shared store")

        // An untouched base: every file is a clone; nothing is read from an object or written.
        let first = try base.fork()
        defer { first.remove() }
        #expect(first.copyCounts.written == 0)
        #expect(first.copyCounts.cloned == count + 1)  // the .py files and run.sh; a link is made, not copied
        #expect(Self.objectFiles(first).isEmpty, "a fork writes no object")
        #expect(try first.diff() == "")

        // The agent edits three files in the base: in place, by replacing it, and by deleting it.
        let appended = base.directory + "/pkg1/sub1/m1.py"
        let handle = try #require(FileHandle(forUpdatingAtPath: appended))
        handle.seekToEndOfFile(); handle.write(Data("# appended in place\n".utf8)); handle.closeFile()
        try fixture.write("pkg2/sub2/m2.py", "replaced\n", inSnapshot: base)
        unlink(base.directory + "/pkg3/sub0/m3.py")

        let second = try base.fork()
        defer { second.remove() }
        #expect(second.copyCounts.written == 3, "only the three edited files come from objects")
        #expect(second.copyCounts.cloned == count + 1 - 3)
        #expect(Self.objectFiles(second).isEmpty)
        #expect(try second.diff() == "", "the fork is the base, not the parent's edits")
        #expect(fixture.read("pkg1/sub1/m1.py", in: second.directory) == "value = 1\n")
        #expect(fixture.read("pkg2/sub2/m2.py", in: second.directory) == "value = 2\n")
        #expect(fixture.read("pkg3/sub0/m3.py", in: second.directory) == "value = 3\n")
        #expect(FileSystem.node(at: second.directory + "/run.sh") == .file(executable: true))
        #expect(FileSystem.node(at: second.directory + "/link.py") == .symlink(target: "pkg0/sub0/m0.py"))

        // A fork of a fork clones from its (untouched) parent in the same way.
        let third = try second.fork()
        defer { third.remove() }
        #expect(third.copyCounts.written == 0)
        #expect(try third.diff() == "")
    }

    @Test func editsStayInTheirForkAcrossEightForks() throws {
        let fixture = try Self.repository(files: 300)
        try fixture.write("pkg0/sub0/m0.py", "value = 0  # uncommitted\n")
        let userBefore = try fingerprint(fixture.repo)
        let base = try fixture.snapshot()
        var forks: [Snapshot] = []
        for _ in 0..<8 { forks.append(try base.fork()) }

        // Fork 0: the agent's edit tool. Fork 1: a test command appending to a file in place.
        // Fork 2: a command rewriting a file in place (truncate + write, same inode).
        try fixture.write("pkg0/sub0/m0.py", "value = 'fork 0'\n", inSnapshot: forks[0])
        try run(["sh", "-c", "echo '# appended by a test' >> pkg1/sub1/m1.py"], in: forks[1].directory)
        try run(["sh", "-c", "printf 'value = 2  # rewritten\\n' > pkg2/sub2/m2.py"], in: forks[2].directory)
        // The base itself, as a single trajectory would edit it.
        try run(["sh", "-c", "echo '# base edit' >> pkg3/sub0/m3.py"], in: base.directory)

        #expect(try forks[0].changedFiles() == ["pkg0/sub0/m0.py"])
        #expect(try forks[1].changedFiles() == ["pkg1/sub1/m1.py"])
        #expect(try forks[2].changedFiles() == ["pkg2/sub2/m2.py"])
        #expect(try base.changedFiles() == ["pkg3/sub0/m3.py"])
        for sibling in forks[3...] { #expect(try sibling.diff() == "") }
        #expect(fixture.read("pkg1/sub1/m1.py", in: base.directory) == "value = 1\n")
        #expect(fixture.read("pkg0/sub0/m0.py", in: base.directory) == "value = 0  # uncommitted\n")

        // A verification copy made now is the base, without anyone's edits.
        let clean = try base.fork()
        #expect(try clean.diff() == "")
        #expect(clean.copyCounts.written == 1, "only the base's edited file comes from its object")

        clean.remove()
        forks.forEach { $0.remove() }
        base.remove()
        #expect(try fingerprint(fixture.repo) == userBefore, "the user's checkout is never written")
        let left = try FileManager.default.contentsOfDirectory(atPath: fixture.snapshots)
        #expect(left.isEmpty, "the object store (and every owner record) goes with its last snapshot: \(left)")
    }

    @Test func theObjectStoreOutlivesTheBaseUntilItsLastForkIsRemoved() throws {
        let fixture = try Self.repository(files: 20)
        let base = try fixture.snapshot()
        let fork = try base.fork()
        base.remove()
        #expect(FileManager.default.fileExists(atPath: base.directory) == false)
        #expect(try fork.baseContent(of: "pkg1/sub1/m1.py") == "value = 1\n")
        try fixture.write("pkg1/sub1/m1.py", "changed\n", inSnapshot: fork)
        #expect(try fork.diff().contains("-value = 1"))
        let folders = try FileManager.default.contentsOfDirectory(atPath: fixture.snapshots).filter { !$0.hasSuffix(".owner") }
        #expect(folders.count == 2 && folders.contains { $0.hasSuffix(".objects") }, "the fork and the store: \(folders)")
        fork.remove()
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.snapshots).isEmpty)
    }
}
