import ChildProcess
import Foundation
import JSONValue
import ModelClient
import ModelTestSupport
import Testing

/// What a killed run's checkpoint survives, and what it must not: a resume that fails before its first
/// step (the model server not up yet) leaves the run resumable; the resumed run tests with the command
/// the killed run used, not fixpoint.toml's; a new run on the same journal path is not "resumable" from
/// the previous run's checkpoint; `--resume A --trajectory B` leaves nothing of A to resume.
@Suite struct ResumeRecoveryCLITests {
    static let turns = ResumeCLITests.turns
    static let unreachable = "http://127.0.0.1:1/v1"

    /// A repository whose fixpoint.toml names a test command that always fails, and a run of it (given
    /// the real test command on the command line) killed while the model works on step 2.
    struct Killed {
        let dir: String, cache: String, journal: String, env: [String: String]
        func remove() {
            try? FileManager.default.removeItem(atPath: dir)
            try? FileManager.default.removeItem(atPath: cache)
        }
    }

    static func killedRun(_ name: String) async throws -> Killed {
        let dir = try temporaryFolder("fp-cli-\(name)")
        let cache = try temporaryFolder("fp-cli-\(name)-cache")
        let setup = "printf 'def add(a, b):\\n    return a - b\\n' > calc.py && "
            + "printf 'from calc import add\\nassert add(2, 3) == 5\\n' > test_calc.py && "
            + "printf 'testCommand = \"exit 1\"\\n' > fixpoint.toml && "
            + "git init -q && git add . && git -c user.name=t -c user.email=t@e commit -qm base"
        _ = try await ChildProcess.shell(setup, in: dir)
        let env = ["FIXPOINT_CACHE": cache, "FIXPOINT_SNAPSHOT_DIR": ""]
        let first = try LoopbackServer.chatServer(turns: turns) { _, chatNumber in chatNumber == 1 ? .hang : nil }
        let journal = cache + "/run.jsonl"
        var spec = ProcessSpec(executable: CLI.binary, arguments: ["fix", "--repo", dir, "--issue", "add() subtracts", "--test-cmd",
                                                                   "python3 test_calc.py", "--model-url", first.baseURL, "--trajectory", journal])
        spec.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let process = try await ChildProcess.launch(spec, logPath: cache + "/killed.log")
        defer { if process.exitStatus == nil { kill(process.pid, SIGKILL) } }
        // The second request is sent after step 1's checkpoint was saved.
        for _ in 0..<600 where first.chatRequests.count < 2 { try await Task.sleep(for: .milliseconds(100)) }
        try #require(first.chatRequests.count == 2, "the run never reached step 2")
        kill(process.pid, SIGKILL)
        _ = await process.waitForExit()
        try #require(FileManager.default.fileExists(atPath: journal + ".checkpoint"))
        return Killed(dir: dir, cache: cache, journal: journal, env: env)
    }

    @Test func aResumeThatCannotReachTheModelLeavesTheRunResumableAndTheKilledRunsTestCommandIsUsed() async throws {
        let k = try await Self.killedRun("resume-unreachable")
        defer { k.remove() }
        let down = try await CLI.run(["fix", "--repo", k.dir, "--resume", k.journal, "--model-url", Self.unreachable], env: k.env)
        #expect(down.code == 3, "an unreachable model: \(down.err)")
        #expect(FileManager.default.fileExists(atPath: k.journal + ".checkpoint"), "the killed run's checkpoint is intact")

        let up = try LoopbackServer.chatServer(turns: Array(Self.turns.dropFirst(1)))
        let report = k.cache + "/resumed.json"
        let r = try await CLI.run(["fix", "--repo", k.dir, "--resume", k.journal, "--model-url", up.baseURL, "--report", report], env: k.env)
        #expect(!r.err.contains("already finished"), "a failed start is no finished run: \(r.err)")
        #expect(r.code == 0, "\(r.err)")
        let json = try JSON.parse(Array(FileManager.default.contents(atPath: report) ?? Data()))
        #expect(json["status"]?.stringValue == "verified", "tested with the killed run's command, not fixpoint.toml's")
        #expect(json["resumed_from_step"]?.intValue == 1)
    }

