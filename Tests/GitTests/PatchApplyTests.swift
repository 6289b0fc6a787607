import Foundation
import Testing
@testable import Git
import BlockingTestSupport

@Suite(.offTheCooperativePool) struct PatchApplyTests {
    static let twenty = (1...20).map { "line \($0)" }.joined(separator: "\n") + "\n"

    func snapshot(_ files: [String: String]) throws -> (Fixture, Snapshot) {
        let fixture = try Fixture(files: files)
        return (fixture, try fixture.snapshot())
    }

    @Test func shiftedHunkIsRelocatedAndReported() throws {
        let (fixture, snapshot) = try snapshot(["f.txt": Self.twenty])
        defer { snapshot.remove(); withExtendedLifetime(fixture) {} }
        // The hunk says line 3, but its lines are at 10-12.
        let patch = """
        diff --git a/f.txt b/f.txt
        --- a/f.txt
        +++ b/f.txt
        @@ -3,3 +3,3 @@
         line 10
        -line 11
        +line eleven
         line 12

        """
        let result = try snapshot.apply(patch: patch)
        #expect(result.filesChanged == ["f.txt"])
        #expect(result.relocatedHunks.count == 1)
        #expect(result.relocatedHunks.first?.contains("applied at line 10 instead of line 3") == true)
        #expect(fixture.read("f.txt", in: snapshot.directory) == Self.twenty.replacingOccurrences(of: "line 11\n", with: "line eleven\n"))
    }

    @Test func ambiguousHunkIsRefusedAndNothingChanges() throws {
        let text = "a\nrepeat\nb\nx\nrepeat\nb\ny\n"
        let (fixture, snapshot) = try snapshot(["f.txt": text])
        defer { snapshot.remove(); withExtendedLifetime(fixture) {} }
        let patch = "diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n repeat\n-b\n+B\n"
        let error = try #require(throws: PatchError.self) { try snapshot.apply(patch: patch) }
        #expect(error.kind == .ambiguousHunk)
        #expect(error.file == "f.txt" && error.hunk == 1)
        #expect(error.description.contains("lines 2, 5"))
        #expect(fixture.read("f.txt", in: snapshot.directory) == text)
    }

    @Test func missingContextNamesFileHunkAndShowsTheActualLines() throws {
        let (fixture, snapshot) = try snapshot(["src/app.py": "def f():\n    return 1\n\nprint(f())\n"])
        defer { snapshot.remove(); withExtendedLifetime(fixture) {} }
        let patch = "--- a/src/app.py\n+++ b/src/app.py\n@@ -1,2 +1,2 @@\n def f():\n-    return 2\n+    return 3\n"
        let error = try #require(throws: PatchError.self) { try snapshot.apply(patch: patch) }
        #expect(error.kind == .hunkNotFound)
        #expect(error.file == "src/app.py")
        #expect(error.hunk == 1 && error.hunkHeader == "@@ -1,2 +1,2 @@")
        #expect(error.expectedLines == ["def f():", "    return 2"])
        #expect(error.actualStartLine == 1 && error.actualLines == ["def f():", "    return 1"])
        #expect(error.description.contains("1 | def f():") && error.description.contains("2 |     return 1"))
    }

    @Test func neverHalfApplies() throws {
        let (fixture, snapshot) = try snapshot(["ok.txt": "one\n", "bad.txt": "two\n"])
        defer { snapshot.remove(); withExtendedLifetime(fixture) {} }
        let patch = """
        diff --git a/ok.txt b/ok.txt
        --- a/ok.txt
        +++ b/ok.txt
        @@ -1 +1 @@
        -one
        +ONE
        diff --git a/bad.txt b/bad.txt
        --- a/bad.txt
        +++ b/bad.txt
        @@ -1 +1 @@
        -not there
        +TWO

        """
        #expect(throws: PatchError.self) { try snapshot.apply(patch: patch) }
        #expect(fixture.read("ok.txt", in: snapshot.directory) == "one\n")
        #expect(fixture.read("bad.txt", in: snapshot.directory) == "two\n")
        #expect(try snapshot.changedFiles().isEmpty)
    }

    @Test func modelStylePatchWithoutGitHeaderWrongCountsAndBareBlankLines() throws {
        let (fixture, snapshot) = try snapshot(["m.py": "import os\n\ndef main():\n    pass\n"])
        defer { snapshot.remove(); withExtendedLifetime(fixture) {} }
        // No `diff --git`, counts claim 9 lines, the blank context line lost its leading space.
        let patch = "--- a/m.py\n+++ b/m.py\n@@ -1,9 +1,9 @@\n import os\n\n def main():\n-    pass\n+    print('hi')\n"
        let result = try snapshot.apply(patch: patch)
        #expect(result.filesChanged == ["m.py"])
        #expect(result.relocatedHunks.contains { $0.contains("header line counts corrected") })
        #expect(fixture.read("m.py", in: snapshot.directory) == "import os\n\ndef main():\n    print('hi')\n")
    }

