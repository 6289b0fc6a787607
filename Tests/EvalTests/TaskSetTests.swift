import Foundation
import JSONValue
import Testing

@testable import Eval

/// A class suite: each test gets its own instance, whose scratch folder goes at deinit.
@Suite final class TaskSetTests {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fp-taskset-\(UUID().uuidString)").path

    deinit { try? FileManager.default.removeItem(atPath: scratch) }

    /// `text` as a file named `tasks` in a folder of its own under `scratch`.
    func write(_ text: String) throws -> String {
        let dir = scratch + "/" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try text.write(toFile: dir + "/tasks", atomically: true, encoding: .utf8)
        return dir + "/tasks"
    }

    @Test func readsSWEBenchInstancesAsTheDatasetShipsThem() throws {
        // FAIL_TO_PASS / PASS_TO_PASS as JSON text inside a string, as in SWE-bench's files.
        let line = #"{"instance_id": "astropy__astropy-12907", "repo": "astropy/astropy", "base_commit": "d16bfe05a744909de4b27f5875fe0d4ed41ce607", "problem_statement": "bug", "FAIL_TO_PASS": "[\"astropy/tests/test_a.py::test_x\"]", "PASS_TO_PASS": "[]", "test_patch": "diff --git a/x b/x\n", "version": "4.3", "repo_path": "repos/astropy", "setup": "pip install -e .", "test_cmd": "pytest -rA"}"#
        let path = try write(line + "\n\n")
        let tasks = try TaskSet.load(path)
        #expect(tasks.count == 1)
        let t = tasks[0]
        #expect(t.failToPass == ["astropy/tests/test_a.py::test_x"] && t.passToPass.isEmpty)
        #expect(t.repoPath == URL(fileURLWithPath: path).deletingLastPathComponent().path + "/repos/astropy")
        #expect(t.setup == ["pip install -e ."] && t.testCommand == "pytest -rA" && t.baseCommit.hasPrefix("d16bfe"))
    }

    @Test func readsAJSONListWithPlainArrays() throws {
        let path = try write(#"[{"instance_id": "a", "problem_statement": "x", "FAIL_TO_PASS": ["t1"], "repo_path": "/abs"}, {"instance_id": "b", "problem_statement": "y"}]"#)
        let tasks = try TaskSet.load(path)
        #expect(tasks.map(\.instanceID) == ["a", "b"])
        #expect(tasks[0].failToPass == ["t1"] && tasks[0].repoPath == "/abs" && tasks[1].repoPath == nil)
    }

    @Test func badFilesSayWhatIsWrong() throws {
        #expect(throws: EvalError.self) { try TaskSet.load(try write(#"{"instance_id": "a"}"#)) }
        let dup = try write(#"{"instance_id": "a", "problem_statement": "x"}"# + "\n" + #"{"instance_id": "a", "problem_statement": "y"}"#)
        do { _ = try TaskSet.load(dup); Issue.record("accepted a duplicate") } catch { #expect(error.description.contains("appears twice")) }
        #expect(throws: EvalError.self) { try TaskSet.load(try write("not json\n")) }
    }

    @Test func shardsSplitTheSetWithoutOverlap() throws {
        let tasks = (0..<7).map { EvalTask(instanceID: "t\($0)", problemStatement: "p", repoPath: "/r", testCommand: "true") }
        var seen: [String] = []
        for i in 0..<3 { seen += TaskSet.select(tasks, only: [], shard: try TaskSet.Shard(parsing: "\(i)/3")).map(\.instanceID) }
        #expect(seen.sorted() == tasks.map(\.instanceID).sorted())
        #expect(TaskSet.select(tasks, only: ["t3", "t5"], shard: nil).map(\.instanceID) == ["t3", "t5"])
        #expect(throws: EvalError.self) { try TaskSet.Shard(parsing: "3/3") }
    }
}

@Suite struct SARIFHunkTests {
    @Test func newAndDeletedFilesBecomeWholeLineReplacements() {
        let patch = "diff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n"
            + "diff --git a/old.txt b/old.txt\ndeleted file mode 100644\n--- a/old.txt\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\n"
        let changes = SARIFReport.artifactChanges(patch)
        #expect(changes.count == 2)
        #expect(changes[0]["replacements"]?[0] == ["deletedRegion": ["startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1],
                                                   "insertedContent": ["text": "one\ntwo\n"]])
        #expect(changes[1]["replacements"]?[0] == ["deletedRegion": ["startLine": 1, "startColumn": 1, "endLine": 3, "endColumn": 1]])
    }
}
