import ChildProcess
import Foundation
import Testing

@Suite struct ChildProcessTests {
    @Test func capturesStdoutStderrAndExitCode() async throws {
        var spec = ProcessSpec(executable: "/bin/sh", arguments: ["-c", "echo out; echo err >&2; exit 3"])
        spec.mergeStderr = false
        let r = try await ChildProcess.run(spec)
        #expect(r.status == .exited(3))
        #expect(r.stdoutText == "out\n")
        #expect(r.stderrText == "err\n")
        #expect(!r.timedOut && !r.cancelled)
    }

    @Test func searchesPathAndReportsMissingExecutable() async throws {
        let r = try await ChildProcess.run(ProcessSpec(executable: "true"))
        #expect(r.status == .exited(0))
        await #expect(throws: ChildProcessError.self) {
            _ = try await ChildProcess.run(ProcessSpec(executable: "no-such-program-fixpoint"))
        }
    }

    /// Both pipes far beyond the 64 KiB pipe buffer: only a concurrent drain survives this.
    @Test func largeOutputOnBothStreamsDoesNotDeadlock() async throws {
        var spec = ProcessSpec(executable: "/bin/sh", arguments: ["-c", "head -c 3000000 /dev/zero; head -c 3000000 /dev/zero >&2"])
        spec.mergeStderr = false
        let r = try await ChildProcess.run(spec)
        #expect(r.stdout.count == 3_000_000)
        #expect(r.stderr.count == 3_000_000)
    }

    @Test func outputLimitKeepsHeadAndTail() async throws {
        var spec = ProcessSpec.shell("echo FIRST; head -c 100000 /dev/zero | tr '\\0' x; echo; echo LAST")
        spec.outputLimit = 1000
        let r = try await ChildProcess.run(spec)
        #expect(r.stdoutText.hasPrefix("FIRST"))
        #expect(r.stdoutText.hasSuffix("LAST\n"))
        #expect(r.droppedBytes > 90_000)
        #expect(r.stdoutText.contains("bytes left out"))
    }

    @Test func timeoutKillsTheWholeProcessGroup() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("fp-grandchild-\(UUID().uuidString)").path
        var spec = ProcessSpec.shell("(sleep 30; touch \(marker)) & sleep 30")
        spec.timeout = 0.5
        let r = try await ChildProcess.run(spec, killGrace: 0.5)
        #expect(r.timedOut)
        #expect(r.status == .signaled(SIGTERM), "\(r.status)")
        // A hang guard: left alone, the child ends by itself after 30 s.
        #expect(r.durationS < 25)
        // The grandchild was in the same group: it must be gone too (it would otherwise create the marker).
        let pgrep = try await ChildProcess.shell("pgrep -f '[s]leep 30; touch \(marker)' || true")
        #expect(pgrep.stdoutText.isEmpty)
    }

    /// Cancelling kills the running child (SIGTERM) instead of waiting for it.
    @Test func cancellationKillsTheProcess() async throws {
        let marker = temporaryPath("fp-started")
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let task = Task { try await ChildProcess.run(.shell("touch \(marker); exec sleep 30"), killGrace: 0.5) }
        try await waitUntil("the child to start") { FileManager.default.fileExists(atPath: marker) }
        task.cancel()
        let r = try await task.value
        #expect(r.cancelled)
        #expect(r.status == .signaled(SIGTERM), "\(r.status)")
        // A hang guard: left alone, the child ends by itself after 30 s.
        #expect(r.durationS < 25)
    }

    /// A child that survives SIGTERM gets SIGKILL after the grace period: it saw the TERM (its trap
    /// wrote "TERM"), lived on, and died of KILL.
    @Test func aChildThatIgnoresSIGTERMGetsSIGKILLAfterTheGrace() async throws {
        let marker = temporaryPath("fp-started")
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let script = "trap 'echo TERM' TERM; touch \(marker); while :; do sleep 0.05; done"
        var spec = ProcessSpec.shell(script)
        spec.timeout = 60  // a hang guard: should the cancel be lost, the timeout ends it (and `cancelled` is false)
        // 3 s of grace, so the shell runs its trap even when the machine is busy.
        let task = Task { [spec] in try await ChildProcess.run(spec, killGrace: 3) }
        try await waitUntil("the child to start") { FileManager.default.fileExists(atPath: marker) }
        task.cancel()
        let r = try await task.value
        #expect(r.cancelled)
        #expect(r.stdoutText.contains("TERM"), "the child never saw SIGTERM: \(r.stdoutText)")
        #expect(r.status == .signaled(SIGKILL), "\(r.status)")
    }

    @Test func stdinIsDelivered() async throws {
        var spec = ProcessSpec(executable: "cat")
        spec.stdin = Array("hello\n".utf8)
        let r = try await ChildProcess.run(spec)
        #expect(r.stdoutText == "hello\n")
    }

    @Test func workingDirectoryAndEnvironment() async throws {
        var spec = ProcessSpec.shell("pwd; echo $FP_TEST_VAR", workingDirectory: "/tmp")
        spec.environment = ["FP_TEST_VAR": "forty-two", "PATH": "/usr/bin:/bin"]
        let r = try await ChildProcess.run(spec)
        #expect(r.stdoutText == "/tmp\nforty-two\n")
    }

    @Test func launchedProcessLogsAndTerminates() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("fp-launch-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let p = try await ChildProcess.launch(.shell("echo ready; exec sleep 60"), logPath: log)
        try await waitUntil("the child to log") { (try? String(contentsOfFile: log, encoding: .utf8)) == "ready\n" }
        #expect(p.exitStatus == nil)
        let status = await p.terminate(grace: 2)
        #expect(status == .signaled(15))
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "ready\n")
    }
}

private func temporaryPath(_ prefix: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
}

private struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Polls `condition`; `timeout` is a hang guard, not a latency check.
private func waitUntil(_ what: String, timeout: Double = 30, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(timeout)
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(5))
    }
}
