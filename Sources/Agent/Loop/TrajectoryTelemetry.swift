import Foundation
import ModelClient

/// What one trajectory tells the world and keeps for its report: report events, progress events for
/// the faces, the journal, token usage, model and tool time, and how often a request's messages
/// extended the previous request's exactly (prefix reuse). Used from the loop's task only.
final class TrajectoryTelemetry {
    let trajectory: Int
    private let maxSteps: Int
    private let journal: TrajectoryJournal
    private let onEvent: @Sendable (AgentEvent) -> Void
    private let startedAt: Date

    /// The step everything is recorded at; the loop advances it.
    var step = 0
    var toolCalls = 0
    private(set) var usage = RunReport.UsageTotals()
    private(set) var events: [RunReport.Event] = []
    private(set) var modelSeconds = 0.0
    private(set) var toolSeconds = 0.0
    private var previousMessages: [[UInt8]]?
    private(set) var prefixExtensions = 0
    private(set) var prefixComparisons = 0

    init(trajectory: Int, maxSteps: Int, journal: TrajectoryJournal, startedAt: Date = Date(), onEvent: @escaping @Sendable (AgentEvent) -> Void) {
        self.trajectory = trajectory; self.maxSteps = maxSteps; self.journal = journal; self.startedAt = startedAt; self.onEvent = onEvent
    }

    /// A report event, shown as progress too (compactions show their own progress line).
    func record(_ kind: RunReport.Event.Kind, _ detail: String) {
        events.append(RunReport.Event(step: step, kind: kind, detail: detail))
        if let shown = AgentEvent.Kind(kind) { emit(shown, summary: detail) }
    }

    func emit(_ kind: AgentEvent.Kind, tool: String? = nil, summary: String, call: ToolCallDetail? = nil) {
        var event = AgentEvent(kind: kind, step: step, maxSteps: maxSteps, tool: tool, summary: summary, elapsedS: elapsed)
        event.call = call
        onEvent(event)
    }

    /// Counters of a resumed run, as its checkpoint left them: budgets go on from there.
    func restore(from checkpoint: TrajectoryCheckpoint) {
        step = checkpoint.step
        toolCalls = checkpoint.toolCalls
        usage = checkpoint.usage
        modelSeconds = checkpoint.modelSeconds
        toolSeconds = checkpoint.toolSeconds
    }

    func journal(_ entry: JournalEntry) { journal.record(entry, trajectory: trajectory, step: step) }

    func addModelTime(since began: Date) { modelSeconds += Date().timeIntervalSince(began) }
    func addToolTime(since began: Date) { toolSeconds += Date().timeIntervalSince(began) }

    /// Notes the serialized messages of the next request (`Conversation.serializedMessages`).
    func trackPrefix(_ messages: [[UInt8]]) {
        if let previous = previousMessages {
            prefixComparisons += 1
            if messages.extends(previous) { prefixExtensions += 1 }
        }
        previousMessages = messages
    }

    /// Accounts a model answer: usage, the client's retries, the journal line and a progress event.
    func account(_ response: ChatResponse) {
        usage.promptTokens += response.usage.promptTokens
        usage.completionTokens += response.usage.completionTokens
        usage.cachedPromptTokens += response.usage.cachedPromptTokens
        for retry in response.telemetry.retries { record(.retry, retry) }
        journal(.modelResponse(.init(
            promptTokens: response.usage.promptTokens, completionTokens: response.usage.completionTokens,
            cachedPromptTokens: response.usage.cachedPromptTokens, finishReason: response.finishReason ?? "",
            wallS: response.telemetry.wallS, tokensPerS: response.telemetry.tokensPerSecond)))
        let hit = response.usage.promptTokens > 0 ? Double(response.usage.cachedPromptTokens) / Double(response.usage.promptTokens) : nil
        var event = AgentEvent(kind: .modelRequest, step: step, maxSteps: maxSteps,
                               summary: "model answered (\(response.usage.completionTokens) tokens)",
                               promptTokens: response.usage.promptTokens, completionTokens: response.usage.completionTokens,
                               cacheHitRate: hit, elapsedS: elapsed)
        event.tool = response.message.toolCalls.first?.name
        event.reply = ModelReply(text: response.message.content ?? "", reasoning: response.message.reasoning ?? "")
        onEvent(event)
    }

    /// Reports a compaction: the report event, the journal line and its own progress line.
    func compacted(_ done: ContextCompactor.Compaction, contextSize: Int) {
        record(.compaction, "context ~\(done.beforeTokens) tokens of \(contextSize): stubbed \(done.stubbed) old outputs, folded \(done.folded) turns into the ledger; now ~\(done.afterTokens)")
        journal(.compaction(done))
        emit(.compaction, summary: "compacted context: ~\(done.beforeTokens) → ~\(done.afterTokens) tokens")
    }

    /// The trajectory's result for the Fixer, after its last journal line.
    func outcome(_ end: RunReport.EndReason, error: String?, modelUnreachable: Bool) -> TrajectoryOutcome {
        journal(.trajectoryEnd(.init(endReason: end)))
        return TrajectoryOutcome(
            endReason: end, steps: step, toolCalls: toolCalls, usage: usage, modelSeconds: modelSeconds,
            toolSeconds: toolSeconds, events: events, error: error, prefixExtensions: prefixExtensions,
            prefixComparisons: prefixComparisons, submitted: end == .submitted, modelUnreachable: modelUnreachable)
    }

    private var elapsed: Double { Date().timeIntervalSince(startedAt) }
}
