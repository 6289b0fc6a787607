import Agent
import Foundation
import JSONRPC
import JSONValue
import Synchronization
import Testing
@testable import FixpointServer

private let neverUsed = FixOutcome(report: RunReport(status: .verified, endReason: .submitted), changes: [])
private let fixParams: JSON = ["command": "fixpoint.fixIssue", "arguments": [["issue": "x", "testCommand": "true"]]]

@Suite struct CancellationTests {
    private func startBlockedRun() async throws -> (TestClient, Task<Result<JSON, ResponseError>, Never>, TempFolder) {
        let folder = try TempFolder()
        let client = await TestClient(runner: ScriptedRunner.gated(Gate(), outcome: neverUsed))
        try await client.initialize(rootPath: folder.path)
        let run = Task { () -> Result<JSON, ResponseError> in
            do { return .success(try await client.request("workspace/executeCommand", fixParams)) } catch let error as ResponseError {
                return .failure(error)
            } catch { return .failure(.internalError("\(error)")) }
        }
        try await client.waitFor("fixpoint/step")
        return (client, run, folder)
    }

    @Test func fixpointCancelStopsTheRunAndTheRequestIsCancelled() async throws {
        let (client, run, _) = try await startBlockedRun()
        // A second run in the same folder is refused while the first goes on.
        let busy = try await client.requestError("workspace/executeCommand", fixParams)
        #expect(busy.code == -32803)
        #expect(busy.message.contains("already running"))

        let cancelled = try await client.request("workspace/executeCommand", ["command": "fixpoint.cancel", "arguments": [["runId": "run-1"]]])
        #expect(cancelled == ["cancelled": ["run-1"]])
        guard case .failure(let error) = await run.value else { Issue.record("the run was not cancelled"); return }
        #expect(error.code == -32800)
        let end = try await client.waitFor("$/progress") { $0["value"]?["kind"] == "end" }
        #expect(end["value"]?["message"] == "cancelled")
        let mirrored = try await client.waitFor("fixpoint/step") { $0["kind"] == "run_end" }
        #expect(mirrored["outcome"] == "cancelled")

        let none = try await client.request("workspace/executeCommand", ["command": "fixpoint.cancel"])
        #expect(none == ["cancelled": []])
        let unknown = try await client.requestError("workspace/executeCommand", ["command": "fixpoint.cancel", "arguments": [["runId": "run-1"]]])
        #expect(unknown.code == -32602)
    }

    @Test func cancellingTheProgressStopsTheRun() async throws {
        let (client, run, _) = try await startBlockedRun()
        let token = try #require(client.messages("window/workDoneProgress/create").first?["token"])
        client.notify("window/workDoneProgress/cancel", ["token": token])
        guard case .failure(let error) = await run.value else { Issue.record("the run was not cancelled"); return }
        #expect(error.code == -32800)
    }

    @Test func cancelRequestStopsTheRun() async throws {
        let (client, run, _) = try await startBlockedRun()
        run.cancel()  // the client connection sends $/cancelRequest for the executeCommand request
        let end = try await client.waitFor("$/progress") { $0["value"]?["kind"] == "end" }
        #expect(end["value"]?["message"] == "cancelled")
        // The folder is free again.
        let next = try await client.request("workspace/executeCommand", ["command": "fixpoint.cancel"])
        #expect(next == ["cancelled": []])
    }
}
