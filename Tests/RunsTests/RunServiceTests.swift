import Agent
import Foundation
import Locking
import Testing
@testable import Runs

/// The run service on its own, with scripted runners: no protocol, no model.
@Suite struct RunServiceTests {
    @Test func oneRunPerRepositoryAndCancelEndsIt() async throws {
        let service = RunService(runner: Scripted.waitingForCancel)
        let first = try service.start(FixPlan(request: FixRequest(repository: "/repo/a", issue: "x", testCommand: "true"), model: .embedded()))
        #expect(first.id.description == "run-1")
        #expect(throws: RunStartError.repositoryBusy(repository: "/repo/a", running: first.id)) {
            _ = try service.start(FixPlan(request: FixRequest(repository: "/repo/a", issue: "y", testCommand: "true"), model: .embedded()))
        }
        let other = try service.start(FixPlan(request: FixRequest(repository: "/repo/b", issue: "y", testCommand: "true"), model: .embedded()))
        #expect(service.activeRuns == [first.id, other.id])
        #expect(service.cancel(first.id))
        guard case .cancelled = await first.end else { Issue.record("not cancelled"); return }
        #expect(service.finishedRun(first.id) == nil)
        #expect(!service.cancel(first.id))
        #expect(service.cancelAll() == [other.id])
        _ = await other.end
        #expect(service.activeRuns.isEmpty)
    }

    @Test func eventsGoWherePrepareSays() async throws {
        let seen = Locked<[String]>([])
        let service = RunService(runner: Scripted.finishing(Scripted.outcome(changes: [])))
        let handle = try service.start(FixPlan(request: FixRequest(repository: "/repo", issue: "x", testCommand: "true"), model: .embedded())) { id in
            seen.withLock { $0.append("prepare \(id)") }
            return { event in seen.withLock { $0.append(event.progressLine) } }
        }
        guard case .finished(let run) = await handle.end else { Issue.record("not finished"); return }
        #expect(run.outcome.report.summaryLine.hasPrefix("no patch"))
        #expect(seen.withLock { $0 } == ["prepare run-1", "step 1/300 · edit_file · edit a.txt"])
    }

    @Test func applyWritesOnceAndOnlyWhatIsUnchanged() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fixpoint-runs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "a\n".write(toFile: folder + "/a.txt", atomically: true, encoding: .utf8)
        try "b edited by the user\n".write(toFile: folder + "/b.txt", atomically: true, encoding: .utf8)
        let changes = [
            FileChange(path: "a.txt", before: "a\n", after: "A\n"),
            FileChange(path: "b.txt", before: "b\n", after: "B\n"),
            FileChange(path: "new/c.txt", before: nil, after: "c\n"),
        ]
        let service = RunService(runner: Scripted.finishing(Scripted.outcome(changes: changes)))
        let handle = try service.start(FixPlan(request: FixRequest(repository: folder, issue: "x", testCommand: "true"), model: .embedded()))
        _ = await handle.end

        let result = try await service.apply(handle.id)
        #expect(result.applied == ["a.txt", "new/c.txt"])
        #expect(result.skipped.map(\.path) == ["b.txt"])
        #expect(try String(contentsOfFile: folder + "/a.txt", encoding: .utf8) == "A\n")
        #expect(try String(contentsOfFile: folder + "/b.txt", encoding: .utf8) == "b edited by the user\n")
        #expect(try String(contentsOfFile: folder + "/new/c.txt", encoding: .utf8) == "c\n")
        await #expect(throws: RunApplyError.alreadyApplied(handle.id)) { _ = try await service.apply(handle.id) }
        await #expect(throws: RunApplyError.unknownRun(RunID(number: 9), finished: [handle.id])) { _ = try await service.apply(RunID(number: 9)) }
    }

    @Test func aRunWhoseFilesAllChangedNoLongerApplies() async throws {
        let service = RunService(runner: Scripted.finishing(Scripted.outcome(changes: [FileChange(path: "a.txt", before: "a\n", after: "A\n")])))
        let handle = try service.start(FixPlan(request: FixRequest(repository: "/nonexistent", issue: "x", testCommand: "true"), model: .embedded()))
        _ = await handle.end
        let stale = [SkippedFile(path: "a.txt", reason: "it was edited since the run started")]
        await #expect(throws: RunApplyError.noLongerApplies(handle.id, details: "a.txt (it was edited since the run started)")) {
            _ = try await service.apply(handle.id, stale: stale)
        }
    }

    @Test func onlyTheMostRecentFinishedRunsAreKept() async throws {
        let service = RunService(runner: Scripted.finishing(Scripted.outcome(changes: [])), finishedKept: 2)
        for _ in 1...3 {
            _ = await (try service.start(FixPlan(request: FixRequest(repository: "/repo", issue: "x", testCommand: "true"), model: .embedded()))).end
        }
        #expect(service.finishedRuns.map(\.description) == ["run-2", "run-3"])
        #expect(RunID("run-12") == RunID(number: 12))
        #expect(RunID("12") == nil && RunID("run-0") == nil)
    }
}

enum Scripted {
    static func outcome(changes: [FileChange]) -> FixOutcome {
        FixOutcome(report: RunReport(status: changes.isEmpty ? .noPatch : .verified, endReason: .submitted, steps: 1), changes: changes)
    }

    static func finishing(_ outcome: FixOutcome) -> FixRunner {
        { plan, onEvent in
            onEvent(AgentEvent(kind: .toolCall, step: 1, maxSteps: plan.request.maxSteps, tool: "edit_file", summary: "edit a.txt"))
            return outcome
        }
    }

    static let waitingForCancel: FixRunner = { _, _ in
        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
        return FixOutcome(report: RunReport(status: .noPatch, endReason: .cancelled), changes: [])
    }
}
