import ModelClient

/// What one journal line says, by event. The `event` field names the case; the payload's fields sit
/// beside it on the same line. Field names are the documented JSONL format (docs/cli.md): add fields
/// freely, rename none, so older journals still decode (a resumed run reads them back).
public enum JournalEntry: Sendable, Equatable {
    case runStart(RunStart)
    case testsBefore(TestsBefore)
    case modelResponse(ModelResponse)
    case assistant(Assistant)
    case toolCall(ToolCallMade)
    case observation(Observation)
    case tests(Tests)
    case compaction(Compaction)
    case verification(Verification)
    case repair(Repair)
    case trajectoryEnd(TrajectoryEnd)
    case runEnd(RunEnd)

    public enum Event: String, Codable, Sendable, CaseIterable {
        case runStart = "run_start", testsBefore = "tests_before", modelResponse = "model_response", assistant
        case toolCall = "tool_call", observation, tests, compaction, verification, repair
        case trajectoryEnd = "trajectory_end", runEnd = "run_end"
    }

    public var event: Event {
        switch self {
        case .runStart: .runStart
        case .testsBefore: .testsBefore
        case .modelResponse: .modelResponse
        case .assistant: .assistant
        case .toolCall: .toolCall
        case .observation: .observation
        case .tests: .tests
        case .compaction: .compaction
        case .verification: .verification
        case .repair: .repair
        case .trajectoryEnd: .trajectoryEnd
        case .runEnd: .runEnd
        }
    }

    public struct RunStart: Codable, Sendable, Equatable {
        public var repository: String
        public var testCommand: String
        public var maxSteps: Int
        public var heavy: Int
        public var version: String
        /// The sandbox policy, and whether commands run inside bubblewrap (absent in older journals).
        public var sandbox: String?
        public var sandboxed: Bool?
        /// Set when this run resumed a killed one: the last step that run completed.
        public var resumedFromStep: Int? = nil
        enum CodingKeys: String, CodingKey {
            case repository, testCommand = "test_command", maxSteps = "max_steps", heavy, version, sandbox, sandboxed
            case resumedFromStep = "resumed_from_step"
        }
    }

    public struct TestsBefore: Codable, Sendable, Equatable {
        public var exitCode: Int
        public var durationS: Double
        enum CodingKeys: String, CodingKey { case exitCode = "exit_code", durationS = "duration_s" }
    }

    public struct ModelResponse: Codable, Sendable, Equatable {
        public var promptTokens: Int
        public var completionTokens: Int
        public var cachedPromptTokens: Int
        /// "" when the server gave none.
        public var finishReason: String
        public var wallS: Double
        /// Written as null when unknown.
        public var tokensPerS: Double?
        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
            case cachedPromptTokens = "cached_prompt_tokens", finishReason = "finish_reason", wallS = "wall_s"
            case tokensPerS = "tokens_per_s"
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(promptTokens, forKey: .promptTokens)
            try c.encode(completionTokens, forKey: .completionTokens)
            try c.encode(cachedPromptTokens, forKey: .cachedPromptTokens)
            try c.encode(finishReason, forKey: .finishReason)
            try c.encode(wallS, forKey: .wallS)
            try c.encode(tokensPerS, forKey: .tokensPerS)
        }
    }

    /// An assistant turn. Native turns carry their tool calls verbatim; constrained turns only
    /// their content (the action object), so the other fields are absent there.
    public struct Assistant: Codable, Sendable, Equatable {
        public struct Call: Codable, Sendable, Equatable {
            public var id: String
            public var name: String
            public var arguments: String
        }
        public var content: String
        public var reasoningChars: Int?
        public var toolCalls: [Call]?
        public var recoveredFromText: Bool?
        init(content: String, reasoningChars: Int? = nil, toolCalls: [Call]? = nil, recoveredFromText: Bool? = nil) {
            self.content = content; self.reasoningChars = reasoningChars; self.toolCalls = toolCalls
            self.recoveredFromText = recoveredFromText
        }

        /// The answer as the journal keeps it in this action mode.
        init(_ response: ChatResponse, mode: ActionMode) {
            let message = response.message
            guard mode != .constrained else { self.init(content: message.content ?? ""); return }
            self.init(content: message.content ?? "", reasoningChars: message.reasoning?.count ?? 0,
                      toolCalls: message.toolCalls.map { Call(id: $0.id, name: $0.name, arguments: $0.arguments) },
                      recoveredFromText: response.recoveredFromText)
        }

        enum CodingKeys: String, CodingKey {
            case content, reasoningChars = "reasoning_chars", toolCalls = "tool_calls", recoveredFromText = "recovered_from_text"
        }
    }

    public struct ToolCallMade: Codable, Sendable, Equatable {
        public var name: String
        public var arguments: String
        public var id: String
        /// True when the harness answered the call itself instead of running it (a questioned submit).
        public var refused: Bool?
    }

    public struct Observation: Codable, Sendable, Equatable {
        public var name: String
        public var bytes: Int
        public var sha256: String
        /// The first 200 characters.
        public var head: String
        public var failed: Bool
    }

    public struct Tests: Codable, Sendable, Equatable {
        public var exitCode: Int
        public var command: String
        enum CodingKeys: String, CodingKey { case exitCode = "exit_code", command }
    }

    public struct Compaction: Codable, Sendable, Equatable {
        public var beforeTokens: Int
        public var afterTokens: Int
        public var stubbed: Int
        public var folded: Int
        enum CodingKeys: String, CodingKey {
            case beforeTokens = "before_tokens", afterTokens = "after_tokens", stubbed, folded
        }
    }

    public struct Verification: Codable, Sendable, Equatable {
        /// The judging run's exit code; -1 when it could not run.
        public var exitCode: Int
        /// Whether the patch is verified (docs/cli.md, "Verification"), not just the exit code.
        public var passed: Bool
        public var method: VerificationMethod? = nil
        public var reason: String? = nil
        public var failToPass: [String]? = nil
        public var passToPassBroken: [String]? = nil
        public var testFilesTouched: [String]? = nil
        enum CodingKeys: String, CodingKey {
            case exitCode = "exit_code", passed, method, reason, failToPass = "fail_to_pass", passToPassBroken = "pass_to_pass_broken"
            case testFilesTouched = "test_files_touched"
        }
    }

    /// One answer of the focused repair (before the agent loop): the line it changes and what the
    /// tests said; nil fields where the answer named no usable change.
    public struct Repair: Codable, Sendable, Equatable {
        public var path: String?
        public var line: Int?
        public var replacement: String?
        public var diagnosis: String?
        public var promptTokens: Int
        public var completionTokens: Int
        public var wallS: Double
        /// Whether this change was verified; nil when it was not tested (unusable, repeated, or no change).
        public var verified: Bool?
        public var reason: String?
        /// Who chose the line: the model, or the repair's search naming each line in turn.
        public var lineChosenBy: LineChooser?
        /// Who named the line: the model, the search, or the failure (a name it says is unbound,
        /// `MissingAssignment`).
        public enum LineChooser: String, Codable, Sendable { case model, search, unboundName = "unbound_name" }
        /// Set when this change is one of a model answer's separate changes made alone
        /// (`AnswerParts`): that answer's step. It cost no model time of its own.
        public var partOfAnswer: Int?
        enum CodingKeys: String, CodingKey {
            case path, line, replacement, diagnosis, promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
            case wallS = "wall_s", verified, reason, lineChosenBy = "line_chosen_by", partOfAnswer = "part_of_answer"
        }
    }

    public struct TrajectoryEnd: Codable, Sendable, Equatable {
        public var endReason: RunReport.EndReason
        enum CodingKeys: String, CodingKey { case endReason = "end_reason" }
    }

    /// The run's last line: its result, or the error that stopped it before any trajectory ran.
    public struct RunEnd: Codable, Sendable, Equatable {
        public var status: RunReport.Status?
        public var endReason: RunReport.EndReason?
        public var steps: Int?
        /// Written as null when no request had a predecessor.
        public var prefixReuse: Double?
        public var error: String?
        enum CodingKeys: String, CodingKey {
            case status, endReason = "end_reason", steps, prefixReuse = "prefix_reuse", error
        }
        public static func failed(_ error: String) -> RunEnd { RunEnd(error: error) }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(error, forKey: .error)
            guard let status else { return }
            try c.encode(status, forKey: .status)
            try c.encodeIfPresent(endReason, forKey: .endReason)
            try c.encodeIfPresent(steps, forKey: .steps)
            try c.encode(prefixReuse, forKey: .prefixReuse)
        }
    }
}

