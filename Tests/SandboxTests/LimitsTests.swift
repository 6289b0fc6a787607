import ChildProcess
import Foundation
import Testing
@testable import Sandbox
#if canImport(Glibc)
import Glibc
import BlockingTestSupport
#endif

/// Commands that would take the machine down are stopped within their limits.
@Suite(.serialized, .offTheCooperativePool) struct LimitsTests {
    @Test func aForkBombIsStoppedAtTheProcessLimit() async throws {
        try await requireBubblewrap()
        // Without a pids cgroup, root has no process limit at all (the kernel exempts it from RLIMIT_NPROC):
        // a fork bomb would take the shared machine down instead of failing this test.
        try #require(PidsCgroup.parentDirectory() != nil || getuid() != 0, "no process limit can be enforced here")
        let f = try SandboxFixture(); defer { f.remove() }
        var limits = SandboxLimits()
        limits.processes = 64
        let sandbox = try await f.sandbox(limits: limits)
        // No wall-clock bound: the run's own 8 s timeout is the guard, and a bomb competing with a loaded
        // machine takes what it takes (measured: 67 s at load 38).
        let run = await f.run(sandbox, "bomb() { bomb | bomb & }; bomb; sleep 3; echo SURVIVED", timeout: 8)
        #expect(run.processLimit != .none)
        let hitLimit = ["fork", "Resource temporarily unavailable"].contains { run.output.contains($0) }
        #expect(hitLimit, "the bomb should have met the process limit: \(run.output.suffix(500))")
    }

    @Test func anEndlessLoopIsStoppedAtTheCPULimit() async throws {
        try await requireBubblewrap()
        let f = try SandboxFixture(); defer { f.remove() }
        var limits = SandboxLimits()
        limits.cpuSeconds = 2
        // 2 s of CPU can take far longer on a busy machine: the 60 s timeout is the hang guard, and
        // what stops the loop is the signal below, not a wall-clock bound.
        let run = await f.run(try await f.sandbox(limits: limits), "while :; do :; done", timeout: 60)
        #expect(!run.timedOut, "the CPU limit, not the timeout, must stop it")
        #expect(SandboxedRun.signal(run.status) == SIGXCPU, "\(run.status)")
        #expect(run.output.contains("CPU time limit"))
    }

    @Test func aGigabyteOfOutputIsCappedWithoutExhaustingMemory() async throws {
        try await requireBubblewrap()
        let f = try SandboxFixture(); defer { f.remove() }
        var limits = SandboxLimits()
        limits.outputBytes = 1 << 20
        let before = peakResidentBytes()
        let run = await f.run(try await f.sandbox(limits: limits), "head -c 1073741824 /dev/zero | tr '\\0' x; echo; echo END-OF-OUTPUT", timeout: 300)
        let growth = peakResidentBytes() - before
        #expect(run.exitCode == 0, "\(run.output.suffix(300))")
        #expect(run.droppedBytes > 1_000_000_000)
        #expect(run.output.utf8.count < 2 << 20)
        #expect(run.output.contains("END-OF-OUTPUT"), "the tail is kept")
        // The whole test process's peak: other suites running in parallel add to it, so the bound is half
        // of what keeping the gigabyte would cost.
        #expect(growth < 512 << 20, "peak memory grew by \(growth >> 20) MiB")
    }

    @Test func aFileOverTheSizeLimitIsRefused() async throws {
        try await requireBubblewrap()
        let f = try SandboxFixture(); defer { f.remove() }
        var limits = SandboxLimits()
        limits.fileSizeBytes = 1 << 20
        let run = await f.run(try await f.sandbox(limits: limits), "head -c 5000000 /dev/zero > big.bin", timeout: 60)
        #expect(run.exitCode != 0)
        let size = (try? FileManager.default.attributesOfItem(atPath: f.workspace + "/big.bin")[.size] as? Int) ?? 0
        #expect(size <= 1 << 20)
    }

    @Test func theProcessRlimitAllowsForWhatTheUserAlreadyRuns() {
        #expect(UserTasks.count() >= 1, "this test process is one of the user's tasks")
        var limits = SandboxLimits()
        limits.processes = 64
        #expect(limits.resourceLimits(processBase: 500).contains(ResourceLimit(.processes, 564)))
        #expect(!limits.resourceLimits(processBase: nil).contains { $0.kind == .processes })
    }

    @Test func zeroLimitsAreRejected() {
        var limits = SandboxLimits()
        limits.processes = 0
        #expect(throws: SandboxConfigurationError.badLimit(name: "processes", reason: "must be greater than 0")) { try limits.validated() }
    }
}

func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}
