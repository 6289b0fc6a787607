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

    func end(_ message: String) {
        progress(["kind": "end", "message": .string(message)])
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