/// One journal line: when and where in the run, and what happened.
public struct JournalRecord: Codable, Sendable, Equatable {
    /// Seconds since the run started, to the millisecond.
    public var t: Double
    public var step: Int
    public var trajectory: Int
    public var entry: JournalEntry

    public init(t: Double, step: Int, trajectory: Int, entry: JournalEntry) {
        self.t = t; self.step = step; self.trajectory = trajectory; self.entry = entry
    }

    enum CodingKeys: String, CodingKey { case t, step, trajectory, event }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entry.event, forKey: .event)
        try c.encode(t, forKey: .t)
        try c.encode(step, forKey: .step)
        try c.encode(trajectory, forKey: .trajectory)
        switch entry {
        case .runStart(let p): try p.encode(to: encoder)
        case .testsBefore(let p): try p.encode(to: encoder)
        case .modelResponse(let p): try p.encode(to: encoder)
        case .assistant(let p): try p.encode(to: encoder)
        case .toolCall(let p): try p.encode(to: encoder)
        case .observation(let p): try p.encode(to: encoder)
        case .tests(let p): try p.encode(to: encoder)
        case .compaction(let p): try p.encode(to: encoder)
        case .verification(let p): try p.encode(to: encoder)
        case .repair(let p): try p.encode(to: encoder)
        case .trajectoryEnd(let p): try p.encode(to: encoder)
        case .runEnd(let p): try p.encode(to: encoder)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        t = try c.decode(Double.self, forKey: .t)
        step = try c.decode(Int.self, forKey: .step)
        trajectory = try c.decode(Int.self, forKey: .trajectory)
        switch try c.decode(JournalEntry.Event.self, forKey: .event) {
        case .runStart: entry = .runStart(try .init(from: decoder))
        case .testsBefore: entry = .testsBefore(try .init(from: decoder))
        case .modelResponse: entry = .modelResponse(try .init(from: decoder))
        case .assistant: entry = .assistant(try .init(from: decoder))
        case .toolCall: entry = .toolCall(try .init(from: decoder))
        case .observation: entry = .observation(try .init(from: decoder))
        case .tests: entry = .tests(try .init(from: decoder))
        case .compaction: entry = .compaction(try .init(from: decoder))
        case .verification: entry = .verification(try .init(from: decoder))
        case .repair: entry = .repair(try .init(from: decoder))
        case .trajectoryEnd: entry = .trajectoryEnd(try .init(from: decoder))
        case .runEnd: entry = .runEnd(try .init(from: decoder))
        }
    }
}
