import ChildProcess
import Foundation
import JSONValue
import ModelClient
import ModelTestSupport
import Testing

/// `fixpoint eval` end to end over the repository's own fixtures (fixtures/eval/fixtures.jsonl), with
/// a scripted model server: the same code path as `fix`, the independent judge, and every report.
@Suite struct EvalCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let tasks = root + "/fixtures/eval/fixtures.jsonl"

    static func call(_ name: String, _ arguments: JSON) -> ChatScript {
        ChatScript(toolCalls: [ToolCall(id: "call_\(UUID().uuidString.prefix(8))", name: name, arguments: arguments.serialized())])
    }
    static let pythonFix = [
        call("edit_file", ["path": "numbers_util.py", "old_text": "return n % 2 == 1", "new_text": "return n % 2 == 0"]),
        call("submit", ["summary": "is_even checks the remainder against 0"]),
    ]
    static let nodeFix = [
        call("edit_file", ["path": "src/slugify.js", "old_text": ".replace(/[^a-z0-9]+/g, \"-\");",
                           "new_text": ".replace(/[^a-z0-9]+/g, \"-\")\n    .replace(/^-+|-+$/g, \"\");"]),
        call("submit", ["summary": "trim hyphens"]),
    ]

    static func eval(_ extra: [String], turns: [ChatScript], out: String) async throws -> (code: Int32, out: String, err: String) {
        let server = try LoopbackServer.chatServer(turns: turns)
        defer { server.stop() }
        return try await CLI.run(["eval", tasks, "--out", out, "--model-url", server.baseURL, "--model", "scripted-model",
                                  "--action-mode", "native", "--max-steps", "6", "--repair-samples", "0"] + extra, timeout: 300)
    }

    static func python() -> String {
        let venv = (ProcessInfo.processInfo.environment["FIXPOINT_CACHE"] ?? NSHomeDirectory() + "/.cache/fixpoint") + "/venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }

    @Test func evalRunsTheFixturesAndWritesEveryReport() async throws {
        let out = try temporaryFolder("fp-eval")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try await Self.eval(["--jobs", "1"], turns: Self.pythonFix + Self.nodeFix, out: out)
        #expect(r.code == 0, "stderr: \(r.err)")
        #expect(r.err.contains("fixpoint__python-bug-1") && r.err.contains("total 2"))

        let results = try JSON.parse(String(contentsOfFile: out + "/results.json", encoding: .utf8))
        #expect(results["summary"]?["total"] == 2)
        #expect(results["summary"]?["resolved"] == 2, "\(results)")
        #expect(results["summary"]?["verified"] == 2)
        #expect(results["summary"]?["verified_not_resolved"] == 0)
        let python = results["tasks"]?.arrayValue?.first
        #expect(python?["judgement"]?["fail_to_pass_passed"] == ["test_is_even (test_numbers.NumbersTest)"])
        #expect(python?["tests"]?["verification"] == "tests")

        let predictions = try String(contentsOfFile: out + "/predictions.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(predictions.count == 2)
        let first = try JSON.parse(String(predictions[0]))
        #expect(first["instance_id"] == "fixpoint__python-bug-1" && first["model_name_or_path"] == "scripted-model")
        #expect(first["model_patch"]?.stringValue?.contains("n % 2 == 0") == true)

        // JUnit XML read back by a JUnit library (PyPI junitparser, installed by scripts/setup).
        let script = """
            import sys, junitparser
            xml = junitparser.JUnitXml.fromfile(sys.argv[1])
            for suite in xml:
                for case in suite:
                    print(case.name, "passed" if case.is_passed else "failed")
            """
        let parsed = try await ChildProcess.shell("\(Self.python()) -c '\(script)' \(out)/junit.xml")
        #expect(parsed.status == .exited(0), "junitparser: \(parsed.stdoutText) (run scripts/setup --only python)")
        #expect(parsed.stdoutText == "fixpoint__python-bug-1 passed\nfixpoint__node-slugify-1 passed\n")

        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("fixpoint__node-slugify-1") && html.contains("resolved (judge)") && html.contains("class=\"add\""))

        // The page renders in headless Chromium (Debian `chromium`, installed by scripts/setup).
        let png = out + "/report.png"
        let shot = try await ChildProcess.shell(
            "chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1100 --screenshot=\(png) file://\(out)/report.html",
            timeout: 120)
        #expect(shot.status == .exited(0), "chromium: \(shot.stdoutText)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) && bytes.count > 20_000, "a PNG with content, got \(bytes.count) bytes")
        // FIXPOINT_EVAL_SCREENSHOT=path keeps the picture (docs/images/eval-report.png is made this way).
        if let keep = ProcessInfo.processInfo.environment["FIXPOINT_EVAL_SCREENSHOT"], !keep.isEmpty {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: png, toPath: keep)
        }
    }

    @Test func shardsRunApartAndMergeIntoOne() async throws {
        let (a, b, merged) = (try temporaryFolder("fp-eval-a"), try temporaryFolder("fp-eval-b"), try temporaryFolder("fp-eval-m"))
        defer { for d in [a, b, merged] { try? FileManager.default.removeItem(atPath: d) } }
        let first = try await Self.eval(["--shard", "0/2"], turns: Self.pythonFix, out: a)
        let second = try await Self.eval(["--shard", "1/2"], turns: [Self.call("submit", ["summary": "nothing to do"])] + Self.nodeFix.suffix(1), out: b)
        #expect(first.code == 0 && second.code == 0, "\(first.err)\n\(second.err)")
        let m = try await CLI.run(["eval", "merge", a, b, "--out", merged])
        #expect(m.code == 0, "\(m.err)")
        let results = try JSON.parse(String(contentsOfFile: merged + "/results.json", encoding: .utf8))
        #expect(results["tasks"]?.arrayValue?.map { $0["instance_id"] } == ["fixpoint__python-bug-1", "fixpoint__node-slugify-1"])
        #expect(results["summary"]?["resolved"] == 1)  // the second shard's model changed nothing
        #expect(FileManager.default.fileExists(atPath: merged + "/junit.xml") && FileManager.default.fileExists(atPath: merged + "/report.html"))
        // Merging a folder twice would count a task twice: refused.
        #expect(try await CLI.run(["eval", "merge", a, a, "--out", merged]).code == 2)
    }

    @Test func badTaskFilesAreUsageErrors() async throws {
        let dir = try temporaryFolder("fp-eval-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "{\"instance_id\": \"x\"}\n".write(toFile: dir + "/t.jsonl", atomically: true, encoding: .utf8)
        let r = try await CLI.run(["eval", dir + "/t.jsonl", "--out", dir + "/out"])
        #expect(r.code == 2)
        #expect(r.err.contains("task 1: 'problem_statement' is missing"))
        let shard = try await CLI.run(["eval", Self.tasks, "--out", dir + "/out", "--shard", "2/2"])
        #expect(shard.code == 2 && shard.err.contains("--shard"))
    }
}
