// Benchmark: Fixpoint's model client against the real llama-server: throughput beside `curl`, and
// the time split and prefix-cache hit rate of a real `fixpoint fix` run. Run through
// scripts/bench-model.sh; results go in docs/performance.md. Not a test.
//
//   ModelBench throughput [--model small|default|PATH] [--url URL] [--rounds N] [--tokens N] [--threads N]
//   ModelBench cache [--model small|default|PATH] [--url URL] [--steps N] [--tokens N] [--threads N] [--per-request]
//   ModelBench run --report REPORT.json --journal TRAJECTORY.jsonl
import Foundation
import ModelRuntime

let usage = """
    usage: ModelBench throughput [--model small|default|PATH] [--url URL] [--rounds N] [--tokens N] [--threads N]
           ModelBench cache [--model small|default|PATH] [--url URL] [--steps N] [--tokens N] [--threads N] [--per-request]
           ModelBench run --report REPORT.json --journal TRAJECTORY.jsonl [--per-request]
    """

var arguments = Array(CommandLine.arguments.dropFirst())
let command = arguments.isEmpty ? "" : arguments.removeFirst()
var flags: [String: String] = [:]
var switches: Set<String> = []
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    if flag == "--per-request" { switches.insert(flag); continue }
    guard flag.hasPrefix("--"), !arguments.isEmpty else { fail("\(flag)?\n\(usage)") }
    flags[flag] = arguments.removeFirst()
}
@MainActor func integer(_ flag: String, _ fallback: Int) -> Int {
    guard let text = flags[flag] else { return fallback }
    guard let value = Int(text), value > 0 else { fail("\(flag) needs a positive number, not \(text)") }
    return value
}

switch command {
case "throughput":
    let scratch = NSTemporaryDirectory() + "fixpoint-model-bench-\(getpid())"
    try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    var server: LocalModelServer? = nil
    let baseURL: String
    if let url = flags["--url"] {
        baseURL = url
    } else {
        var options = LocalModelServer.Options()
        options.modelPath = flags["--model"] ?? "small"
        options.contextSize = 4096
        options.threads = integer("--threads", 1)
        do { server = try await LocalModelServer.start(options) } catch { fail("cannot start llama-server: \(error)") }
        baseURL = server!.baseURL
    }
    let bench = Throughput(baseURL: baseURL, rounds: integer("--rounds", 9), tokens: integer("--tokens", 48), scratch: scratch)
    let rounds = await bench.run()
    await server?.stop()
    let model = server.map { ($0.modelPath as NSString).lastPathComponent } ?? baseURL
    print("model: \(model), \(flags["--url"] == nil ? "\(integer("--threads", 1)) thread(s), " : "")\(integer("--tokens", 48)) tokens per answer (ignore_eos), interleaved")
    print()
    print(Throughput.table(rounds))
case "cache":
    var server: LocalModelServer? = nil
    let baseURL: String
    if let url = flags["--url"] {
        baseURL = url
    } else {
        var options = LocalModelServer.Options()
        options.modelPath = flags["--model"] ?? "small"
        options.contextSize = 8192
        options.threads = integer("--threads", 1)
        do { server = try await LocalModelServer.start(options) } catch { fail("cannot start llama-server: \(error)") }
        baseURL = server!.baseURL
    }
    let sources = ((try? FileManager.default.contentsOfDirectory(atPath: "Sources/ModelClient")) ?? []).sorted()
        .filter { $0.hasSuffix(".swift") }.map { "Sources/ModelClient/" + $0 }
    guard !sources.isEmpty else { fail("run from the repository root (observations are its Sources/ModelClient files)") }
    let conversation = GrowingConversation(baseURL: baseURL, steps: integer("--steps", 24), answerTokens: integer("--tokens", 48), sourceFiles: sources)
    let requests = await conversation.run()
    await server?.stop()
    let model = server.map { ($0.modelPath as NSString).lastPathComponent } ?? baseURL
    print("model: \(model), \(requests.count) requests of a growing tool-calling conversation (native tools, answers ≤ \(integer("--tokens", 48)) tokens)")
    print()
    print(RunReading.cacheTable(requests))
    if switches.contains("--per-request") {
        print()
        print(RunReading.requestLines(requests))
    }
case "run":
    guard let report = flags["--report"], let journal = flags["--journal"] else { fail(usage) }
    let reading = RunReading(reportPath: report, journalPath: journal)
    print(reading.summaryLine())
    print()
    print(reading.timeTable())
    print()
    print(reading.cacheTable())
    if switches.contains("--per-request") {
        print()
        print(reading.requestLines())
    }
default:
    fail(usage)
}
