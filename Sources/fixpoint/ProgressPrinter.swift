import Agent
import Foundation
import JSONValue
import Synchronization

/// Shows a run as it goes: a live status line on a terminal, plain lines otherwise, or one JSON
/// event per line on stdout with --json-events (for CI).
final class ProgressPrinter: Sendable {
    private let jsonEvents: Bool
    private let live: Bool
    private let maxSteps: Int
    private let state = Mutex<State>(State())

    private struct State {
        var lastTool = "-"
        var promptTokens = 0
        var completionTokens = 0
        var cachedShare: Double?
        var lineShown = false
    }

    init(jsonEvents: Bool, maxSteps: Int) {
        self.jsonEvents = jsonEvents
        self.live = !jsonEvents && stderrIsTerminal
        self.maxSteps = maxSteps
    }

    var handle: @Sendable (AgentEvent) -> Void { { [self] event in self.show(event) } }

    private func show(_ event: AgentEvent) {
        if jsonEvents {
            var o: [String: JSON] = [
                "kind": .string(event.kind.rawValue), "step": .int(event.step), "max_steps": .int(event.maxSteps),
                "summary": .string(event.summary), "elapsed_s": .double((event.elapsedS * 100).rounded() / 100),
            ]
            if let tool = event.tool { o["tool"] = .string(tool) }
            if event.promptTokens > 0 { o["prompt_tokens"] = .int(event.promptTokens); o["completion_tokens"] = .int(event.completionTokens) }
            if let hit = event.cacheHitRate { o["cache_hit"] = .double((hit * 1000).rounded() / 1000) }
            printLine(JSON.object(o).serialized())
            return
        }
        let line: String? = state.withLock { s in
            if let tool = event.tool, event.kind == .toolCall { s.lastTool = tool }
            s.promptTokens += event.promptTokens
            s.completionTokens += event.completionTokens
            if let hit = event.cacheHitRate { s.cachedShare = hit }
            if live {
                let cache = s.cachedShare.map { "\(Int($0 * 100))%" } ?? "-"
                let status = "step \(event.step)/\(event.maxSteps)  \(s.lastTool)  tokens \(s.promptTokens)+\(s.completionTokens)  cache \(cache)  \(Int(event.elapsedS))s  \(event.summary)"
                s.lineShown = true
                return "\r\u{1B}[2K" + String(status.prefix(160))
            }
            switch event.kind {
            case .modelRequest where event.promptTokens == 0: return nil
            case .observation: return nil
            default: return "[\(Int(event.elapsedS))s] step \(event.step)/\(event.maxSteps) \(event.kind.rawValue): \(event.summary)"
            }
        }
        if let line {
            FileHandle.standardError.write(Data((live ? line : line + "\n").utf8))
        }
    }

    /// Ends the live line so later output starts on a fresh one.
    func finish() {
        if live, state.withLock({ $0.lineShown }) { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    func summary(_ outcome: FixOutcome, printPatch: Bool) {
        let r = outcome.report
        if jsonEvents {
            var event: [String: JSON] = ["kind": "report", "report": r.toJSON()]
            if let applied = outcome.appliedFiles { event["applied"] = .array(applied.map(JSON.string)) }
            if let applyError = outcome.applyError { event["apply_error"] = .string(applyError) }
            printLine(JSON.object(event).serialized())
            return
        }
        var lines = ["fixpoint: \(r.status.rawValue) (\(r.endReason.rawValue)) after \(r.steps) steps, \(r.toolCalls) tool calls, \(String(format: "%.1f", r.timing.wallS))s"]
        if let step = r.resumedFromStep { lines.append("  resumed a killed run after its step \(step)") }
        if let error = r.error { lines.append("  error: \(error)") }
        if let before = r.tests.before { lines.append("  tests before: exit \(before.exitCode)") }
        if let after = r.tests.after { lines.append("  tests after:  exit \(after.exitCode) on a clean copy with the patch") }
        if let sandbox = r.sandbox { lines.append("  sandbox: \(sandbox.policy), \(sandbox.detail)") }
        if !r.filesChanged.isEmpty { lines.append("  files changed: \(r.filesChanged.joined(separator: ", "))") }
        lines.append("  tokens: \(r.usage.promptTokens) prompt (\(r.usage.cachedPromptTokens) cached), \(r.usage.completionTokens) completion")
        let t = r.timing, s = { (v: Double) in String(format: "%.1f", v) }
        lines.append("  time: model \(s(t.modelS))s, tools \(s(t.toolsS))s, model start \(s(t.modelStartS))s, tests before \(s(t.testsBeforeS))s, "
                     + "verification \(s(t.verificationS))s, harness \(s(t.harnessS))s")
        if let applied = outcome.appliedFiles { lines.append("  applied to your working tree: \(applied.joined(separator: ", "))") }
        if let applyError = outcome.applyError { lines.append("  not applied: \(applyError)") }
        printError(lines.joined(separator: "\n"))
        if printPatch, !r.patch.isEmpty { printLine(r.patch) }
    }
}
