import Foundation
import Git
import Sandbox

/// Judges patches against one base: runs the tests once on the untouched base (the baseline),
/// then, for each patch, on a fresh copy of the base with the patch applied and its changes to
/// test files left out (the user's tests are the judge, not the model's), and applies
/// `VerificationRules`. A later "not verified → tell the model and continue" stage can call
/// `verify(patch:)` at any time and hand `Verification.feedback` to the model.
struct PatchVerifier: Sendable {
    let base: Snapshot
    let testCommand: String
    let commandTimeout: Double
    /// Where the judging runs happen: the run's sandbox, as for every other test run.
    let sandbox: Sandbox
    /// The tests the user named (`--fail-to-pass`); empty: the tests that fail in the baseline.
    let named: [String]
    let baseline: Baseline

    struct Baseline: Sendable {
        var run: TestRunner.Result
        var outcomes: TestOutcomes
        /// Tests that failed here and exercise none of the project's code (`UnrelatedFailures`).
        var unrelated: Set<String> = []
    }

    struct Judgement: Sendable {
        var verification: Verification
        /// The judging run; nil when none was needed or the copy could not be prepared.
        var run: RunReport.TestRun?
    }

    /// Runs the tests on a copy of the base exactly as the user has it.
    static func recordBaseline(base: Snapshot, testCommand: String, commandTimeout: Double, sandbox: Sandbox) async -> Baseline {
        let copy = try? await base.fork()
        let directory = copy?.directory ?? base.directory
        let run = await TestRunner.run(testCommand, in: directory, timeout: commandTimeout, sandbox: sandbox, listingPassingTests: true)
        let outcomes = run.outcomes(in: directory)
        if let copy { await copy.remove() }
        let (failing, root) = (outcomes.failed, base.directory)
        let unrelated = await runBlocking { UnrelatedFailures.find(failing: failing, root: root) }
        return Baseline(run: run, outcomes: outcomes, unrelated: unrelated)
    }

    /// The patch's sections split into test files and the rest.
    func partition(_ patch: String) -> (code: [PatchSection], tests: [PatchSection]) {
        let namedFiles = TestPaths.files(namedBy: baseline.outcomes.passed.union(baseline.outcomes.failed))
        let sections = PatchSection.split(patch)
        let isTest = { (s: PatchSection) in TestPaths.isTest(s.path) || namedFiles.contains(s.path) }
        return (sections.filter { !isTest($0) }, sections.filter(isTest))
    }

    /// `deadline` (reference-date seconds; nil: none): the judging run is stopped then, if
    /// `commandTimeout` has not stopped it first; past it, nothing is run.
    func verify(patch: String, until deadline: Double? = nil) async -> Judgement {
        let (code, tests) = partition(patch)
        let touched = tests.map(\.path)
        let judge = { (after: TestOutcomes?) in
            VerificationRules.judge(before: baseline.outcomes, after: after, named: named, testFilesTouched: touched,
                                    onlyTestsChanged: code.isEmpty, unrelated: baseline.unrelated,
                                    codeAddsSkip: code.contains(where: \.addsSkip))
        }
        if code.isEmpty { return Judgement(verification: judge(nil), run: nil) }
        guard let limit = CommandTimeLimit.at(commandTimeout: commandTimeout, deadline: deadline) else {
            return failed("Not tested: the run's time limit had passed.", touched: touched)
        }

        let clean: Snapshot
        do { clean = try await base.fork() } catch {
            return failed("Could not create a clean copy of the base: \(error)", touched: touched)
        }
        // The copy is removed, and waited for, on every way out.
        do { _ = try await clean.apply(patch: PatchSection.join(code)) } catch {
            await clean.remove()
            return failed("The patch does not apply to the base without its test-file changes: \(error)", touched: touched)
        }
        let run = await TestRunner.run(testCommand, in: clean.directory, timeout: limit.seconds, sandbox: sandbox,
                                       listingPassingTests: true)
        let outcomes = run.outcomes(in: clean.directory)
        await clean.remove()
        var verification = judge(outcomes)
        if run.timedOut {
            // Never verified (`VerificationRules`); say which limit stopped it.
            verification.reason = limit.testsStopped
        }
        return Judgement(verification: verification, run: run.report(tailBytes: 3000))
    }

    private func failed(_ reason: String, touched: [String]) -> Judgement {
        var v = Verification(verified: false, method: .exitCode, reason: reason)
        v.testFilesTouched = touched
        return Judgement(verification: v, run: RunReport.TestRun(exitCode: -1, passed: false, outputTail: reason))
    }
}

extension TestRunner.Result {
    func outcomes(in directory: String) -> TestOutcomes {
        TestOutcomes.read(output: output, exitCode: exitCode, timedOut: timedOut, directory: directory)
    }
}

/// A test run read for judging, for callers outside the agent (the evaluation's independent judge):
/// the same environment, sandbox and parsers as verification.
public struct JudgingRun: Sendable {
    public var outcomes: TestOutcomes
    public var report: RunReport.TestRun
    public var durationS: Double

    /// `sandbox`: nil runs in the standard sandbox with default limits.
    public static func run(_ command: String, in directory: String, timeout: Double, sandbox: Sandbox? = nil) async -> JudgingRun {
        let box: Sandbox
        if let sandbox { box = sandbox } else { box = await Sandbox.standard() }
        let run = await TestRunner.run(command, in: directory, timeout: timeout, sandbox: box, listingPassingTests: true)
        return JudgingRun(outcomes: run.outcomes(in: directory), report: run.report(tailBytes: 4000), durationS: run.durationS)
    }
}
