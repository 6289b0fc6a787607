import Agent
import Foundation
import JSONRPC
import JSONValue
import Synchronization
import Testing
@testable import FixpointServer
import Runs

/// `sandbox.approveCommands`: each run_command is put to the user with window/showMessageRequest, and
/// only "Run" lets it through.
@Suite struct CommandApprovalTests {
    /// A run that asks to run one command and reports the answer in its error field.
    private static let asking: FixRunner = { plan, _ in
        let approval = plan.request.commandApproval
        let answer = await approval?("echo hello")
        var report = RunReport(status: .noPatch, endReason: .submitted)
        report.error = answer.map { $0 ? "approved" : "declined" } ?? "not asked"
        return FixOutcome(report: report, changes: [])
    }

    private func run(clicking title: JSON, approve: Bool) async throws -> (String?, TestClient) {
        let folder = try TempFolder(files: ["a.txt": "hello\n"])
        let client = await TestClient(runner: Self.asking) { method, _ in
            method == "window/showMessageRequest" ? .success(title.isNull ? .null : ["title": title]) : .success(.null)
        }
        try await client.initialize(rootPath: folder.path, options: .object(["sandbox": .object(["approveCommands": .bool(approve)])]))
        let result = try await client.request("workspace/executeCommand", [
            "command": "fixpoint.fixIssue", "arguments": [["issue": "x", "testCommand": "true"]],
        ])
        return (result["error"]?.stringValue, client)
    }

    @Test func runIsApproved() async throws {
        let (answer, client) = try await run(clicking: "Run", approve: true)
        #expect(answer == "approved")
        let prompt = try #require(client.messages("window/showMessageRequest").first)
        #expect("\(prompt)".contains("echo hello"))
    }

    @Test func refusingOrDismissingDeclines() async throws {
        #expect(try await run(clicking: "Refuse", approve: true).0 == "declined")
        #expect(try await run(clicking: .null, approve: true).0 == "declined")
    }

    @Test func withoutTheSettingNobodyIsAsked() async throws {
        let (answer, client) = try await run(clicking: "Run", approve: false)
        #expect(answer == "not asked")
        #expect(client.messages("window/showMessageRequest").isEmpty)
    }
}
