import Agent
import Foundation
import JSONValue
import ModelClient
import Testing

/// A 300-step run under a small context: the harness must compact several times, keep the
/// conversation valid, keep most requests byte-extending the previous one, and still end verified.
@Suite struct LongRunTests {
    @Test func threeHundredStepsCompactAndStillVerify() async throws {
        let repo = try await LongRunRepository.make()
        defer { repo.remove() }

        let steps = 300
        let model = ScriptedModel { call, request in
            // Behave like a server: prompt tokens from the request size, so the harness calibrates.
            let tokens = request.body().serialized().utf8.count * 3 / 10
            // Every assistant turn must still be answered by its tool result (pairing survives compaction).
            let messages = request.messages
            for (i, m) in messages.enumerated() where m.role == .assistant {
                for c in m.toolCalls { #expect(messages[(i + 1)...].contains { $0.toolCallID == c.id }) }
            }
            switch call {
            case steps - 3: return ScriptedModel.call("edit_file", ["path": "calc.py", "old_text": "a - b", "new_text": "a + b"], promptTokens: tokens)
            case steps - 2: return ScriptedModel.call("run_tests", [:], promptTokens: tokens)
            case steps - 1: return ScriptedModel.call("submit", ["summary": "fixed"], promptTokens: tokens)
            default:
                let args: JSON = ["path": .string("pkg/module_\(call % 20).py"), "start_line": .int(1 + call / 20), "end_line": .int(20 + call / 20)]
                return ScriptedModel.call("read_file", args, id: "functions.read_file:\(call)", promptTokens: tokens)
            }
        }
        var request = fixRequest(repo, maxSteps: steps)
        request.maxTokensPerStep = 1024
        let outcome = await Fixer.run(request, model: .embedded(), options: options(model, contextSize: 32_768))
        let report = outcome.report
        #expect(report.status == .verified)
        #expect(report.endReason == .submitted)
        #expect(report.steps == steps)
        let compactions = report.events.filter { $0.kind == .compaction }.count
        #expect(compactions >= 2, "expected the run to compact, got \(compactions)")
        let reuse = try #require(outcome.prefixReuse)
        #expect(reuse >= 0.9, "prefix reuse \(reuse)")
        // The last request never exceeded the context.
        let lastTokens = model.requests.last!.body().serialized().utf8.count * 3 / 10
        #expect(lastTokens < 32_768)
        // The ledger kept the goal after folding.
        let ledger = model.requests.last!.messages.first { $0.content?.contains("Fixpoint ledger") == true }
        #expect(ledger?.content?.contains("add() subtracts") == true)
        print("long run: \(compactions) compactions, prefix reuse \(String(format: "%.3f", reuse))")
    }
}
