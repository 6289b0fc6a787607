import ChildProcess
import Foundation
import Testing

/// `fixpoint fix` with inputs a new user gets wrong: exit 2, one message that names the input and
/// says what to do, and nothing written anywhere.
@Suite struct BadInputCLITests {
    @Test func aRepoFolderThatDoesNotExistIsNamedAsSuch() async throws {
        let missing = "/nonexistent-\(UUID().uuidString)/project"
        let r = try await CLI.run(["fix", "--repo", missing, "--issue", "x", "--test-cmd", "true"])
        #expect(r.code == 2)
        #expect(r.err.contains("--repo \(missing): no such folder"), "\(r.err)")
        #expect(!r.err.contains("fixpoint.toml"), "\(r.err)")
    }

    @Test func aRepoThatIsAFileOrNotAGitRepositoryIsRefused() async throws {
        let dir = try temporaryFolder("fp-cli-nogit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "x".write(toFile: dir + "/file.txt", atomically: true, encoding: .utf8)
        var r = try await CLI.run(["fix", "--repo", dir + "/file.txt", "--issue", "x", "--test-cmd", "true"])
        #expect(r.code == 2)
        #expect(r.err.contains("is a file"), "\(r.err)")
        r = try await CLI.run(["fix", "--repo", dir, "--issue", "x", "--test-cmd", "true", "--model-url", "http://127.0.0.1:9"])
        #expect(r.code == 2)
        #expect(r.err.contains("not inside a git repository"), "\(r.err)")
        #expect(r.err.contains("git init"), "\(r.err)")
    }

    @Test func anIssueFileThatIsNotUTF8SaysHowToConvertIt() async throws {
        let dir = try temporaryFolder("fp-cli-latin1")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try await ChildProcess.shell("git init -q", in: dir)
        let issue = dir + "/issue.txt"
        // "café crashes" in Latin-1: é is the single byte 0xE9.
        try Data([0x63, 0x61, 0x66, 0xE9, 0x20, 0x63, 0x72, 0x61, 0x73, 0x68, 0x65, 0x73]).write(to: URL(fileURLWithPath: issue))
        var r = try await CLI.run(["fix", "--repo", dir, "--issue-file", issue, "--test-cmd", "true"])
        #expect(r.code == 2)
        #expect(r.err.contains("not UTF-8"), "\(r.err)")
        #expect(r.err.contains("offset 3"), "\(r.err)")
        #expect(r.err.contains("iconv"), "\(r.err)")
        r = try await CLI.run(["fix", "--repo", dir, "--issue-file", dir + "/missing.txt", "--test-cmd", "true"])
        #expect(r.code == 2)
        #expect(r.err.contains("no such file"), "\(r.err)")
    }

    @Test func aFixpointTomlThatIsNotTextOrNotTOMLNamesTheFileAndLine() async throws {
        let dir = try temporaryFolder("fp-cli-badtoml")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try await ChildProcess.shell("git init -q", in: dir)
        try Data([0xFF, 0xFE, 0x00, 0x5B, 0x5B]).write(to: URL(fileURLWithPath: dir + "/fixpoint.toml"))
        var r = try await CLI.run(["fix", "--repo", dir, "--issue", "x"])
        #expect(r.code == 2)
        #expect(r.err.contains("\(dir)/fixpoint.toml"), "\(r.err)")
        #expect(r.err.contains("UTF-8"), "\(r.err)")
        try "testCommand = \"true\"\n[model\nurl = 1\n".write(toFile: dir + "/fixpoint.toml", atomically: true, encoding: .utf8)
        r = try await CLI.run(["fix", "--repo", dir, "--issue", "x"])
        #expect(r.code == 2)
        #expect(r.err.contains("\(dir)/fixpoint.toml"), "\(r.err)")
        #expect(r.err.contains("line 2"), "\(r.err)")
    }
}
