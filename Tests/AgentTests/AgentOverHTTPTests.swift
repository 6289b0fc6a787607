import Agent
import Foundation
import JSONValue
import ModelClient
import ModelTestSupport
import Locking
import Testing

/// The agent over the real model client and a loopback model server: server faults are retried by
/// the client and the run survives them; calls left in text are recovered and executed.
@Suite(.serialized) struct AgentOverHTTPTests {
    static func remote(_ server: LoopbackServer) -> ModelSelection { .remote(baseURL: server.baseURL, model: nil) }

    @Test func serverFaultsAreRetriedAndCallsInTextAreRecovered() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let server = try LoopbackServer.chatServer(turns: [
            // Hermes/Qwen style: the call left in the text after some prose.
            ChatScript(content: "Let me look.\n<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"calc.py\"}}\n</tool_call>"),
            ChatScript(toolCalls: [ToolCall(id: "functions.edit_file:1", name: "edit_file",
                                            arguments: #"{"path":"calc.py","old_text":"a - b","new_text":"a + b"}"#)]),
            ChatScript(toolCalls: [ToolCall(id: "functions.submit:2", name: "submit", arguments: #"{"summary":"fixed"}"#)]),
        ], fault: { _, n in
            switch n {
            case 0: return .error(status: 503, message: "Loading model")
            case 2: return .error(status: 429, message: "slow down", headers: [("Retry-After", "0")])
            default: return nil
            }
        })
        defer { server.stop() }
        var opts = RunOptions()
        opts.actionMode = .native
        let outcome = await Fixer.run(fixRequest(repo), model: Self.remote(server), options: opts)
        let report = outcome.report
        #expect(report.status == .verified, "\(report.error ?? "") \(report.events)")
        #expect(report.toolCalls == 3)
        #expect(report.events.filter { $0.kind == .retry }.count == 2)
        // The Kimi-style id went back to the server verbatim in the next request.
        let last = try #require(server.chatRequests.last?.bodyText)
        #expect(last.contains("\"tool_call_id\":\"functions.edit_file:1\""))
    }

    /// llama-server's /props n_ctx is per slot already: a 4-slot server started with `-c 32768`
    /// reports 8192, and a run must plan for 8192, not a quarter of it.
    @Test func aMultiSlotServersContextIsNotDividedAgain() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let server = try LoopbackServer.chatServer(turns: [
            ChatScript(toolCalls: [ToolCall(id: "s", name: "submit", arguments: #"{"summary":"nothing"}"#)]),
        ], contextSize: 8192, slots: 4)
        defer { server.stop() }
        var opts = RunOptions()
        opts.actionMode = .native
        let started = Locked<String?>(nil)
        _ = await Fixer.run(fixRequest(repo), model: Self.remote(server), options: opts) { event in
            if event.kind == .started { started.withLock { $0 = event.summary } }
        }
        let summary = try #require(started.withLock { $0 })
        #expect(summary.contains("context 8192 tokens"), "\(summary)")
    }

    @Test func anUnreachableServerMidRunEndsWithAnError() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let server = try LoopbackServer.chatServer(turns: [
            ChatScript(toolCalls: [ToolCall(id: "c1", name: "read_file", arguments: #"{"path":"calc.py"}"#)]),
        ], fault: { _, n in n >= 1 ? .error(status: 500, message: "model crashed") : nil })
        defer { server.stop() }
        var opts = RunOptions()
        opts.actionMode = .native
        let outcome = await Fixer.run(fixRequest(repo), model: Self.remote(server), options: opts)
        #expect(outcome.report.endReason == .error)
        #expect(outcome.report.error?.contains("model crashed") == true)
    }
}
