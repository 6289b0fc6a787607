import ChildProcess
import Foundation
import ModelClient
import ModelTestSupport
import Testing

/// A `fixpoint fix` killed with SIGKILL mid-run leaves its snapshot behind (no code of it runs); the next
/// `fixpoint fix` removes it — but never the snapshot of a run that is still going.
@Suite struct KilledRunCleanupCLITests {
    @Test func theNextRunRemovesAKilledRunsSnapshotButNotALiveOnes() async throws {
        let dir = try temporaryFolder("fp-cli-killed")
        let cache = try temporaryFolder("fp-cli-killed-cache")
        defer {
            try? FileManager.default.removeItem(atPath: dir)
            try? FileManager.default.removeItem(atPath: cache)
        }
        try await makeCalcRepository(in: dir)
        let env = ProcessInfo.processInfo.environment.merging(["FIXPOINT_CACHE": cache, "FIXPOINT_SNAPSHOT_DIR": ""]) { $1 }
        let snapshots = cache + "/snapshots"
        func entries() -> Set<String> { Set((try? FileManager.default.contentsOfDirectory(atPath: snapshots)) ?? []) }

        // A run whose model never answers: it sits mid-run with its snapshot on disk until it is killed.
        let hung = try LoopbackServer.chatServer(turns: []) { _, _ in .hang }
        func launchHungRun(_ name: String) async throws -> RunningProcess {
            var spec = ProcessSpec(executable: CLI.binary, arguments: [
                "fix", "--repo", dir, "--issue", "add() subtracts", "--test-cmd", "python3 test_calc.py",
                "--model-url", hung.baseURL + "/v1"])
            spec.environment = env
            return try await ChildProcess.launch(spec, logPath: cache + "/\(name).log")
        }
        func waitUntilAsking(_ requests: Int) async throws {
            for _ in 0..<600 where hung.chatRequests.count < requests { try await Task.sleep(for: .milliseconds(100)) }
            try #require(hung.chatRequests.count >= requests, "the run never reached the model")
        }

        let killed = try await launchHungRun("killed")
        // Until it is reaped the pid is still our child's, never another process's.
        defer { if killed.exitStatus == nil { kill(killed.pid, SIGKILL) } }
        try await waitUntilAsking(1)
        let killedRunsEntries = entries()
        #expect(killedRunsEntries.count == 4, "a snapshot folder, its object store and their owner records: \(killedRunsEntries)")
        kill(killed.pid, SIGKILL)
        _ = await killed.waitForExit()
        #expect(entries() == killedRunsEntries, "SIGKILL runs no cleanup: the snapshot is left behind")

        let live = try await launchHungRun("live")
        defer { if live.exitStatus == nil { kill(live.pid, SIGKILL) } }
        try await waitUntilAsking(2)
        let liveRunsEntries = entries().subtracting(killedRunsEntries)
        #expect(liveRunsEntries.count == 4, "\(entries())")

        // A third run, to its end: it removes the killed run's snapshot at its start, not the live run's.
        let edit = ChatScript(toolCalls: [ToolCall(id: "call_1", name: "edit_file",
                                                   arguments: #"{"path":"calc.py","old_text":"return a - b","new_text":"return a + b"}"#)])
        let submit = ChatScript(toolCalls: [ToolCall(id: "call_2", name: "submit", arguments: #"{"summary":"fixed"}"#)])
        let server = try LoopbackServer.chatServer(turns: [edit, submit])
        let r = try await CLI.run(["fix", "--repo", dir, "--issue", "add() subtracts", "--test-cmd", "python3 test_calc.py",
                                   "--model-url", server.baseURL + "/v1"], env: ["FIXPOINT_CACHE": cache, "FIXPOINT_SNAPSHOT_DIR": ""])
        #expect(r.code == 0, "stderr: \(r.err)")
        #expect(entries() == liveRunsEntries, "left: \(entries()); the live run's: \(liveRunsEntries)")

        kill(live.pid, SIGKILL)
        _ = await live.waitForExit()
        let next = try await CLI.run(["fix", "--repo", dir, "--issue", "add() subtracts", "--test-cmd", "python3 test_calc.py",
                                      "--model-url", "http://127.0.0.1:1/v1"], env: ["FIXPOINT_CACHE": cache, "FIXPOINT_SNAPSHOT_DIR": ""])
        #expect(next.code == 3, "an unreachable model: \(next.err)")
        #expect(entries().isEmpty, "even a run that cannot reach its model cleans up first: \(entries())")
    }
}
