import Foundation
import Git
import ModelClient
import Sandbox

/// Runs one call of the model's: through the registry on the tool executor (off Swift's cooperative
/// pool), with the loop guard's nudges, refusals told apart from errors by type, edits of test files
/// flagged, and the output bounded. Journals the call and its observation.
struct ToolDispatcher {
    let registry: ToolRegistry
    let services: SnapshotServices
    private(set) var loopGuard = LoopGuard()
    /// Tools the model just repeated without effect: left out of the next constrained action's schema,
    /// so a small model stuck on one call has to do something else.
    private(set) var excludedTools: Set<String> = []

    init(registry: ToolRegistry, services: SnapshotServices) {
        self.registry = registry
        self.services = services
    }

    /// The result, and the test run the call made, if it ran the tests.
    mutating func execute(_ call: ToolCall, outputLimit: Int, telemetry: TrajectoryTelemetry) async
        -> (result: ToolResult, tests: TestRunner.Result?) {
        let step = telemetry.step
        let began = Date()
        let tool = registry.tool(named: call.name)
        var detail = ToolCallDetail(id: "t\(telemetry.trajectory)-\(step)-\(call.id)", arguments: call.arguments, role: tool?.role)
        telemetry.emit(.toolCall, tool: call.name, summary: call.summary, call: detail)
        telemetry.journal(.toolCall(.init(name: call.name, arguments: call.arguments, id: call.id)))
        var result: ToolResult
        do {
            let (registry, context) = (self.registry, try services.context(step: step, maxOutputBytes: outputLimit))
            let capture = EditCapture(call, role: tool?.role, workspace: context.workspace)
            let output: String
            // The edited files' texts before and after, for faces that show each edit as a diff.
            (output, detail.edits) = try await withTaskExecutorPreference(BlockingExecutor.shared) { () async throws(ToolError) -> (String, [FileChange]) in
                let before = capture?.read()
                let output = try await registry.call(name: call.name, arguments: call.arguments, in: context)
                return (output, before.map { capture?.changes(since: $0) ?? [] } ?? [])
            }
            result = ToolResult(kind: .output, text: output)
            if let tool, let nudge = loopGuard.afterSuccess(tool, arguments: call.arguments, output: output, step: step) {
                telemetry.record(.loop, "\(call.summary) repeated with the same result")
                result.text = nudge
                excludedTools.insert(call.name)
                if loopGuard.consecutiveRepeats >= 2 { excludedTools.formUnion(registry.names(of: .looks)) }
            } else {
                excludedTools = []
            }
        } catch {
            result = ToolResult(kind: error.kind == .refused ? .refusal : .error, text: "Error: \(error.message)")
            if error.kind == .refused { telemetry.record(.refusal, "\(call.summary): \(error.message)") }
            if let nudge = loopGuard.afterFailure(tool, name: call.name, arguments: call.arguments, error: error.message, step: step) {
                telemetry.record(.loop, "\(call.summary) failed again the same way")
                result.text = "Error: " + nudge
                // The same failing call twice: the next action must be something else (read the file).
                excludedTools.insert(call.name)
            } else {
                excludedTools = []
            }
        }
        if let note = loopGuard.noteRole(tool?.role) {
            result.text += "\n" + note
            if loopGuard.lookStreak >= LoopGuard.lookStreakStopAt {
                telemetry.record(.loop, "\(loopGuard.lookStreak) looks in a row")
                excludedTools.formUnion(registry.names(of: .looks))
            }
        }
        let tests = services.latestTests.take()
        if !result.failed, tool?.role == .edits, let path = call.pathArgument, TestPaths.isTest(path) {
            telemetry.record(.testEdit, "\(call.summary) changed a test file")
            result.text += "\nNote: \(path) is a test file. The tests describe the wanted behaviour; fix the code they test instead, unless the issue asks to change the tests."
        }
        // What the model sees passes the redaction point (a file may hold a secret's value).
        result.text = Redaction.redact(OutputTriage.headTail(result.text, maxLines: 400, maxBytes: outputLimit))
        telemetry.addToolTime(since: began)
        telemetry.journal(.observation(.init(name: call.name, bytes: result.text.utf8.count, sha256: SHA256.hex(result.text),
                                             head: String(result.text.prefix(200)), failed: result.failed)))
        detail.output = result.text
        detail.failed = result.failed
        telemetry.emit(.observation, tool: call.name, summary: (result.failed ? "error: " : "") + result.text.firstLine, call: detail)
        return (result, tests)
    }
}
