import ChildProcess
import Foundation
import Testing

/// The sandbox from the command line: doctor says whether it works and how to fix it; `--sandbox
/// strict` refuses to run where it can't; a bad policy is a usage error.
@Suite struct SandboxCLITests {
    @Test func doctorSaysWhyTheSandboxCannotRunAndHowToFixIt() async throws {
        let cache = try temporaryFolder("fp-cli-sandbox")
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let r = try await CLI.run(["doctor"], env: ["FIXPOINT_CACHE": cache, "FIXPOINT_BWRAP": "/bin/false", "FIXPOINT_MODEL": ""])
        let line = r.out.split(separator: "\n").first { $0.hasPrefix("sandbox ") } ?? ""
        #expect(line.contains("BAD") && line.contains("/bin/false cannot create a sandbox"), "\(r.out)")
        #expect(line.contains("refuses run_command"))
        #expect(r.out.contains("fix: allow unprivileged user namespaces"))
    }

    @Test func doctorSaysTheSandboxWorks() async throws {
        let cache = try temporaryFolder("fp-cli-sandbox")
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let r = try await CLI.run(["doctor"], env: ["FIXPOINT_CACHE": cache, "FIXPOINT_MODEL": ""])
        let line = r.out.split(separator: "\n").first { $0.hasPrefix("sandbox ") } ?? ""
        #expect(line.contains("OK") && line.contains("run sandboxed"), "bubblewrap must work here (scripts/setup installs it): \(r.out)")
    }

    @Test func strictRefusesToRunWithoutBubblewrap() async throws {
        let repo = try temporaryFolder("fp-cli-strict")
        defer { try? FileManager.default.removeItem(atPath: repo) }
        let made = try await ChildProcess.shell("git init -q && echo x > a.txt && git add -A && git -c user.name=t -c user.email=t@e commit -qm base", in: repo)
        #expect(made.status == .exited(0))
        let r = try await CLI.run(["fix", "--repo", repo, "--issue", "x", "--test-cmd", "true", "--sandbox", "strict",
                                   "--model-url", "http://127.0.0.1:9"], env: ["FIXPOINT_BWRAP": "/bin/false"])
        #expect(r.code == 2, "\(r.err)")
        #expect(r.err.contains("strict sandbox policy needs bubblewrap"), "\(r.err)")
    }

    @Test func anUnknownPolicyIsAUsageError() async throws {
        let r = try await CLI.run(["fix", "--repo", ".", "--issue", "x", "--test-cmd", "true", "--sandbox", "loose"])
        #expect(r.code == 2)
        #expect(r.err.contains("--sandbox") && r.err.contains("strict, standard or off"), "\(r.err)")
    }
}
