import Foundation
import Testing
@testable import Git
import BlockingTestSupport

@Suite(.offTheCooperativePool) struct UserTreeApplyTests {
    /// A write that fails part way puts back what was already written: all files or none.
    @Test func aFailedWriteRollsBackTheFilesAlreadyWritten() throws {
        let fixture = try Fixture(files: ["a.txt": "a\n"])
        let snapshot = try fixture.snapshot()
        defer { snapshot.remove() }
        try fixture.write("a.txt", "agent\n", inSnapshot: snapshot)
        try fixture.write("x/new.txt", "new\n", inSnapshot: snapshot)
        // After the run started the user made "x" a file: the new file under it cannot be written.
        try fixture.write("x", "a file now\n")
        #expect(throws: UserApplyError.self) {
            try applyToUserRepository(patch: try snapshot.diff(), snapshot: snapshot)
        }
        #expect(fixture.read("a.txt") == "a\n")
        #expect(fixture.read("x") == "a file now\n")
    }

    @Test func writesTheResultIntoTheUsersTreeOnly() throws {
        let fixture = try Fixture(files: ["a.txt": "a\n", "gone.txt": "g\n", "keep.txt": "k\n"])
        try fixture.write("keep.txt", "user's uncommitted edit\n")
        let snapshot = try fixture.snapshot()
        defer { snapshot.remove() }
        try fixture.write("a.txt", "agent\n", inSnapshot: snapshot)
        try fixture.write("deep/new/file.txt", "new\n", inSnapshot: snapshot)
        try FileManager.default.removeItem(atPath: snapshot.directory + "/gone.txt")
        let indexBefore = try fixture.git("diff", "--cached", "--stat").stdout

        let written = try applyToUserRepository(patch: try snapshot.diff(), snapshot: snapshot)
        #expect(written == ["a.txt", "deep/new/file.txt", "gone.txt"])
        #expect(fixture.read("a.txt") == "agent\n")
        #expect(fixture.read("deep/new/file.txt") == "new\n")
        #expect(fixture.read("gone.txt") == nil)
        #expect(fixture.read("keep.txt") == "user's uncommitted edit\n")
        #expect(try fixture.git("diff", "--cached", "--stat").stdout == indexBefore)
    }

    @Test func refusesWhenATouchedFileChangedAndWritesNothing() throws {
        let fixture = try Fixture(files: ["a.txt": "a\n", "b.txt": "b\n"])
        let snapshot = try fixture.snapshot()
        defer { snapshot.remove() }
        try fixture.write("a.txt", "agent a\n", inSnapshot: snapshot)
        try fixture.write("b.txt", "agent b\n", inSnapshot: snapshot)
        try fixture.write("b.txt", "the user kept typing\n")
        let error = try #require(throws: UserApplyError.self) {
            try applyToUserRepository(patch: try snapshot.diff(), snapshot: snapshot)
        }
        #expect(error == .filesChangedSinceSnapshot(["b.txt"]))
        #expect(error.description.contains("b.txt"))
        #expect(fixture.read("a.txt") == "a\n")
        #expect(fixture.read("b.txt") == "the user kept typing\n")
    }

    @Test func changesToUntouchedFilesDoNotBlock() throws {
        let fixture = try Fixture(files: ["a.txt": "a\n", "other.txt": "o\n"])
        let snapshot = try fixture.snapshot()
        defer { snapshot.remove() }
        try fixture.write("a.txt", "agent\n", inSnapshot: snapshot)
        try fixture.write("other.txt", "user edit\n")
        try fixture.write("brand-new-user-file.txt", "x\n")
        #expect(try applyToUserRepository(patch: try snapshot.diff(), snapshot: snapshot) == ["a.txt"])
        #expect(fixture.read("a.txt") == "agent\n" && fixture.read("other.txt") == "user edit\n")
    }

    @Test func aFileTheUserCreatedMeanwhileBlocksTheAgentsNewFile() throws {
        let fixture = try Fixture(files: ["a.txt": "a\n"])
        let snapshot = try fixture.snapshot()
        defer { snapshot.remove() }
        try fixture.write("new.txt", "agent\n", inSnapshot: snapshot)
        try fixture.write("new.txt", "user\n")
        #expect(throws: UserApplyError.filesChangedSinceSnapshot(["new.txt"])) {
            try applyToUserRepository(patch: try snapshot.diff(), snapshot: snapshot)
        }
        #expect(fixture.read("new.txt") == "user\n")
    }

    @Test func overlayFilesAreComparedWithTheDiskAsItWas() throws {
        let fixture = try Fixture(files: ["buf.txt": "on disk\n"])
        let snapshot = try fixture.snapshot(overlays: ["buf.txt": "unsaved\n"])
        defer { snapshot.remove() }
        try fixture.write("buf.txt", "unsaved\nplus agent\n", inSnapshot: snapshot)
        let patch = try snapshot.diff()
        // Disk still holds what it held at creation: the result (buffer + agent change) is written.
        let fork = try snapshot.fork()
        defer { fork.remove() }
        #expect(try applyToUserRepository(patch: patch, snapshot: snapshot) == ["buf.txt"])
        #expect(fixture.read("buf.txt") == "unsaved\nplus agent\n")
        // Now the disk differs from creation time: refused.
        #expect(throws: UserApplyError.filesChangedSinceSnapshot(["buf.txt"])) {
            try applyToUserRepository(patch: patch, snapshot: fork)
        }
    }

    @Test func aPatchThatDoesNotFitTheBaseIsAPatchError() throws {
        let fixture = try Fixture(files: ["a.txt": "a\n"])
        let snapshot = try fixture.snapshot()
        defer { snapshot.remove() }
        let error = try #require(throws: UserApplyError.self) {
            try applyToUserRepository(patch: "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-zzz\n+y\n", snapshot: snapshot)
        }
        guard case .patch = error else { Issue.record("expected a patch error, got \(error)"); return }
        #expect(fixture.read("a.txt") == "a\n")
    }
}
