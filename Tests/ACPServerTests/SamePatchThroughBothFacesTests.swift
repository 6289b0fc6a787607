import Agent
import ChildProcess
import FixpointServer
import Foundation
import JSONRPC
import JSONValue
import ModelClient
import ModelTestSupport
import Runs
import Testing
@testable import ACPServer

/// The faces are adapters over one run service: the same run on the same scripted model gives the
/// same patch through the language server and through ACP.
@Suite struct SamePatchThroughBothFacesTests {
    @Test func lspAndACPGiveTheSamePatch() async throws {
        let lspPatch = try await patchThroughLSP()
        let acpPatch = try await patchThroughACP()
        #expect(lspPatch.contains("+    return a + b"), "\(lspPatch)")
        #expect(acpPatch == lspPatch)
    }

    /// `fixpoint.fixIssue` on a `FixpointServer`; the report's patch.
    private func patchThroughLSP() async throws -> String {
        let repo = try await TempRepository(files: ACPAgentTurnTests.files)
        let model = try ACPAgentTurnTests.model()
        defer { model.stop() }
        try repo.write("fixpoint.toml", "modelUrl = \"\(model.baseURL)\"\ntestCommand = \"sh test.sh\"\n")
        try await commit(repo)
        let (serverSide, clientSide) = InMemoryTransport.pair()
        let server = FixpointServer(connection: Connection(transport: serverSide), runs: RunService())
        let serving = Task { await server.serve() }
        let client = Connection(transport: clientSide)
        await client.start()
        Task {  // decline the offered edit: the report is what is compared
            for await message in client.incoming {
                if case .request(let id, _, _) = message { client.reply(to: id, .success(["applied": false])) }
            }
        }
        _ = try await client.request("initialize", [
            "processId": .null, "capabilities": [:],
            "workspaceFolders": [["uri": .string(URL(fileURLWithPath: repo.path).absoluteString), "name": "repo"]],
        ])
        client.notify("initialized", [:])
        let report = try await client.request("workspace/executeCommand", ["command": "fixpoint.fixIssue", "arguments": [["issue": "add subtracts"]]])
        #expect(report["status"] == "verified", "\(report)")
        clientSide.close()
        _ = await serving.value
        serverSide.close()  // ends the client's read loop, so nothing is left running (or leaked)
        return report["patch"]?.stringValue ?? ""
    }

    /// A prompt turn on an `ACPServer`; the patch in its final message.
    private func patchThroughACP() async throws -> String {
        let repo = try await TempRepository(files: ACPAgentTurnTests.files)
        let model = try ACPAgentTurnTests.model()
        defer { model.stop() }
        try repo.write("fixpoint.toml", "modelUrl = \"\(model.baseURL)\"\ntestCommand = \"sh test.sh\"\n")
        try await commit(repo)
        let client = await ACPTestClient(runs: RunService(), settings: ACPTestClient.settings(testCommand: "sh test.sh", modelURL: model.baseURL),
                                         answer: ACPTestClient.reject)
        let sessionID = try await client.openSession(cwd: repo.path)
        #expect(try await client.prompt(sessionID, "add subtracts")["stopReason"] == "end_turn")
        await client.close()
        let text = client.messageText
        guard let start = text.range(of: "```diff\n"), let end = text.range(of: "```", range: start.upperBound..<text.endIndex) else {
            Issue.record("no patch in the final message: \(text)")
            return ""
        }
        return String(text[start.upperBound..<end.lowerBound])
    }

    private func commit(_ repo: TempRepository) async throws {
        let git = try await ChildProcess.shell("git add -A && git -c user.name=t -c user.email=t@e commit -qm settings", in: repo.path)
        try #require(git.status == .exited(0))
    }
}
