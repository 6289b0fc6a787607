import ChildProcess
import Foundation
import JSONValue
import ModelClient
import ModelTestSupport
import Testing

/// `fixpoint fix` end to end against a scripted model server: what "verified" means at the exit code.
@Suite struct VerifiedFixCLITests {
    static func call(_ name: String, _ arguments: JSON) -> ChatScript {
        ChatScript(toolCalls: [ToolCall(id: "call_\(UUID().uuidString.prefix(8))", name: name, arguments: arguments.serialized())])
    }

    static func repo(_ files: [String: String]) async throws -> String {
        let dir = try temporaryFolder("fp-cli-verify")
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        let r = try await ChildProcess.shell("git init -q && git add -A && git -c user.name=t -c user.email=t@e commit -qm base", in: dir)
        #expect(r.status == .exited(0))
        return dir
    }

    static let pythonBug = [
        "calc.py": "def add(a, b):\n    return a - b\n",
        "test_calc.py": "from calc import add\n\ndef test_add():\n    assert add(2, 3) == 5\n",
        "run_tests.sh": "python3 -c 'import test_calc; test_calc.test_add(); print(\"1 passed\")'\n",
    ]

    /// Issue #10's exploit: the model rewrites the test's expectation to the buggy value and submits
    /// twice. Not verified, exit 1, and --apply writes nothing.
    @Test func aTestOnlyFixExits1AndApplyWritesNothing() async throws {
        let dir = try await Self.repo(Self.pythonBug)
        let report = dir + ".report.json"
        defer { try? FileManager.default.removeItem(atPath: dir); try? FileManager.default.removeItem(atPath: report) }
        let server = try LoopbackServer.chatServer(turns: [
            Self.call("edit_file", ["path": "test_calc.py", "old_text": "== 5", "new_text": "== -1"]),
            Self.call("submit", ["summary": "the test passes now"]),
            Self.call("submit", ["summary": "the test passes now"]),
        ])
        defer { server.stop() }
        let r = try await CLI.run(["fix", "--repo", dir, "--issue", "add() subtracts", "--test-cmd", "sh run_tests.sh",
                                   "--model-url", server.baseURL, "--action-mode", "native", "--max-steps", "6",
                                   "--apply", "--report", report])
        #expect(r.code == 1, "stderr: \(r.err)")
        let json = try JSON.parse(String(contentsOfFile: report, encoding: .utf8))
        #expect(json["status"] == "unverified")
        #expect(json["tests"]?["test_files_touched"] == ["test_calc.py"])
        #expect(json["patch"]?.stringValue?.contains("== -1") == true)
        #expect(try String(contentsOfFile: dir + "/test_calc.py", encoding: .utf8) == Self.pythonBug["test_calc.py"])
        let status = try await ChildProcess.shell("git status --porcelain", in: dir)
        #expect(status.stdoutText.isEmpty)
    }

    /// --fail-to-pass names the target; the report lists what passed, what still fails, and the rule used.
    @Test func failToPassNamesTheTarget() async throws {
        let dir = try await Self.repo([
            "calc.py": "def add(a, b):\n    return a - b\n",
            "test_calc.py": """
                import unittest
                from calc import add

                class CalcTests(unittest.TestCase):
                    def test_add(self):
                        self.assertEqual(add(2, 3), 5)

                    def test_print(self):
                        self.fail("no printer attached")

                """,
        ])
        let report = dir + ".report.json"
        defer { try? FileManager.default.removeItem(atPath: dir); try? FileManager.default.removeItem(atPath: report) }
        let server = try LoopbackServer.chatServer(turns: [
            Self.call("edit_file", ["path": "calc.py", "old_text": "a - b", "new_text": "a + b"]),
            Self.call("submit", ["summary": "add adds"]),
        ])
        defer { server.stop() }
        let r = try await CLI.run(["fix", "--repo", dir, "--issue", "add() subtracts", "--test-cmd", "python3 -m unittest -v",
                                   "--model-url", server.baseURL, "--action-mode", "native", "--max-steps", "4", "--repair-samples", "0",
                                   "--fail-to-pass", "test_add (test_calc.CalcTests)", "--report", report])
        #expect(r.code == 0, "stderr: \(r.err)")
        let tests = try JSON.parse(String(contentsOfFile: report, encoding: .utf8))["tests"]
        #expect(tests?["verification"] == "tests")
        #expect(tests?["fail_to_pass"] == ["test_add (test_calc.CalcTests)"])
        #expect(tests?["still_failing"] == [])
        #expect(tests?["pass_to_pass_broken"] == [])
        // The report's time split, and the same split in the closing summary.
        let timing = try JSON.parse(String(contentsOfFile: report, encoding: .utf8))["timing"]
        for key in ["wall_s", "model_s", "tools_s", "model_start_s", "tests_before_s", "verification_s", "harness_s"] {
            #expect((timing?[key]?.doubleValue ?? -1) >= 0, "\(key) in \(timing.map { $0.serialized() } ?? "no timing")")
        }
        #expect((timing?["verification_s"]?.doubleValue ?? 0) > 0)
        #expect(r.err.contains("  time: model "), "stderr: \(r.err)")
        #expect(r.err.contains(", harness "), "stderr: \(r.err)")
    }
}
