import ChildProcess
import Foundation
import JSONValue
import ModelClient
import ModelRuntime
import Testing

@Suite struct CLITests {
    @Test func helpListsEverySubcommand() async throws {
        let r = try await CLI.run(["--help"])
        #expect(r.code == 0)
        for sub in ["serve", "acp", "fix", "eval", "model", "doctor"] { #expect(r.out.contains(sub)) }
    }

    @Test func evalWithoutATaskFileIsAUsageError() async throws {
        let r = try await CLI.run(["eval"])
        #expect(r.code == 2, "\(r.err)")
        #expect(r.err.contains("<tasks>"))
    }

    @Test func fixRejectsBadUsageWithExit2() async throws {
        var r = try await CLI.run(["fix", "--repo", "/tmp"])
        #expect(r.code == 2)
        #expect(r.err.contains("--issue"))
        r = try await CLI.run(["fix", "--repo", "/tmp", "--issue", "x", "--heavy", "99", "--test-cmd", "true"])
        #expect(r.code == 2)
        #expect(r.err.contains("--heavy"))
        // No test command anywhere.
        let dir = try temporaryFolder("fp-cli-notest")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        r = try await CLI.run(["fix", "--repo", dir, "--issue", "x", "--model-url", "http://127.0.0.1:9"])
        #expect(r.code == 2)
        #expect(r.err.contains("no test command"))
    }

    @Test func aBrokenFixpointTomlIsAUsageError() async throws {
        let dir = try temporaryFolder("fp-cli-toml")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "testCommand = \"unterminated\n".write(toFile: dir + "/fixpoint.toml", atomically: true, encoding: .utf8)
        let r = try await CLI.run(["fix", "--repo", dir, "--issue", "x"])
        #expect(r.code == 2)
        #expect(r.err.contains("fixpoint.toml"))
    }

    @Test func anUnreachableModelServerExits3AndWritesAReport() async throws {
        let dir = try temporaryFolder("fp-cli-unreachable")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try await ChildProcess.shell("git init -q && echo x > a && git add a && git -c user.name=t -c user.email=t@e commit -qm a", in: dir)
        let port = PortFinder.freePort()!
        let report = dir + ".report.json"
        defer { try? FileManager.default.removeItem(atPath: report) }
        let r = try await CLI.run(["fix", "--repo", dir, "--issue", "x", "--test-cmd", "true", "--model-url", "http://127.0.0.1:\(port)", "--report", report])
        #expect(r.code == 3, "stderr: \(r.err)")
        let json = try JSON.parse(String(contentsOfFile: report, encoding: .utf8))
        #expect(json["status"] == "error")
        #expect(json["error"]?.stringValue?.contains("127.0.0.1:\(port)") == true)
    }

    @Test func doctorFailsAndNamesTheFixWhenTheRuntimeIsMissing() async throws {
        let cache = try temporaryFolder("fp-cli-emptycache")
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let r = try await CLI.run(["doctor"], env: ["FIXPOINT_CACHE": cache, "PATH": "/usr/bin:/bin", "FIXPOINT_LLAMA_SERVER": "", "FIXPOINT_MODEL": ""])
        #expect(r.code == 1)
        #expect(r.out.contains("llama-server   MISSING"))
        #expect(r.out.contains("scripts/setup --only llama"))
        #expect(r.out.contains("default model  MISSING"))
        #expect(r.out.contains("not ready"))
    }

    @Test func doctorCallsAModelOfTheWrongSizeBad() async throws {
        let cache = try temporaryFolder("fp-cli-badmodel")
        defer { try? FileManager.default.removeItem(atPath: cache) }
        try FileManager.default.createDirectory(atPath: cache + "/models", withIntermediateDirectories: true)
        try "not a model".write(toFile: cache + "/models/" + ModelCatalog.defaultModel.fileName, atomically: true, encoding: .utf8)
        let r = try await CLI.run(["doctor"], env: ["FIXPOINT_CACHE": cache, "FIXPOINT_MODEL": ""])
        #expect(r.code == 1)
        #expect(r.out.contains("default model  BAD"))
        #expect(r.out.contains("interrupted download"))
    }

    @Test func modelStatusReportsMissingModels() async throws {
        let cache = try temporaryFolder("fp-cli-status")
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let r = try await CLI.run(["model", "status"], env: ["FIXPOINT_CACHE": cache])
        #expect(r.code == 0)
        #expect(r.out.contains("model default [default]: Qwen2.5-Coder-1.5B-Instruct Q4_K_M"))
        #expect(r.out.contains(ModelCatalog.defaultModel.sha256))
        #expect(r.out.contains("missing — run scripts/setup"))
    }

    /// fixpoint.toml is read from the repository root even when --repo names a folder below it.
    @Test func fixpointTomlComesFromTheRepositoryRoot() async throws {
        let dir = try temporaryFolder("fp-cli-rootcfg")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try "heavy = 99\n".write(toFile: dir + "/fixpoint.toml", atomically: true, encoding: .utf8)
        _ = try await ChildProcess.shell("git init -q && git add -A && git -c user.name=t -c user.email=t@e commit -qm a", in: dir)
        let r = try await CLI.run(["fix", "--repo", dir + "/sub", "--issue", "x", "--test-cmd", "true", "--model-url", "http://127.0.0.1:9"])
        #expect(r.code == 2)
        #expect(r.err.contains("\(dir)/fixpoint.toml"))
        #expect(r.err.contains("heavy"))
    }
}
