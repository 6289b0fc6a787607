import ChildProcess
import Foundation
import JSONValue
import ModelClient

/// The same request sent by the `curl` program: the body bytes Fixpoint's client would send, from a
/// file, streamed (`-N`) to a pipe. The stream is parsed afterwards (by the same SSE parser) only to
/// read the server's usage and timings; curl's own `time_total` is its wall time, so process start
/// and our parsing are not counted against it.
struct CurlRequest {
    let url: String
    let bodyFile: String

    struct Result {
        var wallS: Double
        var processWallS: Double
        var completionTokens: Int
        var timings: ServerTimings?
    }

    func run() async -> Result {
        var spec = ProcessSpec(executable: "/usr/bin/curl", arguments: [
            "-sS", "-N", "--no-progress-meter", "-H", "Content-Type: application/json", "-H", "Accept: text/event-stream",
            "-H", "Expect:", "--data-binary", "@" + bodyFile, "-w", "%{stderr}%{time_total}", url,
        ])
        spec.outputLimit = 64 << 20
        let started = now()
        let output: ProcessOutput
        do { output = try await ChildProcess.run(spec) } catch { fail("cannot run curl: \(error)") }
        let processWall = now() - started
        guard output.status.code == 0, let total = Double(String(decoding: output.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            fail("curl failed (\(output.status)): \(String(decoding: output.stderr, as: UTF8.self))")
        }
        var parser = SSEParser()
        var completion = 0
        var timings: ServerTimings? = nil
        for case .data(let payload) in parser.feed(output.stdout) {
            guard let chunk = try? JSON.parse(payload) else { continue }
            if let n = chunk["usage"]?["completion_tokens"]?.intValue { completion = n }
            if let t = chunk["timings"], let parsed = ServerTimings(t) { timings = parsed }
        }
        return Result(wallS: total, processWallS: processWall, completionTokens: completion, timings: timings)
    }
}
