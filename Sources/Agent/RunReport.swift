import JSONValue

/// The result of one `fix` run: the JSON the CLI writes with `--report` and the LSP command returns.
/// Field names are a contract (docs/cli.md); change them only with the docs.
public struct RunReport: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable { case verified, unverified, noPatch = "no_patch", error }
    public enum EndReason: String, Sendable, Codable {
        case submitted, maxSteps = "max_steps", tokenBudget = "token_budget", timeLimit = "time_limit"
        case formatErrors = "format_errors", cancelled, error
    }

    public struct TestRun: Sendable, Codable, Equatable {
        public var exitCode: Int32
        public var passed: Bool
        public var outputTail: String
        public init(exitCode: Int32, passed: Bool, outputTail: String) {
            self.exitCode = exitCode; self.passed = passed; self.outputTail = outputTail
        }
        enum CodingKeys: String, CodingKey { case exitCode = "exit_code", passed, outputTail = "output_tail" }
    }

    public struct Tests: Sendable, Codable, Equatable {
        public var before: TestRun?
        public var after: TestRun?
        public init(before: TestRun? = nil, after: TestRun? = nil) { self.before = before; self.after = after }
    }

    public struct UsageTotals: Sendable, Codable, Equatable {
        public var promptTokens = 0
        public var completionTokens = 0
        public var cachedPromptTokens = 0
        public init() {}
        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", cachedPromptTokens = "cached_prompt_tokens"
        }
    }

    public struct Timing: Sendable, Codable, Equatable {
        public var wallS = 0.0
        public var modelS = 0.0
        public var toolsS = 0.0
        public init() {}
        enum CodingKeys: String, CodingKey { case wallS = "wall_s", modelS = "model_s", toolsS = "tools_s" }
    }

    /// Something worth knowing that happened at a step (docs/cli.md lists the kinds).
    public struct Event: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable, CaseIterable {
            /// The model client retried a transient server error.
            case retry
            /// The context was compacted (or the server reported an overflow).
            case compaction
            /// The loop guard answered a repeated call.
            case loop
            /// The answer was no usable call (prose, invalid action), or the action mode switched because of that.
            case formatError = "format_error"
            /// A path outside the workspace or under `.git` was refused.
            case refusal
            /// The model changed a test file and was reminded to fix the code instead.
            case testEdit = "test_edit"
            /// The submit policy questioned a `submit` once (nothing changed, only tests changed, tests failing).
            case submitQuestioned = "submit_questioned"
        }
        public var step: Int
        public var kind: Kind
        public var detail: String
        public init(step: Int, kind: Kind, detail: String) { self.step = step; self.kind = kind; self.detail = detail }
    }

    public struct Trajectory: Sendable, Codable, Equatable {
        public var seed: Int
        public var status: Status
        public var steps: Int
        public var patchSHA256: String?
        public var selected: Bool
        public init(seed: Int, status: Status, steps: Int, patchSHA256: String?, selected: Bool) {
            self.seed = seed; self.status = status; self.steps = steps; self.patchSHA256 = patchSHA256; self.selected = selected
        }
        enum CodingKeys: String, CodingKey { case seed, status, steps, patchSHA256 = "patch_sha256", selected }
    }

    public var status: Status
    public var endReason: EndReason
    public var patch: String
    public var filesChanged: [String]
    public var steps: Int
    public var toolCalls: Int
    public var tests: Tests
    public var usage: UsageTotals
    public var timing: Timing
    public var events: [Event]
    public var trajectories: [Trajectory]
    public var error: String?

    public init(
        status: Status, endReason: EndReason, patch: String = "", filesChanged: [String] = [], steps: Int = 0,
        toolCalls: Int = 0, tests: Tests = Tests(), usage: UsageTotals = UsageTotals(), timing: Timing = Timing(),
        events: [Event] = [], trajectories: [Trajectory] = [], error: String? = nil
    ) {
        self.status = status; self.endReason = endReason; self.patch = patch; self.filesChanged = filesChanged
        self.steps = steps; self.toolCalls = toolCalls; self.tests = tests; self.usage = usage; self.timing = timing
        self.events = events; self.trajectories = trajectories; self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case status, endReason = "end_reason", patch, filesChanged = "files_changed", steps, toolCalls = "tool_calls"
        case tests, usage, timing, events, trajectories, error
    }

    /// The report as a JSON value (sorted keys), for the CLI and the LSP command result.
    public func toJSON() -> JSON { (try? JSON(encoding: self)) ?? .null }
}
