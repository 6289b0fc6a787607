import Agent
import JSONRPC
import JSONValue
import Runs
import Locking

/// Turns one prompt turn's agent events into `session/update` notifications: the plan, a `tool_call`
/// and its `tool_call_update`s for every tool the agent runs (and for Fixpoint's own test runs),
/// thought and message chunks. Called from the agent's threads, in order; sending keeps that order.
final class TurnUpdates: Sendable {
    let connection: Connection
    let sessionID: String
    /// The repository root: tool paths are relative to it, ACP paths are absolute.
    let repository: String
    let mode: SessionMode
    private let state = Locked(State())

    private struct State {
        var phase: PlanPhase?
        /// Tool calls announced and not yet answered, oldest first: (id, tool). Events without a
        /// `ToolCallDetail` are paired by tool name.
        var open: [(id: String, tool: String)] = []
        var counter = 0
    }

    init(connection: Connection, sessionID: String, repository: String, mode: SessionMode) {
        self.connection = connection; self.sessionID = sessionID; self.repository = repository; self.mode = mode
    }

    // MARK: Sending

    func send(_ update: JSON) {
        connection.notify("session/update", ["sessionId": .string(sessionID), "update": update])
    }

    func message(_ text: String) {
        send(["sessionUpdate": "agent_message_chunk", "content": ["type": "text", "text": .string(text)]])
    }

    func thought(_ text: String) {
        send(["sessionUpdate": "agent_thought_chunk", "content": ["type": "text", "text": .string(text)]])
    }

    /// Moves the plan to `phase` (never back).
    func enter(_ phase: PlanPhase, done: Bool = false) {
        let moved = state.withLock { state -> Bool in
            if let current = state.phase, current.rawValue > phase.rawValue { return false }
            state.phase = phase
            return true
        }
        if moved { send(PlanPhase.update(current: phase, done: done, mode: mode)) }
    }

    // MARK: Agent events

    func handle(_ event: AgentEvent) {
        if let reply = event.reply {
            if !reply.reasoning.isEmpty { thought(reply.reasoning) }
            if !reply.text.isEmpty { message(reply.text) }
        }
        switch event.kind {
        case .started: enter(.testsBefore)
        case .testsBefore:
            ownToolCall(title: "Run your tests before any change", output: event.summary)
            enter(.fix)
        case .modelRequest: enter(.fix)
        case .toolCall: startToolCall(event)
        case .observation: finishToolCall(event)
        case .verification:
            enter(.verify)
            ownToolCall(title: "Verify the patch: your tests on a fresh copy with it applied", output: event.summary)
        case .finished: break
        default: thought("(\(event.kind.rawValue): \(event.summary))")
        }
    }

    private func startToolCall(_ event: AgentEvent) {
        let tool = event.tool ?? "tool"
        let id = state.withLock { state -> String in
            state.counter += 1
            let id = event.call?.id ?? "call-\(state.counter)"
            state.open.append((id, tool))
            return id
        }
        var call: [String: JSON] = [
            "sessionUpdate": "tool_call", "toolCallId": .string(id), "title": .string(event.summary),
            "kind": .string(ToolKind(tool: tool, role: event.call?.role).rawValue), "status": "pending",
        ]
        if let arguments = event.call?.arguments, let parsed = try? JSON.parse(Array(arguments.utf8)) {
            call["rawInput"] = parsed
            if let path = parsed["path"]?.stringValue { call["locations"] = [["path": .string(absolute(path))]] }
        }
        send(.object(call))
        send(["sessionUpdate": "tool_call_update", "toolCallId": .string(id), "status": "in_progress"])
    }

    private func finishToolCall(_ event: AgentEvent) {
        let tool = event.tool ?? "tool"
        let id = state.withLock { state -> String? in
            let index = event.call.flatMap { detail in state.open.firstIndex { $0.id == detail.id } }
                ?? state.open.firstIndex { $0.tool == tool }
            return index.map { state.open.remove(at: $0).id }
        }
        guard let id else { return }
        let failed = event.call?.failed ?? event.summary.hasPrefix("error: ")
        var content: [JSON] = [Self.text(event.call?.output ?? event.summary)]
        for edit in event.call?.edits ?? [] { content.append(diff(edit)) }
        send([
            "sessionUpdate": "tool_call_update", "toolCallId": .string(id),
            "status": .string(failed ? "failed" : "completed"), "content": .array(content),
        ])
    }

    /// A tool call Fixpoint makes itself (its own test runs): announced, run, done in one go.
    private func ownToolCall(title: String, output: String) {
        let id = state.withLock { state -> String in
            state.counter += 1
            return "fixpoint-\(state.counter)"
        }
        send(["sessionUpdate": "tool_call", "toolCallId": .string(id), "title": .string(title), "kind": "execute", "status": "pending"])
        send(["sessionUpdate": "tool_call_update", "toolCallId": .string(id), "status": "in_progress"])
        send(["sessionUpdate": "tool_call_update", "toolCallId": .string(id), "status": "completed", "content": [Self.text(output)]])
    }

    // MARK: Content

    static func text(_ text: String) -> JSON {
        ["type": "content", "content": ["type": "text", "text": .string(text)]]
    }

    /// ACP's `diff` tool-call content: an absolute path, the old text (null for a new file), the new text.
    func diff(_ change: FileChange) -> JSON {
        ["type": "diff", "path": .string(absolute(change.path)), "oldText": change.before.map(JSON.string) ?? .null,
         "newText": .string(change.after ?? "")]
    }

    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : repository + "/" + path
    }
}