    @Test func aNewRunOnTheSameJournalIsNotResumableFromThePreviousRunsCheckpoint() async throws {
        let k = try await Self.killedRun("resume-fresh-journal")
        defer { k.remove() }
        let fresh = try await CLI.run(["fix", "--repo", k.dir, "--issue", "another issue", "--test-cmd", "python3 test_calc.py",
                                       "--model-url", Self.unreachable, "--trajectory", k.journal], env: k.env)
        #expect(fresh.code == 3, "\(fresh.err)")
        #expect(!FileManager.default.fileExists(atPath: k.journal + ".checkpoint"))
        let up = try LoopbackServer.chatServer(turns: Self.turns)
        let r = try await CLI.run(["fix", "--repo", k.dir, "--resume", k.journal, "--model-url", up.baseURL], env: k.env)
        #expect(r.code == 2, "\(r.err)")
        #expect(r.err.contains("already finished") || r.err.contains("no checkpoint"), "\(r.err)")
        #expect(up.chatRequests.isEmpty)
    }

    @Test func aRunResumedIntoAnotherJournalLeavesNothingOfTheKilledOneToResume() async throws {
        let k = try await Self.killedRun("resume-other-journal")
        defer { k.remove() }
        let up = try LoopbackServer.chatServer(turns: Array(Self.turns.dropFirst(1)))
        let other = k.cache + "/other.jsonl"
        let r = try await CLI.run(["fix", "--repo", k.dir, "--resume", k.journal, "--trajectory", other, "--model-url", up.baseURL], env: k.env)
        #expect(r.code == 0, "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: k.journal + ".checkpoint"), "the resumed run finished")
        #expect(!FileManager.default.fileExists(atPath: other + ".checkpoint"))
    }

    /// `heavy` in fixpoint.toml is for new runs: a resume (only single runs checkpoint) goes on as one, and says so.
    @Test func heavyInFixpointTomlDoesNotStopAResume() async throws {
        let k = try await Self.killedRun("resume-heavy-toml")
        defer { k.remove() }
        try "testCommand = \"exit 1\"\nheavy = 4\n".write(toFile: k.dir + "/fixpoint.toml", atomically: true, encoding: .utf8)
        let up = try LoopbackServer.chatServer(turns: Array(Self.turns.dropFirst(1)))
        let r = try await CLI.run(["fix", "--repo", k.dir, "--resume", k.journal, "--model-url", up.baseURL], env: k.env)
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("resuming as a single-trajectory run (heavy = 4 in fixpoint.toml"), "\(r.err)")
    }

    /// A step after which the snapshot's diff cannot be computed (its git index corrupt) saves no
    /// checkpoint: the last good one, with the edits, stays — not one that says "no change".
    @Test func aStepWhoseDiffFailsKeepsTheLastGoodCheckpoint() async throws {
        let dir = try temporaryFolder("fp-cli-resume-diff")
        let cache = try temporaryFolder("fp-cli-resume-diff-cache")
        defer {
            try? FileManager.default.removeItem(atPath: dir)
            try? FileManager.default.removeItem(atPath: cache)
        }
        try await makeCalcRepository(in: dir)
        let env = ["FIXPOINT_CACHE": cache, "FIXPOINT_SNAPSHOT_DIR": ""]
        let turns = [
            ResumeCLITests.call("c1", "edit_file", #"{"path":"calc.py","old_text":"return a - b","new_text":"return a + b"}"#),
            ResumeCLITests.call("c2", "run_command", #"{"command":"printf 'DIRC not an index' > .git/index"}"#),
        ]
        let model = try LoopbackServer.chatServer(turns: turns) { _, chatNumber in chatNumber == 2 ? .hang : nil }
        let journal = cache + "/run.jsonl"
        var spec = ProcessSpec(executable: CLI.binary, arguments: ["fix", "--repo", dir, "--issue", "add() subtracts", "--test-cmd",
                                                                   "python3 test_calc.py", "--allow-run-command", "--sandbox", "off",
                                                                   "--model-url", model.baseURL, "--trajectory", journal])
        spec.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let process = try await ChildProcess.launch(spec, logPath: cache + "/killed.log")
        defer { if process.exitStatus == nil { kill(process.pid, SIGKILL) } }
        // The third request is sent after step 2 (and its checkpoint, if any) is done.
        for _ in 0..<600 where model.chatRequests.count < 3 { try await Task.sleep(for: .milliseconds(100)) }
        try #require(model.chatRequests.count == 3, "the run never reached step 3")
        kill(process.pid, SIGKILL)
        _ = await process.waitForExit()
        let checkpoint = try JSON.parse(Array(FileManager.default.contents(atPath: journal + ".checkpoint") ?? Data()))
        #expect(checkpoint["step"]?.intValue == 1, "step 2's diff failed: no checkpoint of it")
        #expect(checkpoint["patch"]?.stringValue?.contains("return a + b") == true, "the edits are kept")
    }
}
