import Foundation
import Testing
@testable import Git
import BlockingTestSupport

/// A repository can carry commands that git runs for it: hooks, clean/smudge filters, an fsmonitor,
/// a hooks path. Fixpoint reads repositories with libgit2 only, which runs none of them: snapshots,
/// forks, patches, diffs and writing the result back leave no trace of any.
@Suite(.offTheCooperativePool) struct RepositoryControlledExecutionTests {
    @Test func hooksFiltersAndFsmonitorNeverRun() throws {
        let f = try Fixture(files: ["calc.py": "def add(a, b):\n    return a - b\n", "notes.txt": "notes\n"])
        let markers = f.scratch.path + "/markers"
        try FileManager.default.createDirectory(atPath: markers, withIntermediateDirectories: true)
        // Armed after the fixture's own commit, so the git CLI creating it runs none of them either.
        let hook = { (name: String) in "#!/bin/sh\ntouch '\(markers)/\(name)'\n" }
        let hookNames = ["post-checkout", "pre-commit", "post-commit", "post-merge", "pre-applypatch", "post-applypatch",
                         "reference-transaction", "post-index-change", "fsmonitor-watchman"]
        for name in hookNames {
            try f.write(".git/hooks/" + name, hook(name))
            try f.write("hookdir/" + name, hook("hooksPath-" + name))
            chmod(f.repo + "/.git/hooks/" + name, 0o755)
            chmod(f.repo + "/hookdir/" + name, 0o755)
        }
        try f.write(".gitattributes", "* filter=evil diff=evil\n")
        let config = """
            [filter "evil"]
            \tclean = sh -c 'touch \(markers)/clean; cat'
            \tsmudge = sh -c 'touch \(markers)/smudge; cat'
            \tprocess = sh -c 'touch \(markers)/process'
            [diff "evil"]
            \ttextconv = sh -c 'touch \(markers)/textconv; cat'
            [core]
            \tfsmonitor = sh -c 'touch \(markers)/fsmonitor'
            \thooksPath = \(f.repo)/hookdir
            \tsshCommand = sh -c 'touch \(markers)/ssh'
            \tpager = sh -c 'touch \(markers)/pager'
            """
        let configPath = f.repo + "/.git/config"
        try (String(contentsOfFile: configPath, encoding: .utf8) + "\n" + config + "\n").write(toFile: configPath, atomically: false, encoding: .utf8)
        try f.write("calc.py", "def add(a, b):\n    return a - b  # uncommitted\n")

        // Everything a run does with the user's repository and its snapshots.
        let base = try f.snapshot()
        let fork = try base.fork()
        let patch = """
            --- a/calc.py
            +++ b/calc.py
            @@ -1,2 +1,2 @@
             def add(a, b):
            -    return a - b  # uncommitted
            +    return a + b
            """ + "\n"
        _ = try fork.apply(patch: patch)
        let diff = try fork.diff()
        #expect(diff.contains("+    return a + b"))
        _ = try fork.changedFiles()
        let clean = try base.fork()
        _ = try clean.apply(patch: diff)
        let written = try applyToUserRepository(patch: diff, snapshot: base)
        #expect(written == ["calc.py"])
        #expect(f.read("calc.py") == "def add(a, b):\n    return a + b\n")
        fork.remove(); clean.remove(); base.remove()

        let ran = try FileManager.default.contentsOfDirectory(atPath: markers)
        #expect(ran.isEmpty, "repository-controlled commands ran: \(ran)")
        // The markers would be written by git itself: the test can fail.
        try run(["git", "status", "--short"], in: f.repo, check: false)
        let gitRan = try FileManager.default.contentsOfDirectory(atPath: markers)
        #expect(!gitRan.isEmpty, "the git CLI should have run the fsmonitor or a filter")
    }

    /// apply_patch's path: a patch that writes through a committed link to /etc or the home is refused.
    @Test func patchesThroughLinksOutOfTheSnapshotAreRefused() throws {
        let f = try Fixture(files: ["a.txt": "a\n"])
        let home = NSHomeDirectory()
        try FileManager.default.createSymbolicLink(atPath: f.repo + "/etc", withDestinationPath: "/etc")
        try FileManager.default.createSymbolicLink(atPath: f.repo + "/home", withDestinationPath: home)
        try f.git("add", "-A"); try f.git("commit", "-qm", "links")
        let probe = "fixpoint-escape-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: "/etc/" + probe); try? FileManager.default.removeItem(atPath: home + "/" + probe) }
        let base = try f.snapshot()
        defer { base.remove() }
        for link in ["etc", "home"] {
            let patch = "--- /dev/null\n+++ b/\(link)/\(probe)\n@@ -0,0 +1 @@\n+pwned\n"
            #expect(throws: (any Error).self, "a patch through \(link) was applied") { try base.apply(patch: patch) }
        }
        #expect(!FileManager.default.fileExists(atPath: "/etc/" + probe))
        #expect(!FileManager.default.fileExists(atPath: home + "/" + probe))
    }
}
