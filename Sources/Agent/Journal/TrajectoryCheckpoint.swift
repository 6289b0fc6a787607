import Foundation
import JSONValue
import ModelClient

/// Where a trajectory stood after its last completed step: the conversation exactly as the next request
/// would send it, the harness's own counters and ledger, and the snapshot's edits as a patch. Saved
/// beside the journal after every step (`<journal>.checkpoint`), so a run whose process was killed
/// can go on from that step (`fix --resume`) with the same message prefix (a warm server cache still
/// hits), no tool run again, and budgets counted from where they were.
struct TrajectoryCheckpoint: Sendable {
    static let formatVersion = 1

    var repository: String
    var issue: String
    var testCommand: String
    var step: Int
    var toolCalls: Int
    var usage: RunReport.UsageTotals
    var modelSeconds: Double
    var toolSeconds: Double
    var actionMode: ActionMode
    var tokensPerByte: Double
    var conversation: [Conversation.Entry]
    var ledger: Ledger
    /// base → files of the trajectory's snapshot after the step.
    var patch: String

    func toJSON() -> JSON {
        .object([
            "format": .int(Self.formatVersion), "repository": .string(repository), "issue": .string(issue),
            "test_command": .string(testCommand), "step": .int(step), "tool_calls": .int(toolCalls),
            "usage": (try? JSON(encoding: usage)) ?? .null, "model_s": .double(modelSeconds), "tools_s": .double(toolSeconds),
            "action_mode": .string(actionMode.rawValue), "tokens_per_byte": .double(tokensPerByte),
            "conversation": .array(conversation.map(Self.entryJSON)), "ledger": Self.ledgerJSON(ledger), "patch": .string(patch),
        ])
    }

    init(repository: String, issue: String, testCommand: String, step: Int, toolCalls: Int, usage: RunReport.UsageTotals,
         modelSeconds: Double, toolSeconds: Double, actionMode: ActionMode, tokensPerByte: Double,
         conversation: [Conversation.Entry], ledger: Ledger, patch: String) {
        self.repository = repository; self.issue = issue; self.testCommand = testCommand; self.step = step
        self.toolCalls = toolCalls; self.usage = usage; self.modelSeconds = modelSeconds; self.toolSeconds = toolSeconds
        self.actionMode = actionMode; self.tokensPerByte = tokensPerByte; self.conversation = conversation
        self.ledger = ledger; self.patch = patch
    }

    /// nil when `json` is not a checkpoint of this format.
    init?(json: JSON) {
        guard json["format"]?.intValue == Self.formatVersion,
              let repository = json["repository"]?.stringValue, let issue = json["issue"]?.stringValue,
              let testCommand = json["test_command"]?.stringValue, let step = json["step"]?.intValue,
              let toolCalls = json["tool_calls"]?.intValue, let usage = try? json["usage"]?.decode(RunReport.UsageTotals.self),
              let mode = json["action_mode"]?.stringValue.flatMap(ActionMode.init(rawValue:)),
              let entries = json["conversation"]?.arrayValue, let ledger = json["ledger"].flatMap(Self.ledger(from:)),
              let patch = json["patch"]?.stringValue else { return nil }
        var conversation: [Conversation.Entry] = []
        for entry in entries {
            guard let restored = Self.entry(from: entry) else { return nil }
            conversation.append(restored)
        }
        self.init(repository: repository, issue: issue, testCommand: testCommand, step: step, toolCalls: toolCalls, usage: usage,
                  modelSeconds: json["model_s"]?.doubleValue ?? 0, toolSeconds: json["tools_s"]?.doubleValue ?? 0, actionMode: mode,
                  tokensPerByte: json["tokens_per_byte"]?.doubleValue ?? 0.3, conversation: conversation, ledger: ledger, patch: patch)
    }

    // MARK: Parts

    static func entryJSON(_ entry: Conversation.Entry) -> JSON {
        var o: [String: JSON] = ["message": entry.message.toJSON(), "kind": .string(entry.kind.rawValue), "step": .int(entry.step)]
        if let summary = entry.callSummary { o["call_summary"] = .string(summary) }
        if entry.stubbed { o["stubbed"] = .bool(true) }
        return .object(o)
    }

    static func entry(from json: JSON) -> Conversation.Entry? {
        guard let message = json["message"].flatMap(Self.message(from:)),
              let kind = json["kind"]?.stringValue.flatMap(Conversation.Kind.init(rawValue:)),
              let step = json["step"]?.intValue else { return nil }
        return Conversation.Entry(message: message, kind: kind, step: step, callSummary: json["call_summary"]?.stringValue,
                                  stubbed: json["stubbed"]?.boolValue ?? false)
    }

    /// The inverse of `ChatMessage.toJSON()`: the message serializes to the same bytes again.
    static func message(from json: JSON) -> ChatMessage? {
        guard let role = json["role"]?.stringValue.flatMap(Role.init(rawValue:)) else { return nil }
        var field = ReasoningField.reasoningContent
        var reasoning: String?
        if let text = json[ReasoningField.reasoningContent.rawValue]?.stringValue {
            reasoning = text
        } else if let text = json[ReasoningField.reasoning.rawValue]?.stringValue {
            reasoning = text
            field = .reasoning
        }
        var calls: [ToolCall] = []
        for call in json["tool_calls"]?.arrayValue ?? [] {
            guard let id = call["id"]?.stringValue, let name = call["function"]?["name"]?.stringValue,
                  let arguments = call["function"]?["arguments"]?.stringValue else { return nil }
            calls.append(ToolCall(id: id, name: name, arguments: arguments))
        }
        return ChatMessage(role: role, content: json["content"]?.stringValue, reasoning: reasoning, reasoningField: field,
                           toolCalls: calls, toolCallID: json["tool_call_id"]?.stringValue, name: json["name"]?.stringValue)
    }

    static func ledgerJSON(_ ledger: Ledger) -> JSON {
        var o: [String: JSON] = [
            "goal": .string(ledger.goal), "test_command": .string(ledger.testCommand),
            "diff_stat": .array(ledger.diffStat.map(JSON.string)), "failing_tests": .array(ledger.failingTests.map(JSON.string)),
            "attempts": .array(ledger.attempts.map(JSON.string)),
        ]
        if let latest = ledger.latestTestResult { o["latest_test_result"] = .string(latest) }
        return .object(o)
    }

    static func ledger(from json: JSON) -> Ledger? {
        guard let goal = json["goal"]?.stringValue, let testCommand = json["test_command"]?.stringValue else { return nil }
        var ledger = Ledger(goal: goal, testCommand: testCommand)
        ledger.diffStat = json["diff_stat"]?.arrayValue?.compactMap(\.stringValue) ?? []
        ledger.failingTests = json["failing_tests"]?.arrayValue?.compactMap(\.stringValue) ?? []
        ledger.attempts = json["attempts"]?.arrayValue?.compactMap(\.stringValue) ?? []
        ledger.latestTestResult = json["latest_test_result"]?.stringValue
        return ledger
    }
}