    @Test func plainDiffCreatesAndDeletesFiles() throws {
        let (fixture, snapshot) = try snapshot(["old.txt": "bye\n"])
        defer { snapshot.remove(); withExtendedLifetime(fixture) {} }
        let patch = "--- /dev/null\n+++ b/pkg/new.txt\n@@ -0,0 +1,2 @@\n+hello\n+world\n--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n"
        let result = try snapshot.apply(patch: patch)
        #expect(result.filesChanged == ["old.txt", "pkg/new.txt"])
        #expect(fixture.read("pkg/new.txt", in: snapshot.directory) == "hello\nworld\n")
        #expect(fixture.read("old.txt", in: snapshot.directory) == nil)
    }

    @Test func checkOnlyChangesNothingButReportsFailures() throws {
        let (fixture, snapshot) = try snapshot(["f.txt": Self.twenty])
        defer { snapshot.remove(); withExtendedLifetime(fixture) {} }
        let good = "diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@\n-line 1\n+first\n"
        #expect(try snapshot.apply(patch: good, checkOnly: true).filesChanged == ["f.txt"])
        #expect(fixture.read("f.txt", in: snapshot.directory) == Self.twenty)
        let bad = "diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@\n-line 99\n+x\n"
        #expect(throws: PatchError.self) { try snapshot.apply(patch: bad, checkOnly: true) }
    }

    @Test func createOfExistingFileAndEditOfMissingFileAreNamed() throws {
        let (fixture, snapshot) = try snapshot(["here.txt": "x\n"])
        defer { snapshot.remove(); withExtendedLifetime(fixture) {} }
        let create = try #require(throws: PatchError.self) {
            try snapshot.apply(patch: "--- /dev/null\n+++ b/here.txt\n@@ -0,0 +1 @@\n+y\n")
        }
        #expect(create.kind == .fileState && create.file == "here.txt")
        let edit = try #require(throws: PatchError.self) {
            try snapshot.apply(patch: "--- a/nowhere.txt\n+++ b/nowhere.txt\n@@ -1 +1 @@\n-x\n+y\n")
        }
        #expect(edit.kind == .fileState && edit.file == "nowhere.txt")
        let garbage = try #require(throws: PatchError.self) { try snapshot.apply(patch: "just some prose\n") }
        #expect(garbage.kind == .unparsable)
    }

    @Test func laterPatchesEditAndDeleteFilesEarlierPatchesCreated() throws {
        let (fixture, snapshot) = try snapshot(["base.txt": "b\n"])
        defer { snapshot.remove(); withExtendedLifetime(fixture) {} }
        _ = try snapshot.apply(patch: "diff --git a/made.txt b/made.txt\nnew file mode 100644\n--- /dev/null\n+++ b/made.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n")
        _ = try snapshot.apply(patch: "diff --git a/made.txt b/made.txt\n--- a/made.txt\n+++ b/made.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n")
        #expect(fixture.read("made.txt", in: snapshot.directory) == "one\nTWO\n")
        try fixture.write("by-hand.txt", "x\n", inSnapshot: snapshot)
        _ = try snapshot.apply(patch: "diff --git a/by-hand.txt b/by-hand.txt\ndeleted file mode 100644\n--- a/by-hand.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n")
        #expect(fixture.read("by-hand.txt", in: snapshot.directory) == nil)
        #expect(try snapshot.changedFiles() == ["made.txt"])
    }

    @Test func relocationWorksForQuotedUnicodeAndSpacedPaths() throws {
        let (fixture, snapshot) = try snapshot(["café/naïve.txt": Self.twenty, "dir with space/a b.txt": Self.twenty])
        defer { snapshot.remove(); withExtendedLifetime(fixture) {} }
        // git's quoting for non-ASCII names and its trailing tab for names with spaces; stale line numbers.
        let patch = """
        diff --git "a/caf\\303\\251/na\\303\\257ve.txt" "b/caf\\303\\251/na\\303\\257ve.txt"
        --- "a/caf\\303\\251/na\\303\\257ve.txt"
        +++ "b/caf\\303\\251/na\\303\\257ve.txt"
        @@ -1,2 +1,2 @@
         line 14
        -line 15
        +fifteen
        diff --git a/dir with space/a b.txt b/dir with space/a b.txt
        --- a/dir with space/a b.txt\t
        +++ b/dir with space/a b.txt\t
        @@ -1,2 +1,2 @@
         line 4
        -line 5
        +five

        """
        let result = try snapshot.apply(patch: patch)
        #expect(result.filesChanged == ["café/naïve.txt", "dir with space/a b.txt"])
        #expect(result.relocatedHunks.count == 2)
        #expect(fixture.read("café/naïve.txt", in: snapshot.directory)?.contains("fifteen\n") == true)
        #expect(fixture.read("dir with space/a b.txt", in: snapshot.directory)?.contains("five\n") == true)
    }

    @Test func secondHunkFollowsTheFirstOnesShift() throws {
        let (fixture, snapshot) = try snapshot(["f.txt": Self.twenty])
        defer { snapshot.remove(); withExtendedLifetime(fixture) {} }
        // Both hunks are 5 lines off (as when the model's view of the file was stale).
        let patch = "--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n line 6\n-line 7\n+seven\n@@ -10,2 +10,2 @@\n line 15\n-line 16\n+sixteen\n"
        let result = try snapshot.apply(patch: patch)
        #expect(result.relocatedHunks.count == 2)
        let text = try #require(fixture.read("f.txt", in: snapshot.directory))
        #expect(text.contains("seven\n") && text.contains("sixteen\n") && !text.contains("line 7\n"))
    }
}
