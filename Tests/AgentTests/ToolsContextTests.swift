import JSONValue
import Locking
import Testing

@testable import Agent

/// The thin tools forward to the loop's closures; these check what goes in and what comes back.
@Suite struct ToolsContextTests {
    final class Calls: Sendable {
        let seen = Locked<[String]>([])
        func record(_ s: String) { seen.withLock { $0.append(s) } }
        var all: [String] { seen.withLock { $0 } }
    }

    func context(_ f: ToolsFixture, _ calls: Calls, commands: Bool = true) throws -> ToolContext {
        ToolContext(
            workspace: try f.workspace(),
            runTests: { args in calls.record("tests:\(args ?? "nil")"); return "2 passed" },
            runCommand: commands ? { @Sendable command in calls.record("cmd:\(command)"); return "exit 0" } : nil,
            gitDiff: { () async throws(ToolError) -> String in calls.record("diff"); return "" },
            applyPatch: { (patch: String) async throws(ToolError) -> String in
                calls.record("patch:\(patch)")
                if patch.contains("bad") { throw ToolError("patch does not apply: hunk 1 failed") }
                return "Applied to 1 file"
            })
    }

    @Test func runTestsPassesExtraArgumentsOrNil() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        let calls = Calls()
        let ctx = try context(f, calls)
        #expect(try await f.call("run_tests", [:], context: ctx) == "2 passed")
        #expect(try await f.call("run_tests", ["args": "  "], context: ctx) == "2 passed")
        #expect(try await f.call("run_tests", ["args": "-k divide"], context: ctx) == "2 passed")
        #expect(calls.all == ["tests:nil", "tests:nil", "tests:-k divide"])
    }

    @Test func runCommandIsRefusedWhenDisabled() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        let calls = Calls()
        #expect(try await f.call("run_command", ["command": "ls"], context: try context(f, calls)) == "exit 0")
        let off = try #require(await f.failure("run_command", ["command": "ls"], context: try context(f, calls, commands: false)))
        #expect(off.contains("disabled"))
        #expect(await f.failure("run_command", ["command": " "], context: try context(f, calls)) == "command is empty")
        #expect(calls.all == ["cmd:ls"])
    }

    @Test func applyPatchAndGitDiffForwardResultsAndErrors() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        let calls = Calls()
        let ctx = try context(f, calls)
        #expect(try await f.call("apply_patch", ["patch": "--- a/x\n+++ b/x\n"], context: ctx) == "Applied to 1 file")
        #expect(await f.failure("apply_patch", ["patch": "bad"], context: ctx) == "patch does not apply: hunk 1 failed")
        #expect(await f.failure("apply_patch", ["patch": "\n"], context: ctx)?.contains("patch is empty") == true)
        #expect(try await f.call("git_diff", [:], context: ctx) == "No changes yet.")
        #expect(calls.all == ["patch:--- a/x\n+++ b/x\n", "patch:bad", "diff"])
    }

    @Test func defaultsSayWhatIsUnavailable() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        #expect(await f.failure("git_diff", [:])?.contains("not available") == true)
        #expect(await f.failure("apply_patch", ["patch": "x"])?.contains("use edit_file") == true)
        #expect(try await f.call("submit", ["summary": "fixed the off-by-one"]) == SubmitTool.acknowledgement)
        #expect(await f.failure("submit", [:])?.contains("summary") == true)
    }
}
