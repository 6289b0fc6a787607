import Foundation
import Testing
@testable import Sandbox

/// Folders for one escape attempt, under the real home (not /tmp, which the sandbox replaces with its
/// own): a snapshot-like workspace with a `.git`, a "user repository" beside it, and a fake home with
/// credentials and a toolchain folder.
struct SandboxFixture {
    let root: String
    var workspace: String { root + "/snapshot" }
    var userRepository: String { root + "/repo" }
    var home: String { root + "/home" }

    init() throws {
        let base = NSHomeDirectory() + "/.cache/fixpoint-sandbox-tests"
        root = base + "/" + UUID().uuidString
        let fm = FileManager.default
        for dir in [workspace + "/.git/hooks", userRepository + "/.git/hooks", home + "/.ssh", home + "/.aws", home + "/.pyenv"] {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        try "PRIVATE-KEY-MATERIAL\n".write(toFile: home + "/.ssh/id_ed25519", atomically: false, encoding: .utf8)
        try "[default]\naws_secret_access_key = AWS-SECRET-MATERIAL\n".write(toFile: home + "/.aws/credentials", atomically: false, encoding: .utf8)
        try "machine example.com login me password NETRC-MATERIAL\n".write(toFile: home + "/.netrc", atomically: false, encoding: .utf8)
        try "3.11.7\n".write(toFile: home + "/.pyenv/version", atomically: false, encoding: .utf8)
        try "print('hi')\n".write(toFile: workspace + "/main.py", atomically: false, encoding: .utf8)
        try "[core]\n".write(toFile: workspace + "/.git/config", atomically: false, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// A sandbox for this fixture: its fake home, `extra` in the parent's environment.
    func sandbox(_ policy: SandboxPolicy = .standard, limits: SandboxLimits = SandboxLimits(), bubblewrapPath: String? = nil,
                 extra: [String: String] = [:], hiding: [String] = []) async throws -> Sandbox {
        var settings = SandboxSettings(policy: policy)
        settings.limits = limits
        settings.bubblewrapPath = bubblewrapPath
        var sandbox = try await Sandbox.prepare(settings, hiding: hiding)
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        environment.merge(extra) { $1 }
        sandbox.parentEnvironment = environment
        return sandbox
    }

    func run(_ sandbox: Sandbox, _ command: String, timeout: Double = 60) async -> SandboxedRun {
        await sandbox.run(command, in: workspace, timeout: timeout)
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}

/// Every escape test needs bubblewrap working (CI installs it): fail with the reason where it doesn't.
func requireBubblewrap() async throws {
    if case .unavailable(let reason, let fix) = await Bubblewrap.probe() {
        Issue.record("bubblewrap is required for this test: \(reason). \(fix)")
        throw CancellationError()
    }
}
