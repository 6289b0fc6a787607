import ChildProcess
import Foundation
import ModelClient
import ModelTestSupport
import Testing

/// `fixpoint fix` leaves no snapshot behind once it has exited: not the base, not a trajectory's copy,
/// not a verification copy — with its own FIXPOINT_CACHE, so the folder is this test's alone.
@Suite struct SnapshotCleanupCLITests {
    @Test func aHeavyFixLeavesNoSnapshotWhenItExits() async throws {
        let dir = try temporaryFolder("fp-cli-cleanup")
        let cache = try temporaryFolder("fp-cli-cleanup-cache")
        defer {
            try? FileManager.default.removeItem(atPath: dir)
            try? FileManager.default.removeItem(atPath: cache)
        }
        try await makeCalcRepository(in: dir)
        func call(_ name: String, _ arguments: String) -> ChatScript {
            ChatScript(toolCalls: [ToolCall(id: "\(name):\(UUID().uuidString.prefix(6))", name: name, arguments: arguments)])
        }
        let edit = call("edit_file", #"{"path":"calc.py","old_text":"return a - b","new_text":"return a + b"}"#)
        let submit = call("submit", #"{"summary":"add adds"}"#)
        // Two trajectories take turns from one script: each edits (or finds it edited) and submits.
        let server = try LoopbackServer.chatServer(turns: [edit, edit, submit, submit, submit, submit], slots: 2)
        let r = try await CLI.run(
            ["fix", "--repo", dir, "--issue", "add() subtracts", "--test-cmd", "python3 test_calc.py",
             "--model-url", server.baseURL + "/v1", "--heavy", "2", "--max-steps", "6"],
            env: ["FIXPOINT_CACHE": cache, "FIXPOINT_SNAPSHOT_DIR": ""])
        #expect(r.code == 0 || r.code == 1, "stderr: \(r.err)")
        let snapshots = cache + "/snapshots"
        #expect(FileManager.default.fileExists(atPath: snapshots), "the run made no snapshot there: \(r.err)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: snapshots)) ?? []
        #expect(left.isEmpty, "left behind: \(left)")
        #expect(!server.chatRequests.isEmpty)
    }
}
