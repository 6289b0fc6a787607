import Agent

/// One task's row in results.json: what the run did (the `fix` report's essentials), how the
/// independent judge saw it, and the step log for the HTML report.
public struct TaskResult: Sendable, Codable, Equatable {
    public var instanceID: String
    /// The run's own status: verified, unverified, no_patch or error.
    public var status: RunReport.Status
    public var endReason: RunReport.EndReason
    public var judgement: Judgement
    public var patch: String
    public var steps: Int
    public var toolCalls: Int
    public var promptTokens: Int
    public var completionTokens: Int
    public var cachedPromptTokens: Int
    public var wallS: Double
    /// The run's verification evidence (the report's `tests.*` fields).
    public var tests: RunReport.Tests?
    /// One line per step event (tool calls, tests, verification), for the HTML report.
    public var log: [String]
    public var error: String?

    public var verified: Bool { status == .verified }
    public var resolved: Bool { judgement.resolved }
    public var cachedShare: Double { promptTokens == 0 ? 0 : Double(cachedPromptTokens) / Double(promptTokens) }

    enum CodingKeys: String, CodingKey {
        case instanceID = "instance_id", status, endReason = "end_reason", judgement, patch, steps, toolCalls = "tool_calls"
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", cachedPromptTokens = "cached_prompt_tokens"
        case wallS = "wall_s", tests, log, error
    }
}

/// results.json: the run's settings, a summary, and every task.
public struct EvalResults: Sendable, Codable, Equatable {
    public var model: String
    public var tasks: [TaskResult]

    public struct Summary: Sendable, Codable, Equatable {
        public var total: Int
        public var verified: Int
        public var resolved: Int
        public var resolveRate: Double
        /// Verified by Fixpoint but not resolved by the judge: the number that must stay at zero.
        public var verifiedNotResolved: Int
        enum CodingKeys: String, CodingKey {
            case total, verified, resolved, resolveRate = "resolve_rate", verifiedNotResolved = "verified_not_resolved"
        }
    }

    public var summary: Summary {
        let resolved = tasks.filter(\.resolved).count
        return Summary(total: tasks.count, verified: tasks.filter(\.verified).count, resolved: resolved,
                       resolveRate: tasks.isEmpty ? 0 : Double(resolved) / Double(tasks.count),
                       verifiedNotResolved: tasks.filter { $0.verified && !$0.resolved }.count)
    }

    public init(model: String, tasks: [TaskResult]) { self.model = model; self.tasks = tasks }

    enum CodingKeys: String, CodingKey { case model, tasks, summary }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(summary, forKey: .summary)
        try c.encode(tasks, forKey: .tasks)
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(String.self, forKey: .model)
        tasks = try c.decode([TaskResult].self, forKey: .tasks)
    }
}
