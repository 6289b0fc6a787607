import Foundation
import Testing
@testable import Sandbox
import BlockingTestSupport

/// One test per policy, and the path where bubblewrap cannot run (forced with a bwrap that fails).
@Suite(.serialized, .offTheCooperativePool) struct PolicyTests {
    @Test func strictRunsTestsSandboxedAndRefusesRunCommand() async throws {
        try await requireBubblewrap()
        let f = try SandboxFixture(); defer { f.remove() }
        let sandbox = try await f.sandbox(.strict)
        #expect(sandbox.confinement == .bubblewrap)
        #expect(sandbox.runCommandRefusal?.contains("strict") == true)
        let run = await f.run(sandbox, "touch /etc/fixpoint-probe 2>&1; ls /proc | grep -c '^[0-9]'")
        #expect(run.output.contains("Read-only file system"), "\(run.output)")
    }

    @Test func standardSandboxesTestsAndCommands() async throws {
        try await requireBubblewrap()
        let f = try SandboxFixture(); defer { f.remove() }
        let sandbox = try await f.sandbox(.standard)
        #expect(sandbox.confinement == .bubblewrap)
        #expect(sandbox.confinement.isSandboxed)
        #expect(sandbox.runCommandRefusal == nil)
        // A fresh PID namespace: only the sandbox's own processes are visible.
        let run = await f.run(sandbox, "ls /proc | grep -c '^[0-9]'")
        #expect((Int(run.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 99) < 6, "\(run.output)")
    }

    /// A probe that runs out of time says the machine is busy, not that bubblewrap cannot work: it is
    /// not remembered, so the next probe of the same executable runs again and finds it working.
    @Test func aTimedOutProbeIsNotRemembered() async throws {
        try await requireBubblewrap()
        let f = try SandboxFixture(); defer { f.remove() }
        let bwrap = try #require(Bubblewrap.findOnPath("bwrap", path: ProcessInfo.processInfo.environment["PATH"]))
        let slow = f.root + "/slow-bwrap", busy = f.root + "/busy"
        try "#!/bin/sh\n[ -f '\(busy)' ] && exec sleep 30\nexec '\(bwrap)' \"$@\"\n".write(toFile: slow, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: slow)
        try #require(FileManager.default.createFile(atPath: busy, contents: nil))
        guard case .unavailable(let reason, _) = await Bubblewrap.probe(configured: slow, timeout: 0.5) else {
            Issue.record("a probe that hangs was taken as working")
            return
        }
        #expect(reason.contains("within 0.5 s"), "\(reason)")
        try FileManager.default.removeItem(atPath: busy)
        #expect(await Bubblewrap.probe(configured: slow) == .available(path: slow))
    }

    @Test func offRunsWithTheUsersRightsButNoSecrets() async throws {
        let f = try SandboxFixture(); defer { f.remove() }
        let sandbox = try await f.sandbox(.off, extra: ["SOME_API_KEY": "zzzzzzzzzzzz", "PLAIN_SETTING": "visible-value"], hiding: ["PLAIN_MODEL_VAR"])
        #expect(sandbox.confinement == .unconfined)
        #expect(!sandbox.confinement.isSandboxed)
        #expect(sandbox.runCommandRefusal == nil)
        let run = await f.run(sandbox, "env; echo x > '\(f.userRepository)/written' && echo WROTE")
        #expect(run.output.contains("PLAIN_SETTING=visible-value"))
        #expect(!run.output.contains("zzzzzzzzzzzz"))
        #expect(run.output.contains("WROTE"), "off means the user's own rights")
    }

    @Test func standardWithoutBubblewrapRunsWithLimitsOnlyAndRefusesCommands() async throws {
        let f = try SandboxFixture(); defer { f.remove() }
        var limits = SandboxLimits()
        limits.cpuSeconds = 2
        let sandbox = try await f.sandbox(.standard, limits: limits, bubblewrapPath: "/bin/false", extra: ["GITHUB_TOKEN": "ghp_cccccccccc"])
        guard case .limitsOnly(let reason) = sandbox.confinement else {
            Issue.record("expected limits only, got \(sandbox.confinement)")
            return
        }
        #expect(reason.contains("/bin/false"))
        #expect(!sandbox.confinement.isSandboxed)
        #expect(sandbox.confinement.summary.hasPrefix("not sandboxed"))
        #expect(sandbox.runCommandRefusal?.contains("cannot run here") == true)
        let env = await f.run(sandbox, "env")
        #expect(!env.output.contains("ghp_cccccccccc"))
        #expect(!env.output.contains("HOME=\(f.home)"), "HOME points at a scratch folder, not the user's home")
        let loop = await f.run(sandbox, "while :; do :; done", timeout: 60)
        #expect(!loop.timedOut, "limits still apply: \(loop.status)")
    }

    @Test func strictWithoutBubblewrapRefusesToRun() async throws {
        var settings = SandboxSettings(policy: .strict)
        settings.bubblewrapPath = "/bin/false"
        await #expect(throws: SandboxUnavailableError.self) { try await Sandbox.prepare(settings) }
        settings.bubblewrapPath = "/nonexistent/bwrap"
        do { _ = try await Sandbox.prepare(settings); Issue.record("strict ran without bubblewrap") } catch {
            #expect(error.description.contains("--sandbox standard"))
        }
    }

    @Test func bubblewrapBefore08IsUsedWithoutTheOptionsItLacks() async throws {
        try await requireBubblewrap()
        let f = try SandboxFixture(); defer { f.remove() }
        let real = try #require(Bubblewrap.findOnPath("bwrap", path: ProcessInfo.processInfo.environment["PATH"]))
        // Ubuntu 22.04's bubblewrap 0.6 stops at the options 0.8 added.
        let old = f.root + "/bwrap-0.6"
        try """
            #!/bin/sh
            for a in "$@"; do case "$a" in --disable-userns|--size) echo "bwrap: Unknown option $a" >&2; exit 1;; esac; done
            exec '\(real)' "$@"
            """.write(toFile: old, atomically: false, encoding: .utf8)
        chmod(old, 0o755)
        let sandbox = try await f.sandbox(.standard, bubblewrapPath: old)
        #expect(sandbox.confinement == .bubblewrap)
        #expect(Bubblewrap.isLegacy(old))
        let run = await f.run(sandbox, "touch /etc/fixpoint-probe 2>&1; echo ran")
        #expect(run.output.contains("Read-only file system") && run.output.contains("ran"), "\(run.output)")
    }

    @Test func policiesParse() throws {
        #expect(try SandboxPolicy.parse("STRICT") == .strict)
        #expect(throws: SandboxConfigurationError.unknownPolicy("loose")) { try SandboxPolicy.parse("loose") }
        #expect(SandboxPolicy.default == .standard)
    }
}
