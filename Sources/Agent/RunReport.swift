import JSONValue

/// The result of one `fix` run: the JSON the CLI writes with `--report` and the LSP command returns.
/// Field names are a contract (docs/cli.md); change them only with the docs.
public struct RunReport: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable { case verified, unverified, noPatch = "no_patch", error }
    public enum EndReason: String, Sendable, Codable {
        /// `repaired`: the focused repair's answer was verified before the agent loop began.
        case submitted, repaired, maxSteps = "max_steps", tokenBudget = "token_budget", timeLimit = "time_limit"
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

    /// The test runs and what verification concluded from them (docs/cli.md, "Verification").
    public struct Tests: Sendable, Codable, Equatable {
        public var before: TestRun?
        public var after: TestRun?
        /// Target tests that failed before (or that the user named) and pass with the patch.
        public var failToPass: [String] = []
        /// Target tests that do not pass with the patch (unnamed: tests that failed before and still fail).
        public var stillFailing: [String] = []
        /// Unnamed targets that failed before and did not run with the patch (skipped).
        public var skippedNow: [String] = []
        /// Tests that passed before and fail with the patch.
        public var passToPassBroken: [String] = []
        /// Test files the patch changes; they are restored to the base for the judging run.
        public var testFilesTouched: [String] = []
        /// Which rule judged the patch; nil when there was no patch to judge.
        public var verification: VerificationMethod?
        /// Why the patch is or is not verified, in one sentence.
        public var verificationReason: String?
        public init(before: TestRun? = nil, after: TestRun? = nil) { self.before = before; self.after = after }

        /// Copies a verification's evidence into the report.
        public mutating func record(_ verification: Verification) {
            failToPass = verification.failToPass
            stillFailing = verification.stillFailing
            skippedNow = verification.skippedNow
            passToPassBroken = verification.passToPassBroken
            testFilesTouched = verification.testFilesTouched
            self.verification = verification.method
            verificationReason = verification.reason
        }

        enum CodingKeys: String, CodingKey {
            case before, after, failToPass = "fail_to_pass", stillFailing = "still_failing", skippedNow = "skipped_now"
            case passToPassBroken = "pass_to_pass_broken"
            case testFilesTouched = "test_files_touched", verification, verificationReason = "verification_reason"
        }

        /// Reports written before these fields existed still read (every new field may be absent).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            before = try c.decodeIfPresent(TestRun.self, forKey: .before)
            after = try c.decodeIfPresent(TestRun.self, forKey: .after)
            failToPass = try c.decodeIfPresent([String].self, forKey: .failToPass) ?? []
            stillFailing = try c.decodeIfPresent([String].self, forKey: .stillFailing) ?? []
            skippedNow = try c.decodeIfPresent([String].self, forKey: .skippedNow) ?? []
            passToPassBroken = try c.decodeIfPresent([String].self, forKey: .passToPassBroken) ?? []
            testFilesTouched = try c.decodeIfPresent([String].self, forKey: .testFilesTouched) ?? []
            verification = try c.decodeIfPresent(VerificationMethod.self, forKey: .verification)
            verificationReason = try c.decodeIfPresent(String.self, forKey: .verificationReason)
        }
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

    /// Where the run's wall time went. `model_s` and `tools_s` are summed over trajectories (parallel in
    /// heavy mode); the rest are the run's own phases, and `harness_s` is what is left: Fixpoint's own work.
    public struct Timing: Sendable, Codable, Equatable {
        public var wallS = 0.0
        /// Waiting for model requests (every attempt, backoff included).
        public var modelS = 0.0
        /// Running the agent's tool calls (its own `run_tests` included).
        public var toolsS = 0.0
        /// Opening the model: starting the embedded llama-server and waiting for `/health`, or probing a remote one.
        public var modelStartS = 0.0
        /// The test command on the base before any change (tests.before).
        public var testsBeforeS = 0.0
        /// Verifying patches: a fresh copy of the base, the patch, the test command.
        public var verificationS = 0.0
        public init() {}

        /// Wall time not spent in any phase above: snapshots, prompts, parsing, the journal. Clamped at
        /// 0 because heavy mode's parallel trajectories can sum to more than the wall time.
        public var harnessS: Double { max(0, wallS - modelS - toolsS - modelStartS - testsBeforeS - verificationS) }

        enum CodingKeys: String, CodingKey {
            case wallS = "wall_s", modelS = "model_s", toolsS = "tools_s", modelStartS = "model_start_s"
            case testsBeforeS = "tests_before_s", verificationS = "verification_s", harnessS = "harness_s"
        }

        /// Reports written before the split existed still read; `harness_s` is derived, never read.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            wallS = try c.decodeIfPresent(Double.self, forKey: .wallS) ?? 0
            modelS = try c.decodeIfPresent(Double.self, forKey: .modelS) ?? 0
            toolsS = try c.decodeIfPresent(Double.self, forKey: .toolsS) ?? 0
            modelStartS = try c.decodeIfPresent(Double.self, forKey: .modelStartS) ?? 0
            testsBeforeS = try c.decodeIfPresent(Double.self, forKey: .testsBeforeS) ?? 0
            verificationS = try c.decodeIfPresent(Double.self, forKey: .verificationS) ?? 0
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(wallS, forKey: .wallS)
            try c.encode(modelS, forKey: .modelS)
            try c.encode(toolsS, forKey: .toolsS)
            try c.encode(modelStartS, forKey: .modelStartS)
            try c.encode(testsBeforeS, forKey: .testsBeforeS)
            try c.encode(verificationS, forKey: .verificationS)
            try c.encode(harnessS, forKey: .harnessS)
        }
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
            /// The context is below `ContextMinimum.tokens` (recorded once, at step 0).
            case smallContext = "small_context"
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
    /// How the run's commands were confined; nil when the run ended before any command could run.
    public var sandbox: SandboxSummary?
    /// Set when the run went on from a killed run's journal (`fix --resume`): the last step that run completed.
    public var resumedFromStep: Int?
    /// What the focused repair did before the agent loop; nil when it did not run.
    public var repair: RepairSummary?

    /// The focused repair (docs/architecture.md): one-line answers asked, changes tested, and
    /// whether one of them is the run's verified patch.
    public struct RepairSummary: Sendable, Codable, Equatable {
        public var answers: Int
        public var tested: Int
        public var verified: Bool
        public var modelS: Double
        public init(answers: Int, tested: Int, verified: Bool, modelS: Double) {
            self.answers = answers; self.tested = tested; self.verified = verified; self.modelS = modelS
        }
        enum CodingKeys: String, CodingKey { case answers, tested, verified, modelS = "model_s" }
    }

    /// The sandbox policy and whether the run's commands really ran inside the sandbox.
    public struct SandboxSummary: Sendable, Codable, Equatable {
        /// `strict`, `standard` or `off`.
        public var policy: String
        /// True only when every command ran inside bubblewrap.
        public var sandboxed: Bool
        /// What held, in words (and why not, when not sandboxed).
        public var detail: String
        /// `enabled`, `disabled`, or `refused: <why>` when it was asked for but the sandbox forbids it.
        public var runCommand: String

        public init(policy: String, sandboxed: Bool, detail: String, runCommand: String) {
            self.policy = policy; self.sandboxed = sandboxed; self.detail = detail; self.runCommand = runCommand
        }
        enum CodingKeys: String, CodingKey { case policy, sandboxed, detail, runCommand = "run_command" }
    }

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
        case tests, usage, timing, events, trajectories, error, sandbox, resumedFromStep = "resumed_from_step", repair
    }

    /// The report as a JSON value (sorted keys), for the CLI and the LSP command result.
    public func toJSON() -> JSON { (try? JSON(encoding: self)) ?? .null }
}
