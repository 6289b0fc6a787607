import ChildProcess
import Foundation
import JSONValue
import ModelClient
import ModelTestSupport
import Testing

/// `fix --timeout` holds while a model request is in flight: a server that accepts the request and
/// never answers (a fault injected into the scripted server) no longer keeps the run alive until the
/// client's own 600 s first-byte limit; the run ends at the deadline, says so, leaves the user's
/// files as they were and removes its snapshot.
@Suite struct TimeoutCLITests {
    @Test func aHungModelRequestEndsAtTheDeadline() async throws {
        let dir = try temporaryFolder("fp-cli-timeout")
        let cache = try temporaryFolder("fp-cli-timeout-cache")
        defer {
            try? FileManager.default.removeItem(atPath: dir)
            try? FileManager.default.removeItem(atPath: cache)
        }
        try await makeCalcRepository(in: dir)
        // Step 1 edits (wrongly, so the patch is not verified); the request of step 2 hangs.
        let edit = ChatScript(toolCalls: [ToolCall(id: "call_1", name: "edit_file",
                                                   arguments: #"{"path":"calc.py","old_text":"return a - b","new_text":"return a * b"}"#)])
        let server = try LoopbackServer.chatServer(turns: [edit]) { _, chatNumber in chatNumber >= 1 ? .hang : nil }
        let report = dir + "-report.json"
        defer { try? FileManager.default.removeItem(atPath: report) }
        // 30 s leaves step 1 time on a loaded machine. Without the deadline on the request this would
        // wait for the client's first-byte limit (600 s) and be killed by CLI.run's own limit.
        let r = try await CLI.run(
            ["fix", "--repo", dir, "--issue", "add() subtracts", "--test-cmd", "python3 test_calc.py",
             "--model-url", server.baseURL + "/v1", "--timeout", "30", "--report", report],
            env: ["FIXPOINT_CACHE": cache, "FIXPOINT_SNAPSHOT_DIR": ""], timeout: 120)
        #expect(r.code == 1, "stderr: \(r.err)")
        let json = try JSON.parse(Array(FileManager.default.contents(atPath: report) ?? Data()))
        #expect(json["end_reason"]?.stringValue == "time_limit")
        #expect(json["status"]?.stringValue == "unverified")
        #expect(json["error"]?.stringValue?.contains("while the model was answering step 2") == true, "report: \(json.serialized())")
        #expect(r.err.contains("time_limit"))
        #expect(server.chatRequests.count == 2)
        // The user's file is as it was; the run's snapshot is gone.
        let calc = try String(contentsOfFile: dir + "/calc.py", encoding: .utf8)
        #expect(calc.contains("return a - b"))
        let status = try await ChildProcess.shell("git status --porcelain", in: dir)
        #expect(status.stdoutText.isEmpty)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: cache + "/snapshots")) ?? []
        #expect(left.isEmpty, "left behind: \(left)")
    }
}
