import Agent
import JSONRPC
import JSONValue
import Runs

/// The language server's rendering of a run's events: turns them into `$/progress`, `fixpoint/step` and `window/logMessage`. Called from the
/// agent's threads; sending is thread-safe and keeps call order.
struct RunProgress: Sendable {
    let connection: Connection
    let runID: String
    let token: JSON?

    func begin(issue: String, folder: String) {
        let firstLine = issue.split(separator: "\n").first.map(String.init) ?? issue
        progress([
            "kind": "begin", "title": "Fixpoint", "cancellable": true, "percentage": 0,
            "message": .string("\(runID) in \(folder): \(firstLine.prefix(80))"),
        ])
        logLine("\(runID) started in \(folder)")
    }

    func report(_ event: AgentEvent) {
        let message = event.progressLine
        progress(["kind": "report", "message": .string(message), "percentage": .int(event.percentage), "cancellable": true])
        connection.notify("fixpoint/step", Self.stepPayload(runID: runID, event))
        logLine("\(runID) \(message)")
    }

    /// How a run ended, as `fixpoint/step`'s `run_end` names it.
    enum Outcome: Sendable {
        case cancelled
        case finished(RunReport.Status)

        var name: String {
            switch self {
            case .cancelled: "cancelled"
            case .finished(let status): status.rawValue
            }
        }
    }

    func end(_ message: String, outcome: Outcome) {
        progress(["kind": "end", "message": .string(message)])
        // Mirrored for clients without `$/progress` (and for Neovim, which drops the -32800 answer
        // of a cancelled request without calling its handler): the one place the end is always seen.
        connection.notify("fixpoint/step", [
            "runId": .string(runID), "kind": "run_end", "outcome": .string(outcome.name), "summary": .string(message),
        ])
        logLine("\(runID) finished: \(message)")
    }

    /// The `fixpoint/step` params: the structured event, for clients that show a live log.
    static func stepPayload(runID: String, _ event: AgentEvent) -> JSON {
        var object: [String: JSON] = [
            "runId": .string(runID), "kind": .string(event.kind.rawValue), "step": .int(event.step),
            "maxSteps": .int(event.maxSteps), "summary": .string(event.summary),
            "promptTokens": .int(event.promptTokens), "completionTokens": .int(event.completionTokens),
            "elapsedS": .double(event.elapsedS),
        ]
        if let tool = event.tool { object["tool"] = .string(tool) }
        if let hit = event.cacheHitRate { object["cacheHitRate"] = .double(hit) }
        return .object(object)
    }

    private func progress(_ value: JSON) {
        guard let token else { return }
        connection.notify("$/progress", ["token": token, "value": value])
    }

    private func logLine(_ text: String) {
        connection.notify("window/logMessage", ["type": 4, "message": .string("Fixpoint: \(text)")])
    }
}
