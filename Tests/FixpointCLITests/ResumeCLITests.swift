import ChildProcess
import Foundation
import JSONValue
import ModelClient
import ModelTestSupport
import Testing

/// `fixpoint fix --resume JOURNAL` goes on with a run whose process was killed (SIGKILL: nothing of it
/// ran after), from its last completed step: the same conversation (byte for byte, so a warm server
/// cache still hits), the snapshot's edits as they were, no tool run again, steps counted on — and
/// it ends as the same run left alone would have.
@Suite struct ResumeCLITests {
    static func call(_ id: String, _ name: String, _ arguments: String) -> ChatScript {
        ChatScript(toolCalls: [ToolCall(id: id, name: name, arguments: arguments)])
    }
    static let turns = [
        call("call_1", "read_file", #"{"path":"calc.py"}"#),
        call("call_2", "edit_file", #"{"path":"calc.py","old_text":"return a - b","new_text":"return a + b"}"#),
        call("call_3", "run_tests", "{}"),
        call("call_4", "submit", #"{"summary":"add adds"}"#),
    ]

    @Test func aRunKilledAtStepThreeGoesOnFromItsJournalAndEndsAsAnUninterruptedOne() async throws {
        let dir = try temporaryFolder("fp-cli-resume")
        let cache = try temporaryFolder("fp-cli-resume-cache")
        defer {
            try? FileManager.default.removeItem(atPath: dir)
            try? FileManager.default.removeItem(atPath: cache)
        }
        try await makeCalcRepository(in: dir)
        let env = ["FIXPOINT_CACHE": cache, "FIXPOINT_SNAPSHOT_DIR": ""]
        let fix = ["fix", "--repo", dir, "--issue", "add() subtracts", "--test-cmd", "python3 test_calc.py"]

        // The run left alone, for comparison.
        let alone = try LoopbackServer.chatServer(turns: Self.turns)
        let aloneReport = cache + "/alone.json"
        let reference = try await CLI.run(fix + ["--model-url", alone.baseURL, "--report", aloneReport], env: env)
        #expect(reference.code == 0, "\(reference.err)")

        // The same run, killed while the model works on step 3 (its request never answered).
        let first = try LoopbackServer.chatServer(turns: Self.turns) { _, chatNumber in chatNumber == 2 ? .hang : nil }
        let journal = cache + "/run.jsonl"
        var spec = ProcessSpec(executable: CLI.binary, arguments: fix + ["--model-url", first.baseURL, "--trajectory", journal])
        spec.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let killed = try await ChildProcess.launch(spec, logPath: cache + "/killed.log")
        defer { if killed.exitStatus == nil { kill(killed.pid, SIGKILL) } }
        for _ in 0..<600 where first.chatRequests.count < 3 { try await Task.sleep(for: .milliseconds(100)) }
        try #require(first.chatRequests.count == 3, "the run never reached step 3")
        kill(killed.pid, SIGKILL)
        _ = await killed.waitForExit()
        #expect(FileManager.default.fileExists(atPath: journal + ".checkpoint"))

        // Resumed against a server that knows only what is left: steps 3 and 4.
        let second = try LoopbackServer.chatServer(turns: Array(Self.turns.dropFirst(2)))
        let resumedReport = cache + "/resumed.json"
        let r = try await CLI.run(["fix", "--repo", dir, "--resume", journal, "--model-url", second.baseURL, "--report", resumedReport], env: env)
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("resumed a killed run after its step 2"), "\(r.err)")

        let a = try JSON.parse(Array(FileManager.default.contents(atPath: aloneReport) ?? Data()))
        let b = try JSON.parse(Array(FileManager.default.contents(atPath: resumedReport) ?? Data()))
        for field in ["status", "end_reason", "patch", "files_changed", "steps", "tool_calls"] {
            #expect(a[field] == b[field], "\(field): alone \(a[field]?.serialized() ?? "-"), resumed \(b[field]?.serialized() ?? "-")")
        }
        #expect(b["status"]?.stringValue == "verified")
        #expect(b["resumed_from_step"]?.intValue == 2)
        #expect(a["resumed_from_step"] == nil)

        // Step 3's request, resumed, carries the killed run's messages byte for byte.
        #expect(second.chatRequests.count == 2, "only the steps left were asked for")
        let killedAsked = try #require(first.chatRequests[2].json?["messages"])
        let resumedAsked = try #require(second.chatRequests.first?.json?["messages"])
        #expect(killedAsked.serialized() == resumedAsked.serialized())

        // One journal for the whole run: the edit was made once, the resumed part says where it began.
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").compactMap { try? JSON.parse(String($0)) }
        #expect(lines.filter { $0["event"]?.stringValue == "tool_call" && $0["name"]?.stringValue == "edit_file" }.count == 1)
        #expect(lines.filter { $0["event"]?.stringValue == "run_start" }.map { $0["resumed_from_step"]?.intValue } == [nil, 2])
        #expect(lines.last?["event"]?.stringValue == "run_end")
        #expect(!FileManager.default.fileExists(atPath: journal + ".checkpoint"), "a finished run leaves nothing to resume")

        // The user's files as they were; no snapshot left, the killed run's included.
        #expect(try String(contentsOfFile: dir + "/calc.py", encoding: .utf8).contains("return a - b"))
        let left = (try? FileManager.default.contentsOfDirectory(atPath: cache + "/snapshots")) ?? []
        #expect(left.isEmpty, "left behind: \(left)")

        // A finished run cannot be resumed again.
        let again = try await CLI.run(["fix", "--repo", dir, "--resume", journal, "--model-url", second.baseURL], env: env)
        #expect(again.code == 2)
        #expect(again.err.contains("already finished"), "\(again.err)")
    }

    /// Killed at a random moment — during a model request, a tool call or a checkpoint's write — and
    /// resumed, the run ends as the run left alone does. The scripted server answers by the number of
    /// assistant turns in the request, so the resumed run gets the turns that are left.
    @Test func aRunKilledAtARandomMomentEndsAsTheRunLeftAlone() async throws {
        let dir = try temporaryFolder("fp-cli-resume-random")
        let cache = try temporaryFolder("fp-cli-resume-random-cache")
        defer {
            try? FileManager.default.removeItem(atPath: dir)
            try? FileManager.default.removeItem(atPath: cache)
        }
        try await makeCalcRepository(in: dir)
        let env = ["FIXPOINT_CACHE": cache, "FIXPOINT_SNAPSHOT_DIR": ""]
        let script = [
            Self.call("c1", "list_files", "{}"), Self.call("c2", "read_file", #"{"path":"calc.py"}"#),
            Self.call("c3", "read_file", #"{"path":"test_calc.py"}"#), Self.call("c4", "search", #"{"pattern":"add"}"#),
            Self.call("c5", "edit_file", #"{"path":"calc.py","old_text":"return a - b","new_text":"return a + b"}"#),
            Self.call("c6", "run_tests", "{}"), Self.call("c7", "git_diff", "{}"), Self.call("c8", "submit", #"{"summary":"add adds"}"#),
        ]
        func server(holdingTheLastAnswer: Bool = false) throws -> LoopbackServer {
            try LoopbackServer.chatServer(turns: []) { request, _ in
                let done = request.json?["messages"]?.arrayValue?.filter { $0["role"]?.stringValue == "assistant" }.count ?? 0
                guard done < script.count else { return nil }
                var reply = script[done].reply(to: request)
                reply.delayBeforeHead = 0.1  // steps take a while, so the kill can land anywhere
                // The run to be killed never gets its last answer: however late the kill lands on a loaded
                // machine, the run has not ended (a fixed delay once let it finish first).
                if holdingTheLastAnswer, done == script.count - 1 { reply.delayBeforeHead = 600 }
                return reply
            }
        }
        let fix = ["fix", "--repo", dir, "--issue", "add() subtracts", "--test-cmd", "python3 test_calc.py"]
        let alone = try server()
        let aloneReport = cache + "/alone.json"
        let reference = try await CLI.run(fix + ["--model-url", alone.baseURL, "--report", aloneReport], env: env)
        #expect(reference.code == 0, "\(reference.err)")

        let first = try server(holdingTheLastAnswer: true)
        let journal = cache + "/run.jsonl"
        var spec = ProcessSpec(executable: CLI.binary, arguments: fix + ["--model-url", first.baseURL, "--trajectory", journal])
        spec.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let killed = try await ChildProcess.launch(spec, logPath: cache + "/killed.log")
        defer { if killed.exitStatus == nil { kill(killed.pid, SIGKILL) } }
        for _ in 0..<600 where first.chatRequests.count < 2 { try await Task.sleep(for: .milliseconds(20)) }
        let delay = Int.random(in: 0...400)  // the 6 steps left take at least 600 ms: never past the end
        try await Task.sleep(for: .milliseconds(delay))
        try #require(killed.exitStatus == nil, "the run ended before the kill: \(String(describing: killed.exitStatus))")
        kill(killed.pid, SIGKILL)
        _ = await killed.waitForExit()
        let asked = first.chatRequests.count
        print("killed \(delay) ms after step 2 was asked for; \(asked) model requests by then")

        let second = try server()
        let resumedReport = cache + "/resumed.json"
        let r = try await CLI.run(["fix", "--repo", dir, "--resume", journal, "--model-url", second.baseURL, "--report", resumedReport], env: env)
        #expect(r.code == 0, "killed \(delay) ms after step 2 was asked for: \(r.err)")
        let a = try JSON.parse(Array(FileManager.default.contents(atPath: aloneReport) ?? Data()))
        let b = try JSON.parse(Array(FileManager.default.contents(atPath: resumedReport) ?? Data()))
        for field in ["status", "end_reason", "patch", "files_changed", "steps", "tool_calls"] {
            #expect(a[field] == b[field], "\(field) (killed after \(delay) ms): alone \(a[field]?.serialized() ?? "-"), resumed \(b[field]?.serialized() ?? "-")")
        }
        // Every step the killed run completed was asked for once: the resumed run starts after them.
        let resumedFrom = try #require(b["resumed_from_step"]?.intValue)
        #expect(second.chatRequests.count == script.count - resumedFrom)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: cache + "/snapshots")) ?? []
        #expect(left.isEmpty, "left behind: \(left)")
    }

    /// A run that is still going is never resumed (two runs would write one journal): its process holds
    /// the journal's lock until it dies.
    @Test func aLiveRunIsNotResumed() async throws {
        let dir = try temporaryFolder("fp-cli-resume-live")
        let cache = try temporaryFolder("fp-cli-resume-live-cache")
        defer {
            try? FileManager.default.removeItem(atPath: dir)
            try? FileManager.default.removeItem(atPath: cache)
        }
        _ = try await ChildProcess.shell("printf 'x = 1\\n' > a.py && git init -q && git add . && git -c user.name=t -c user.email=t@e commit -qm base", in: dir)
        let env = ["FIXPOINT_CACHE": cache, "FIXPOINT_SNAPSHOT_DIR": ""]
        let server = try LoopbackServer.chatServer(turns: [Self.turns[0]]) { _, chatNumber in chatNumber >= 1 ? .hang : nil }
        let journal = cache + "/run.jsonl"
        var spec = ProcessSpec(executable: CLI.binary, arguments: ["fix", "--repo", dir, "--issue", "x", "--test-cmd", "true",
                                                                   "--model-url", server.baseURL, "--trajectory", journal])
        spec.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let live = try await ChildProcess.launch(spec, logPath: cache + "/live.log")
        defer { if live.exitStatus == nil { kill(live.pid, SIGKILL) } }
        for _ in 0..<600 where server.chatRequests.count < 2 { try await Task.sleep(for: .milliseconds(100)) }
        try #require(server.chatRequests.count == 2, "the run never reached step 2")
        #expect(FileManager.default.fileExists(atPath: journal + ".checkpoint"))

        let r = try await CLI.run(["fix", "--repo", dir, "--resume", journal, "--model-url", server.baseURL], env: env)
        #expect(r.code == 2)
        #expect(r.err.contains("still going"), "\(r.err)")
        #expect(live.exitStatus == nil, "the live run was not disturbed")
    }

    @Test func resumingNeedsTheSameRepositoryAndAJournal() async throws {
        let dir = try temporaryFolder("fp-cli-resume-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try await ChildProcess.shell("git init -q", in: dir)
        let missing = try await CLI.run(["fix", "--repo", dir, "--resume", dir + "/no-such.jsonl", "--model-url", "http://127.0.0.1:1"])
        #expect(missing.code == 2)
        #expect(missing.err.contains("no journal at"), "\(missing.err)")
        // A journal with no checkpoint beside it: the run stopped before its first step was done.
        try "".write(toFile: dir + "/j.jsonl", atomically: true, encoding: .utf8)
        let early = try await CLI.run(["fix", "--repo", dir, "--resume", dir + "/j.jsonl", "--model-url", "http://127.0.0.1:1"])
        #expect(early.code == 2)
        #expect(early.err.contains("no checkpoint beside"), "\(early.err)")
    }
}
