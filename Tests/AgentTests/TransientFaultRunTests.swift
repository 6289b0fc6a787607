import Agent
import Foundation
import JSONValue
import ModelClient
import ModelTestSupport
import Testing

/// A long scripted run over the real model client and a loopback model server, with one class of
/// transient fault injected three times along the way: the run goes on, and ends exactly as the
/// same run without faults does (same report, same patch, the same conversation sent to the model).
@Suite struct TransientFaultRunTests {
    enum Fault: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case cutMidLineClosedCleanly, cutMidLineChunkedEndedCleanly, cutMidLineChunkedAbruptly, resetMidLine
        case resetBeforeAnswer, http500, http502, http503Loading, http504, http408
        case rateLimitedWithRetryAfter, errorObjectInStream, emptyJSONBody, emptyStream
        case noAnswerWithinPrefillTimeout, streamStalled

        var testDescription: String { rawValue }

        /// What the server sends instead of the turn's answer.
        func reply() -> ScriptedReply {
            let partial = ChatScript(content: "an answer that the fault will cut short", pieceSize: 4).chunks().map { $0.serialized() }
            // Three whole events, then the middle of the fourth's data line.
            let midLine = partial.prefix(3).reduce(0) { $0 + "data: \($1)\n\n".utf8.count } + 6 + partial[3].utf8.count / 2
            switch self {
            case .cutMidLineClosedCleanly: return .sseCut(partial, after: midLine, how: .closedCleanly)
            case .cutMidLineChunkedEndedCleanly: return .sseCut(partial, after: midLine, how: .chunkedEndedCleanly)
            case .cutMidLineChunkedAbruptly: return .sseCut(partial, after: midLine, how: .chunkedAbruptly)
            case .resetMidLine: return .sseCut(partial, after: midLine, how: .reset)
            case .resetBeforeAnswer: return .reset
            case .http500: return .error(status: 500, message: "internal error")
            case .http502: return .text("<html>502 Bad Gateway</html>", status: 502, contentType: "text/html")
            case .http503Loading: return .error(status: 503, message: "Loading model")
            case .http504: return .text("upstream timed out", status: 504)
            case .http408: return .error(status: 408, message: "request timeout")
            case .rateLimitedWithRetryAfter: return .error(status: 429, message: "slow down", headers: [("Retry-After", "1")])
            case .errorObjectInStream: return .sse([#"{"error":{"code":503,"message":"server overloaded"}}"#], done: false)
            case .emptyJSONBody: return .text("", contentType: "application/json")
            case .emptyStream: return .sseRaw("")
            case .noAnswerWithinPrefillTimeout, .streamStalled:
                return self == .streamStalled ? .sse(Array(partial.prefix(3)), done: false, ending: .hang) : .hang
            }
        }
    }

    /// Chat requests (0-based, counting faulted ones) answered with the fault instead of a turn.
    static let faultAt: Set<Int> = [3, 17, 31]
    static let readSteps = 36

    /// Many reads, then the fix: 40 steps in all.
    static let turns: [ChatScript] = {
        var turns: [ChatScript] = []
        for i in 0..<readSteps {
            let args = i % 2 == 0 ? #"{"path":"calc.py"}"# : #"{"path":"test_calc.py","start_line":1,"end_line":\#(1 + i % 4)}"#
            turns.append(ChatScript(toolCalls: [ToolCall(id: "call_read_\(i)", name: "read_file", arguments: args)]))
        }
        turns.append(ChatScript(toolCalls: [ToolCall(id: "call_edit", name: "edit_file", arguments: #"{"path":"calc.py","old_text":"a - b","new_text":"a + b"}"#)]))
        turns.append(ChatScript(toolCalls: [ToolCall(id: "call_test", name: "run_tests", arguments: "{}")]))
        turns.append(ChatScript(toolCalls: [ToolCall(id: "call_submit", name: "submit", arguments: #"{"summary":"add adds"}"#)]))
        return turns
    }()

    /// The run without faults, made once for every case.
    static let clean = Task { try await run(fault: nil) }

    struct Finished: Sendable {
        var report: RunReport
        /// The `messages` of every chat request, consecutive repeats (the retries) folded.
        var conversations: [String]
        var chatRequests: Int
    }

    static func run(fault: Fault?) async throws -> Finished {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let server = try LoopbackServer.chatServer(turns: turns, fault: { _, n in
            guard let fault, faultAt.contains(n) else { return nil }
            return fault.reply()
        })
        defer { server.stop() }
        var endpoint = ModelEndpoint(baseURL: server.baseURL)
        endpoint.retryBaseDelay = 0.01
        endpoint.maxRetryDelay = 0.05
        endpoint.prefillTimeout = 1.5
        endpoint.idleTimeout = 1.5
        var opts = RunOptions()
        opts.injectedModel = ModelClient(endpoint: endpoint)
        opts.actionMode = .native
        opts.contextSize = 32_768
        let outcome = await Fixer.run(fixRequest(repo, maxSteps: 60), model: .embedded(), options: opts)
        var conversations: [String] = []
        for request in server.chatRequests {
            // Test output names the run's snapshot folder, which differs between runs.
            let messages = (request.json?["messages"]?.serialized() ?? "")
                .replacingOccurrences(of: #"snapshots/[0-9A-Fa-f-]{36}"#, with: "snapshots/<run>", options: .regularExpression)
            if conversations.last != messages { conversations.append(messages) }
        }
        return Finished(report: outcome.report, conversations: conversations, chatRequests: server.chatRequests.count)
    }

    @Test(arguments: Fault.allCases)
    func aRunSurvivesTransientFaults(fault: Fault) async throws {
        let clean = try await Self.clean.value
        #expect(clean.report.status == .verified, "\(clean.report.error ?? "") \(clean.report.events)")
        let faulty = try await Self.run(fault: fault)
        let report = faulty.report
        #expect(report.status == .verified, "\(report.error ?? "") \(report.events)")
        #expect(report.endReason == clean.report.endReason)
        #expect(report.steps == clean.report.steps)
        #expect(report.toolCalls == clean.report.toolCalls)
        #expect(report.patch == clean.report.patch)
        #expect(faulty.chatRequests == clean.chatRequests + Self.faultAt.count)
        // Every fault was retried (and said so), and the model saw the same conversation throughout.
        let retries = report.events.filter { $0.kind == .retry }
        // libcurl itself retries a request whose reused connection was reset before any answer.
        if fault != .resetBeforeAnswer { #expect(retries.count == Self.faultAt.count, "\(retries)") }
        #expect(faulty.conversations == clean.conversations)
        if fault == .rateLimitedWithRetryAfter {
            #expect(retries.allSatisfy { $0.detail.contains("retried after 1.00s") }, "\(retries)")
        }
    }
}
