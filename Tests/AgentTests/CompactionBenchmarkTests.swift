import Agent
import Foundation
import JSONValue
import ModelClient
import Testing

/// Compactions per 100 steps and prefix reuse at 4K, 8K, 16K and 32K contexts, on a scripted
/// 200-step run that reads files (the numbers in docs/performance.md). Counts, not timings.
/// `swift test --filter CompactionBenchmarkTests` prints one line per context size.
@Suite(.serialized) struct CompactionBenchmarkTests {
    static let steps = 200

    struct Result: CustomStringConvertible {
        var contextSize: Int
        var compactionsPer100: Double
        var prefixReuse: Double
        var status: RunReport.Status
        /// The first request's size: the fixed part (system prompt, tool schemas, issue and orientation).
        var firstRequestTokens: Int
        var smallContextWarned: Bool
        var description: String {
            "context \(contextSize): \(String(format: "%.1f", compactionsPer100)) compactions per 100 steps, prefix reuse \(String(format: "%.3f", prefixReuse)), first request ~\(firstRequestTokens) tokens, \(status.rawValue)"
        }
    }

    static func run(contextSize: Int) async throws -> Result {
        let repo = try await LongRunRepository.make()
        defer { repo.remove() }
        let steps = Self.steps
        let model = ScriptedModel { (call, request) throws(ModelError) -> ChatResponse in
            // Like a server: prompt tokens from the request size (so the harness calibrates), and
            // an overflow when the request does not fit.
            let tokens = request.body().serialized().utf8.count * 3 / 10
            if tokens + (request.maxTokens ?? 0) > contextSize {
                throw ModelError.contextOverflow(promptTokens: tokens, contextSize: contextSize, message: "scripted overflow")
            }
            switch call {
            case _ where call >= steps + 40: return ScriptedModel.call("submit", ["summary": "fixed"], promptTokens: tokens)
            default:
                let n = call
                if n == steps - 3 { return ScriptedModel.call("edit_file", ["path": "calc.py", "old_text": "a - b", "new_text": "a + b"], promptTokens: tokens) }
                if n == steps - 2 { return ScriptedModel.call("run_tests", [:], promptTokens: tokens) }
                if n >= steps - 1 { return ScriptedModel.call("submit", ["summary": "fixed"], promptTokens: tokens) }
                let args: JSON = ["path": .string("pkg/module_\(n % 20).py"), "start_line": .int(1 + n / 20), "end_line": .int(12 + n / 20)]
                return ScriptedModel.call("read_file", args, id: "functions.read_file:\(n)", promptTokens: tokens)
            }
        }
        var request = fixRequest(repo, maxSteps: steps + 20)
        request.maxTokensPerStep = 1024
        let outcome = await Fixer.run(request, model: .embedded(), options: options(model, contextSize: contextSize))
        let report = outcome.report
        let compactions = report.events.filter { $0.kind == .compaction }.count
        if ProcessInfo.processInfo.environment["FIXPOINT_BENCH_VERBOSE"] != nil {
            for e in report.events.filter({ $0.kind == .compaction }).prefix(6) { print("  step \(e.step): \(e.detail)") }
        }
        return Result(contextSize: contextSize, compactionsPer100: Double(compactions) * 100 / Double(max(1, report.steps)),
                      prefixReuse: outcome.prefixReuse ?? 0, status: report.status,
                      firstRequestTokens: (model.requests.first?.body().serialized().utf8.count ?? 0) * 3 / 10,
                      smallContextWarned: report.events.contains { $0.kind == .smallContext })
    }

    @Test(arguments: [4096, 8192, 16_384, 32_768])
    func compactionsAndPrefixReuse(contextSize: Int) async throws {
        let result = try await Self.run(contextSize: contextSize)
        print("compaction benchmark: \(result)")
        #expect(result.status == .verified, "\(result)")
        #expect(result.smallContextWarned == (contextSize < ContextMinimum.tokens))
    }
}
