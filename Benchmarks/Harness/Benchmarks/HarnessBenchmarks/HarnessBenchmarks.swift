import Agent
import Benchmark
import Foundation
import HarnessScript
import JSONValue
import ModelClient

// The agent harness in process (scripts/bench-harness.sh; docs/performance.md, "Harness and language
// server"). `swift package --disable-sandbox benchmark --target HarnessBenchmarks` in Benchmarks/Harness.

/// A fixture repository and a snapshot folder of the benchmark's own, made once.
final class Fixture: Sendable {
    static let shared = try! Fixture()
    let folder: String
    var repository: String { folder + "/repo" }
    var snapshots: String { folder + "/snapshots" }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fixpoint-bench-\(UUID().uuidString)").path
        try HarnessScript.makeRepository(at: folder + "/repo")
        try FileManager.default.createDirectory(atPath: folder + "/snapshots", withIntermediateDirectories: true)
    }
}

/// One whole scripted run through the real Fixer, model client (libcurl) and tools; returns the
/// per-step gaps (the harness's own time before each request) and the report.
func scriptedRun(steps: Int) async throws -> (gaps: [Int64], report: RunReport) {
    let fixture = Fixture.shared
    let server = try HarnessScript.server(steps: steps, flavor: .fixpoint)
    defer { server.stop() }
    var request = FixRequest(repository: fixture.repository, issue: HarnessScript.issue, testCommand: HarnessScript.testCommand)
    request.maxSteps = steps
    var options = RunOptions()
    options.actionMode = .native
    options.snapshotRoot = fixture.snapshots
    let outcome = await Fixer.run(request, model: .remote(baseURL: server.baseURL, model: nil), options: options)
    guard outcome.report.steps == steps, outcome.report.endReason == .submitted else {
        throw ScriptError("the scripted run ended at step \(outcome.report.steps) (\(outcome.report.endReason)): \(outcome.report.error ?? "")")
    }
    return (HarnessScript.gaps(server), outcome.report)
}

/// The messages of a run at `steps` steps, as the harness holds them (no compaction): the request
/// body the client serializes every step.
func history(steps: Int) -> ChatRequest {
    var messages: [ChatMessage] = [.system(String(repeating: "You are a careful engineer. ", count: 60)), .user(HarnessScript.issue)]
    let module = HarnessScript.repositoryFiles["pkg/module_1.py"]!.split(separator: "\n", omittingEmptySubsequences: false)
    for step in 1..<steps {
        let call = HarnessScript.call(step: step, of: steps, flavor: .fixpoint)
        messages.append(ChatMessage(role: .assistant, content: "Step \(step): reading the next window of the helpers.", toolCalls: [call]))
        let window = module.prefix(HarnessScript.windowLines).enumerated().map { "\($0.offset + 1): \($0.element)" }.joined(separator: "\n")
        messages.append(.tool(callID: call.id, name: call.name, content: window))
    }
    var request = ChatRequest(messages: messages)
    request.stream = true
    return request
}

let overheadEarly = BenchmarkMetric.custom("overhead, steps 6-15 (us)")
let overheadLate = BenchmarkMetric.custom("overhead, steps 291-300 (us)")

let benchmarks: @Sendable () -> Void = {
    // A whole run per iteration, so few iterations: the per-step numbers are medians of 10 steps each.
    Benchmark("harness: 300-step scripted run", configuration: .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident, overheadEarly, overheadLate],
        warmupIterations: 0, maxDuration: .seconds(300), maxIterations: 5
    )) { benchmark in
        let (gaps, _) = try await scriptedRun(steps: 300)
        benchmark.measurement(overheadEarly, Int((HarnessScript.median(ofSteps: 6...15, in: gaps) ?? 0) / 1000))
        benchmark.measurement(overheadLate, Int((HarnessScript.median(ofSteps: 291...300, in: gaps) ?? 0) / 1000))
    }

    let late = history(steps: 300)
    Benchmark("json: request body at step 300 (~250K tokens)", configuration: .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput], maxDuration: .seconds(10), maxIterations: 200
    )) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(late.body().serializedBytes()) }
    }
    let early = history(steps: 10)
    Benchmark("json: request body at step 10", configuration: .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput], maxDuration: .seconds(5), maxIterations: 2000
    )) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(early.body().serializedBytes()) }
    }
}
