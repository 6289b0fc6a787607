import Eval
import Foundation
import Locking

/// The live view of an evaluation on stderr: a progress bar with the running tasks on a terminal,
/// one line per finished task otherwise.
final class EvalProgressPrinter: Sendable {
    private let total: Int
    private let live = stderrIsTerminal
    private let state = Locked<State>(State())

    private struct State {
        var done = 0
        var resolved = 0
        var running: [String: String] = [:]
    }

    init(total: Int) { self.total = total }

    var handle: @Sendable (EvalProgress) -> Void { { [self] progress in self.show(progress) } }

    private func show(_ progress: EvalProgress) {
        let line: String? = state.withLock { s in
            switch progress {
            case .started(let id, _, _):
                s.running[id] = "starting"
                return nil
            case .step(let id, let event):
                s.running[id] = "step \(event.step)"
                return nil
            case .finished(let result, let done, _):
                s.running[result.instanceID] = nil
                s.done = done
                if result.resolved { s.resolved += 1 }
                return "[\(done)/\(total)] \(result.instanceID): \(result.status.rawValue), \(result.resolved ? "resolved" : "unresolved")"
                    + " (\(result.steps) steps, \(String(format: "%.1f", result.wallS)) s)"
            }
        }
        if live {
            let bar = state.withLock { s -> String in
                let width = 24
                let filled = total == 0 ? width : width * s.done / total
                let running = s.running.sorted { $0.key < $1.key }.prefix(3).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
                    + "\(s.done)/\(total), \(s.resolved) resolved" + (running.isEmpty ? "" : " | \(running)")
            }
            if let line { FileHandle.standardError.write(Data(("\r\u{1B}[K" + line + "\n").utf8)) }
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + String(bar.prefix(160))).utf8))
        } else if let line {
            printError(line)
        }
    }

    func finish() { if live { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
}

/// The final table: task, verified, judged resolved, steps, tokens, cached %, wall time.
enum EvalTable {
    static func render(_ results: EvalResults) -> String {
        let header = ["task", "verified", "resolved", "steps", "tokens", "cached", "wall"]
        var rows = results.tasks.map { t in
            [t.instanceID, t.verified ? "yes" : "no (\(t.status.rawValue))", t.resolved ? "yes" : "no", String(t.steps),
             String(t.promptTokens + t.completionTokens), String(format: "%.0f%%", t.cachedShare * 100), String(format: "%.1fs", t.wallS)]
        }
        let s = results.summary
        rows.append(["total \(s.total)", "\(s.verified)", "\(s.resolved) (\(String(format: "%.0f%%", s.resolveRate * 100)))", "", "", "", ""])
        let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
        let format = { (row: [String]) in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        return ([format(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(format))
            .joined(separator: "\n")
    }
}
