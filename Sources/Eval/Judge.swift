import Agent
import Foundation

/// Judges a task's patch independently of the agent's own verification: on a fresh copy of the
/// prepared checkout, apply the patch (its test-file changes left out, as verification does), then
/// the task's `test_patch`, run the test command, and check every FAIL_TO_PASS and PASS_TO_PASS test.
public struct Judgement: Sendable, Codable, Equatable {
    public var resolved: Bool
    /// Whether the patch and the test patch applied.
    public var applied: Bool
    public var failToPassPassed: [String] = []
    public var failToPassFailed: [String] = []
    public var passToPassFailed: [String] = []
    /// Test files the patch changed; left out of the judged tree.
    public var testFilesSetAside: [String] = []
    public var verification: VerificationMethod?
    public var exitCode: Int32?
    public var outputTail: String?
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case resolved, applied, failToPassPassed = "fail_to_pass_passed", failToPassFailed = "fail_to_pass_failed"
        case passToPassFailed = "pass_to_pass_failed", testFilesSetAside = "test_files_set_aside", verification
        case exitCode = "exit_code", outputTail = "output_tail", error
    }

    static func unresolved(_ error: String, applied: Bool = false) -> Judgement {
        Judgement(resolved: false, applied: applied, error: error)
    }
}

enum Judge {
    static func judge(_ task: EvalTask, checkout: TaskCheckout, patch: String, testCommand: String, timeout: Double) async -> Judgement {
        guard !patch.isEmpty else { return .unresolved("no patch") }
        let directory = checkout.directory + ".judge"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sections = PatchSection.split(patch)
        let tests = sections.filter { TestPaths.isTest($0.path) }
        let code = sections.filter { !TestPaths.isTest($0.path) }
        var judgement = Judgement(resolved: false, applied: false)
        judgement.testFilesSetAside = tests.map(\.path)
        guard !code.isEmpty else {
            judgement.error = "the patch changes only test files"
            return judgement
        }
        do {
            _ = try await checkout.copy(to: directory)
            try await TaskCheckout.shell("git apply --whitespace=nowarn -", in: directory, stage: .judge, timeout: 120, stdin: PatchSection.join(code))
            if !task.testPatch.isEmpty {
                try await TaskCheckout.shell("git apply --whitespace=nowarn -", in: directory, stage: .judge, timeout: 120, stdin: task.testPatch)
            }
        } catch {
            judgement.error = "does not apply: \(error.message)"
            return judgement
        }
        judgement.applied = true
        let run = await JudgingRun.run(testCommand, in: directory, timeout: timeout)
        judgement.exitCode = run.report.exitCode
        judgement.outputTail = run.report.outputTail
        let after = run.outcomes
        if task.failToPass.isEmpty || !after.isReadable {
            // Nothing named, or output no parser reads: the whole command must pass.
            judgement.verification = .exitCode
            judgement.resolved = run.report.passed
            if !after.isReadable, !task.failToPass.isEmpty { judgement.error = "the test output could not be read test by test; the exit code decided" }
            return judgement
        }
        judgement.verification = .tests
        judgement.failToPassPassed = task.failToPass.filter { after.passes($0) }
        judgement.failToPassFailed = task.failToPass.filter { !after.passes($0) }
        judgement.passToPassFailed = task.passToPass.filter { !after.passes($0) }
        judgement.resolved = judgement.failToPassFailed.isEmpty && judgement.passToPassFailed.isEmpty
        return judgement
    }
}
