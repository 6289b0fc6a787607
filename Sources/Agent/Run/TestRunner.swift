import Foundation
import Sandbox
import Locking

/// Runs the configured test command (or any shell command) in a snapshot, confined by the run's
/// sandbox, with a timeout that kills the whole tree, and condenses the output for the model.
enum TestRunner {
    struct Result: Sendable {
        var exitCode: Int32
        var output: String
        var timedOut: Bool
        var durationS: Double

        var passed: Bool { exitCode == 0 && !timedOut }
        var condensed: String { TestOutputCondenser.condense(output, exitCode: exitCode) }
        /// The first failures with their messages, the rest by name: what the orientation shows.
        var briefly: String { TestOutputCondenser.condense(output, exitCode: exitCode, detailedFailures: 5) }
        var failingTests: [String] { TestOutputCondenser.failingTests(output) }

        /// The shell could not find or run the command (exit 127 / 126): the tests never ran, so no
        /// change can be verified. Not a test failure for the model to fix; the user must fix the command.
        var commandMissing: Bool { !timedOut && (exitCode == 127 || exitCode == 126) }

        func report(tailBytes: Int = 4000) -> RunReport.TestRun {
            // Decoding (not String(_:) on a UTF-8 slice) so a cut inside a multi-byte character can't empty it.
            RunReport.TestRun(exitCode: exitCode, passed: passed, outputTail: String(decoding: output.utf8.suffix(tailBytes), as: UTF8.self))
        }
    }

    /// The output comes back redacted (`Redaction`).
    /// `listingPassingTests`: ask runners that name only failures by default to name passes too
    /// (pytest's `-rp`), for the runs verification compares test by test.
    static func run(_ command: String, in directory: String, timeout: Double, sandbox: Sandbox,
                    listingPassingTests: Bool = false) async -> Result {
        var extra: [String: String] = [:]
        if listingPassingTests {
            // Before the user's own PYTEST_ADDOPTS, so a `-r` they set there still wins.
            let own = ProcessInfo.processInfo.environment["PYTEST_ADDOPTS"]
            extra["PYTEST_ADDOPTS"] = (["-rfEp"] + [own].compactMap { $0 }).joined(separator: " ")
        }
        let out = await sandbox.run(command, in: directory, timeout: timeout, environment: extra)
        var text = out.output
        if out.timedOut { text += "\n[Fixpoint: the command timed out after \(Int(timeout))s and was killed]" }
        if out.cancelled { text += "\n[Fixpoint: the command was cancelled]" }
        return Result(exitCode: out.exitCode, output: text, timedOut: out.timedOut, durationS: out.durationS)
    }
}

/// Hands the latest test run from the tool closure (Sendable) back to the loop.
final class LatestTestRun: Sendable {
    private let value = Locked<TestRunner.Result?>(nil)
    func store(_ run: TestRunner.Result) { value.withLock { $0 = run } }
    func take() -> TestRunner.Result? { value.withLock { v in defer { v = nil }; return v } }
}
