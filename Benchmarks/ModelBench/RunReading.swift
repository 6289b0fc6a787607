import Foundation
import JSONValue

/// Reads what a real `fixpoint fix` run recorded, its report and trajectory journal, into the end-to-end
/// time split and the prefix-cache hit rate (from the server's own counts per request).
struct RunReading {
    let report: JSON
    let requests: [Request]

    struct Request {
        var step: Int
        var promptTokens: Int
        var cachedTokens: Int
        var completionTokens: Int
        var wallS: Double
    }

    init(reportPath: String, journalPath: String) {
        // (the run's own report and journal; `GrowingConversation` fills `Request`s itself)
        guard let data = FileManager.default.contents(atPath: reportPath), let report = try? JSON.parse(String(decoding: data, as: UTF8.self)) else {
            fail("cannot read the report \(reportPath)")
        }
        guard let journal = try? String(contentsOfFile: journalPath, encoding: .utf8) else { fail("cannot read the journal \(journalPath)") }
        self.report = report
        requests = journal.split(separator: "\n").compactMap { line in
            guard let record = try? JSON.parse(String(line)), record["event"]?.stringValue == "model_response" else { return nil }
            return Request(step: record["step"]?.intValue ?? 0, promptTokens: record["prompt_tokens"]?.intValue ?? 0,
                           cachedTokens: record["cached_prompt_tokens"]?.intValue ?? 0,
                           completionTokens: record["completion_tokens"]?.intValue ?? 0, wallS: record["wall_s"]?.doubleValue ?? 0)
        }
    }

    func summaryLine() -> String {
        let r = report
        return "status \(r["status"]?.stringValue ?? "?") (\(r["end_reason"]?.stringValue ?? "?")), \(r["steps"]?.intValue ?? 0) steps, "
            + "\(r["tool_calls"]?.intValue ?? 0) tool calls, \(requests.count) model requests"
    }

    func timeTable() -> String {
        let t = report["timing"]
        let wall = t?["wall_s"]?.doubleValue ?? 0
        let rows: [(String, String)] = [
            ("model requests", "model_s"), ("tool calls", "tools_s"), ("model start (llama-server load, /health)", "model_start_s"),
            ("tests before any change", "tests_before_s"), ("verification (fresh copy, patch, tests)", "verification_s"),
            ("harness (the rest: snapshots, prompts, parsing, journal)", "harness_s"),
        ]
        var lines = ["| part of `fixpoint fix` | seconds | share of wall |", "|---|---:|---:|"]
        for (name, key) in rows {
            let s = t?[key]?.doubleValue ?? .nan
            lines.append("| \(name) | \(fixed(s, 2)) | \(fixed(100 * s / wall, 1)) % |")
        }
        lines.append("| **wall** | **\(fixed(wall, 2))** | 100 % |")
        return lines.joined(separator: "\n")
    }

    /// Hit rate = cached ÷ prompt tokens. "Kept" compares the cached tokens with what the server could
    /// have kept: the previous request's prompt plus its answer (everything else is new text).
    func cacheTable() -> String { Self.cacheTable(requests) }

    static func cacheTable(_ requests: [Request]) -> String {
        guard let first = requests.first else { return "no model requests recorded" }
        let later = Array(requests.dropFirst())
        let prompt = later.reduce(0) { $0 + $1.promptTokens }, cached = later.reduce(0) { $0 + $1.cachedTokens }
        let perRequest = Sample(values: later.map { Double($0.cachedTokens) / Double(max(1, $0.promptTokens)) })
        let kept = Sample(values: zip(requests, later).map { previous, next in
            Double(next.cachedTokens) / Double(max(1, min(next.promptTokens, previous.promptTokens + previous.completionTokens)))
        })
        let total = requests.reduce(0) { $0 + $1.promptTokens }, totalCached = requests.reduce(0) { $0 + $1.cachedTokens }
        return [
            "| prefix cache (server's `cached_tokens` ÷ `prompt_tokens`) | value |",
            "|---|---:|",
            "| requests | \(requests.count) (first: \(first.promptTokens) prompt tokens, \(first.cachedTokens) cached) |",
            "| hit rate after the first request (token-weighted) | **\(fixed(Double(cached) / Double(max(1, prompt)), 3))** (\(cached) of \(prompt)) |",
            "| hit rate per request after the first, median (min–max) | \(perRequest.summary(3)) |",
            "| cached ÷ reusable (previous prompt + answer), median (min–max) | \(kept.summary(3)) |",
            "| hit rate over the whole run, first request included | \(fixed(Double(totalCached) / Double(max(1, total)), 3)) (\(totalCached) of \(total)) |",
        ].joined(separator: "\n")
    }

    /// One line per request, for finding where a prefix broke.
    func requestLines() -> String { Self.requestLines(requests) }

    static func requestLines(_ requests: [Request]) -> String {
        var lines = ["| step | prompt | cached | hit rate | answer tokens | wall s |", "|---:|---:|---:|---:|---:|---:|"]
        for r in requests {
            lines.append("| \(r.step) | \(r.promptTokens) | \(r.cachedTokens) | \(fixed(Double(r.cachedTokens) / Double(max(1, r.promptTokens)), 3)) | \(r.completionTokens) | \(fixed(r.wallS, 2)) |")
        }
        return lines.joined(separator: "\n")
    }
}
