import Foundation
import JSONValue
import ModelClient

/// Fixpoint's client against `curl` on the same llama-server with the same request bytes, taking
/// turns (Fixpoint first on even rounds, curl first on odd ones) so that load on the machine and the
/// server's state affect both alike. `ignore_eos` makes every answer exactly `tokens` long, and the
/// identical prompt is served from the prefix cache after the warm-up, so both sides ask the server
/// for the same work each round.
struct Throughput {
    let baseURL: String
    let rounds: Int
    let tokens: Int
    let scratch: String

    struct Round {
        var fixpoint: Measurement
        var curl: Measurement
    }

    struct Measurement {
        var wallS: Double
        var completionTokens: Int
        var timings: ServerTimings?

        /// Completion tokens over the whole request, as the caller waited for it.
        var endToEndTokensPerSecond: Double { Double(completionTokens) / wallS }
        var decodeTokensPerSecond: Double? { timings?.generationTokensPerSecond }
        /// Milliseconds the caller waited beyond what the server says it computed.
        var overheadMs: Double? { timings.map { (wallS - $0.serverSeconds) * 1000 } }
        /// The share of the wait that was the server computing: the client's own throughput factor,
        /// which the model's speed (drifting with the machine's load) cancels out of.
        var serverShare: Double? { timings.map { $0.serverSeconds / wallS } }
    }

    func request() -> ChatRequest {
        let source = """
            def mean(values):
                total = 0
                for v in values:
                    total += v
                return total / len(values)

            def median(values):
                ordered = sorted(values)
                middle = len(ordered) // 2
                return ordered[middle]
            """
        var request = ChatRequest(messages: [
            ChatMessage(role: .system, content: "You are a careful software engineer. Answer with code and short explanations."),
            ChatMessage(role: .user, content: "Review this module, list its bugs and write a corrected version with tests:\n\n" + source),
        ])
        request.model = "bench"  // fixed, so the body curl sends is the client's byte for byte
        request.temperature = 0
        request.seed = 1
        request.maxTokens = tokens
        request.extra["ignore_eos"] = true
        return request
    }

    func run() async -> [Round] {
        let request = request()
        let bodyFile = scratch + "/request.json"
        guard FileManager.default.createFile(atPath: bodyFile, contents: Data(request.bodyBytes())) else { fail("cannot write \(bodyFile)") }
        var endpoint = ModelEndpoint(baseURL: baseURL)
        endpoint.maxRetries = 0
        let client = ModelClient(endpoint: endpoint)
        let curl = CurlRequest(url: endpoint.chatCompletionsURL, bodyFile: bodyFile)

        // Warm-up: fills the prefix cache and the connection pool; not measured.
        _ = await fixpoint(client, request)
        _ = await curl.run()

        var rounds: [Round] = []
        for index in 0..<self.rounds {
            let ours: Measurement, theirs: Measurement
            if index % 2 == 0 {
                ours = await fixpoint(client, request)
                theirs = await measured(curl)
            } else {
                theirs = await measured(curl)
                ours = await fixpoint(client, request)
            }
            rounds.append(Round(fixpoint: ours, curl: theirs))
            FileHandle.standardError.write(Data("round \(index + 1)/\(self.rounds): Fixpoint \(fixed(ours.endToEndTokensPerSecond, 2)) tok/s, curl \(fixed(theirs.endToEndTokensPerSecond, 2)) tok/s\n".utf8))
        }
        return rounds
    }

    private func fixpoint(_ client: ModelClient, _ request: ChatRequest) async -> Measurement {
        let started = now()
        let response: ChatResponse
        do { response = try await client.complete(request) { _ in } } catch { fail("the client's request failed: \(error)") }
        return Measurement(wallS: now() - started, completionTokens: response.usage.completionTokens, timings: response.telemetry.server)
    }

    private func measured(_ curl: CurlRequest) async -> Measurement {
        let result = await curl.run()
        return Measurement(wallS: result.wallS, completionTokens: result.completionTokens, timings: result.timings)
    }

    static func table(_ rounds: [Round]) -> String {
        let ours = rounds.map(\.fixpoint), theirs = rounds.map(\.curl)
        /// Ratios for rates and times; for the small overhead a ratio says little, so the difference.
        func row(_ name: String, _ decimals: Int, difference: Bool = false, _ value: (Measurement) -> Double?) -> String {
            let a = Sample(values: ours.compactMap(value)), b = Sample(values: theirs.compactMap(value))
            let compare: (Double, Double) -> Double = difference ? { $0 - $1 } : { $0 / $1 }
            let pairs = Sample(values: rounds.compactMap { r in value(r.fixpoint).flatMap { x in value(r.curl).map { compare(x, $0) } } })
            let places = difference ? 1 : 3
            return "| \(name) | \(a.summary(decimals)) | \(b.summary(decimals)) | \(fixed(compare(a.median, b.median), places)) | \(pairs.summary(places)) |"
        }
        return [
            "| per request (\(rounds.count) rounds, median (min–max)) | Fixpoint client | curl | Fixpoint ÷ curl (medians) | per round |",
            "|---|---:|---:|---:|---:|",
            row("end-to-end tokens/s (completion ÷ wall)", 2) { $0.endToEndTokensPerSecond },
            row("decode tokens/s (server `timings`)", 2) { $0.decodeTokensPerSecond },
            row("wall time, ms", 1) { $0.wallS * 1000 },
            row("wall − server time, ms (Fixpoint − curl)", 1, difference: true) { $0.overheadMs },
            row("server time ÷ wall", 4) { $0.serverShare },
        ].joined(separator: "\n")
    }
}
