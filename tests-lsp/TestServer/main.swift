// The language server with a scripted agent, for the out-of-process suite in tests-lsp/ (until and
// besides `fixpoint serve`). FIXPOINT_TEST_RUNNER picks the runner:
//   agent (default)  the real Fixer.run
//   child            starts `sleep 300`, writes its pid to FIXPOINT_TEST_PIDFILE, emits one step, and
//                    waits for cancellation, then kills and reaps the child: a stand-in for an agent
//                    run with a test command going on
//   edit             appends "fixed\n" to a.txt in the workspace and reports a verified fix (and
//                    prints a stray line, which must not reach the protocol stream)
import Agent
import FixpointServer
import Runs
import Foundation
#if canImport(Glibc)
import Glibc
#endif

let runner: FixRunner
switch ProcessInfo.processInfo.environment["FIXPOINT_TEST_RUNNER"] ?? "agent" {
case "child": runner = childRunner
case "edit": runner = editRunner
default: runner = FixRunners.agent
}
exit(await LanguageServerMain.run(runner: runner))

@Sendable func childRunner(_ plan: FixPlan, _ onEvent: @escaping @Sendable (AgentEvent) -> Void) async -> FixOutcome {
    let request = plan.request
    var pid: pid_t = 0
    let argv: [UnsafeMutablePointer<CChar>?] = [strdup("sleep"), strdup("300"), nil]
    defer { for arg in argv { free(arg) } }
    guard posix_spawn(&pid, "/bin/sleep", nil, nil, argv, environ) == 0 else {
        return FixOutcome(report: RunReport(status: .error, endReason: .error, error: "could not start sleep"), changes: [])
    }
    if let pidFile = ProcessInfo.processInfo.environment["FIXPOINT_TEST_PIDFILE"] {
        _ = FileManager.default.createFile(atPath: pidFile, contents: Data("\(pid)\n".utf8))
    }
    onEvent(AgentEvent(kind: .toolCall, step: 1, maxSteps: request.maxSteps, tool: "run_tests", summary: "running \(request.testCommand)"))
    while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
    kill(pid, SIGKILL)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return FixOutcome(report: RunReport(status: .noPatch, endReason: .cancelled), changes: [])
}

@Sendable func editRunner(_ plan: FixPlan, _ onEvent: @escaping @Sendable (AgentEvent) -> Void) async -> FixOutcome {
    let request = plan.request
    let path = request.repository + "/a.txt"
    let before = request.overlays["a.txt"] ?? FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    let after = (before ?? "") + "fixed\n"
    onEvent(AgentEvent(kind: .toolCall, step: 1, maxSteps: request.maxSteps, tool: "edit_file", summary: "edit a.txt"))
    // A stray print, as a careless tool might do: it must land on stderr, not in the protocol stream.
    print("stray output from the agent")
    let report = RunReport(status: .verified, endReason: .submitted, patch: "--- a/a.txt\n+++ b/a.txt\n", filesChanged: ["a.txt"], steps: 1)
    return FixOutcome(report: report, changes: [FileChange(path: "a.txt", before: before, after: after)])
}
