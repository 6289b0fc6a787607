import Agent
import Foundation
import JSONRPC
import JSONValue
import Runs
import Testing
@testable import FixpointServer

private let report = RunReport(status: .verified, endReason: .submitted, patch: "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-hello\n+hello world\n", filesChanged: ["a.txt"], steps: 2)
private let outcome = FixOutcome(report: report, changes: [FileChange(path: "a.txt", before: "hello\n", after: "hello world\n")])
private let fixParams: JSON = ["command": "fixpoint.fixIssue", "arguments": [["issue": "say hello world", "testCommand": "true"]]]

private func proposedDiff(_ args: JSON = [:]) -> JSON { ["command": "fixpoint.proposedDiff", "arguments": [args]] }

/// What the editor integrations under editors/ rely on: a preview before anything is written.
@Suite struct EditorIntegrationTests {
    @Test func previewingClientsGetNoApplyEditAndReadTheDiffFirst() async throws {
        let folder = try TempFolder(files: ["a.txt": "hello\n"])
        let client = await TestClient(runner: ScriptedRunner.finishing(with: outcome), answer: { _, _ in .success(["applied": true]) })
        try await client.initialize(rootPath: folder.path, options: ["previewEdits": true])

        let result = try await client.request("workspace/executeCommand", fixParams)
        #expect(result["status"] == "verified")
        #expect(client.messages("workspace/applyEdit").isEmpty)

        let diff = try await client.request("workspace/executeCommand", proposedDiff())
        #expect(diff["runId"] == "run-1")
        #expect(diff["status"] == "verified")
        #expect(diff["patch"] == .string(report.patch))
        #expect(diff["applied"] == false)
        #expect(diff["summary"]?.stringValue?.hasPrefix("verified fix") == true)
        #expect(diff["files"] == [["path": "a.txt", "uri": .string(folder.uri("a.txt")), "before": "hello\n", "after": "hello world\n"]])
        #expect(try await client.request("workspace/executeCommand", proposedDiff(["runId": "run-1"])) == diff)
        #expect(folder.read("a.txt") == "hello\n")

        // Accepting is fixpoint.applyFix; the diff then says so.
        let applied = try await client.request("workspace/executeCommand", ["command": "fixpoint.applyFix", "arguments": [["runId": "run-1"]]])
        #expect(applied["applied"] == ["a.txt"])
        #expect(folder.read("a.txt") == "hello world\n")
        #expect(try await client.request("workspace/executeCommand", proposedDiff())["applied"] == true)
    }

    @Test func theOptionMayBeNamespacedAndDefaultsToOfferingTheEdit() async throws {
        let folder = try TempFolder(files: ["a.txt": "hello\n"])
        let namespaced = await TestClient(runner: ScriptedRunner.finishing(with: outcome), answer: { _, _ in .success(["applied": false]) })
        try await namespaced.initialize(rootPath: folder.path, options: ["fixpoint": ["previewEdits": true]])
        _ = try await namespaced.request("workspace/executeCommand", fixParams)
        #expect(namespaced.messages("workspace/applyEdit").isEmpty)

        let plain = await TestClient(runner: ScriptedRunner.finishing(with: outcome), answer: { _, _ in .success(["applied": false]) })
        try await plain.initialize(rootPath: folder.path)
        _ = try await plain.request("workspace/executeCommand", fixParams)
        #expect(plain.messages("workspace/applyEdit").count == 1)
    }

    @Test func badInputIsNamed() async throws {
        let folder = try TempFolder(files: ["a.txt": "hello\n"])
        let client = await TestClient(runner: ScriptedRunner.finishing(with: outcome))
        let bad = try await client.requestError("initialize", ["processId": .null, "capabilities": [:], "initializationOptions": ["previewEdits": "yes"]])
        #expect(bad.code == -32602)
        #expect(bad.message.contains("params.initializationOptions.previewEdits"))

        try await client.initialize(rootPath: folder.path)
        let none = try await client.requestError("workspace/executeCommand", proposedDiff())
        #expect(none.code == -32803)
        #expect(none.message.contains("no run has finished yet"))
        _ = try await client.request("workspace/executeCommand", fixParams)
        let unknown = try await client.requestError("workspace/executeCommand", proposedDiff(["runId": "run-9"]))
        #expect(unknown.code == -32602)
        #expect(unknown.message.contains("no finished run 'run-9' (finished: run-1)"))
    }
}
