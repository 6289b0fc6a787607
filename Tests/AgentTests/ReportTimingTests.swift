import Agent
import Foundation
import JSONValue
import Testing

/// The report's `timing` splits the wall time into the run's phases, and `harness_s` is what is left.
/// Only the accounting is checked (every phase counted once, nothing negative), never how fast anything is.
@Suite struct ReportTimingTests {
    @Test func aVerifiedRunAccountsForEveryPhase() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let outcome = await Fixer.run(fixRequest(repo, maxSteps: 8), model: .embedded(), options: options(ScriptedModel(turns: theFix)))
        let t = outcome.report.timing
        #expect(outcome.report.status == .verified, "\(outcome.report.error ?? "")")
        // The test command ran before the change and again to verify the patch; both took some time.
        #expect(t.testsBeforeS > 0)
        #expect(t.verificationS > 0)
        #expect(t.toolsS > 0)  // read_file, edit_file, run_tests
        for phase in [t.modelS, t.toolsS, t.modelStartS, t.testsBeforeS, t.verificationS, t.harnessS] { #expect(phase >= 0) }
        let phases = t.modelS + t.toolsS + t.modelStartS + t.testsBeforeS + t.verificationS
        #expect(phases <= t.wallS)
        #expect(abs(phases + t.harnessS - t.wallS) < 1e-9)
    }

    @Test func harnessTimeIsDerivedAndWritten() throws {
        var timing = RunReport.Timing()
        timing.wallS = 10
        timing.modelS = 6
        timing.toolsS = 1
        timing.modelStartS = 1.5
        timing.testsBeforeS = 0.5
        timing.verificationS = 0.5
        let json = try JSON.parse(String(decoding: JSONEncoder().encode(timing), as: UTF8.self))
        #expect(json["harness_s"]?.doubleValue == 0.5)
        #expect(json["model_start_s"]?.doubleValue == 1.5)
        #expect(json["tests_before_s"]?.doubleValue == 0.5)
        #expect(json["verification_s"]?.doubleValue == 0.5)
        // Read back, harness_s is derived again rather than trusted.
        var edited = try #require(json.objectValue)
        edited["harness_s"] = .double(99)
        let decoded = try JSONDecoder().decode(RunReport.Timing.self, from: Data(JSON.object(edited).serialized().utf8))
        #expect(decoded == timing)
        #expect(decoded.harnessS == 0.5)
    }

    @Test func reportsWrittenBeforeTheSplitStillRead() throws {
        let old = #"{"wall_s": 4.0, "model_s": 3.0, "tools_s": 0.5}"#
        let timing = try JSONDecoder().decode(RunReport.Timing.self, from: Data(old.utf8))
        #expect(timing.modelStartS == 0 && timing.testsBeforeS == 0 && timing.verificationS == 0)
        #expect(timing.harnessS == 0.5)
    }

    /// Heavy mode sums model and tool time over parallel trajectories, which can pass the wall time.
    @Test func harnessTimeIsNeverNegative() {
        var timing = RunReport.Timing()
        timing.wallS = 10
        timing.modelS = 16
        #expect(timing.harnessS == 0)
    }
}
