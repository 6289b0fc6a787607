import Agent
import Foundation
import ModelClient
import Testing

/// Every snapshot a run makes — the base, the tests-before copy, each parallel trajectory's copy and
/// each verification copy — is gone from disk when `Fixer.run` returns, whatever the run's end.
/// Each test watches a snapshot folder of its own.
@Suite struct SnapshotCleanupTests {
    struct Folder {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fp-snapshots-\(UUID().uuidString)").path
        var left: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
        func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test func aVerifiedRunLeavesNothing() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let folder = Folder()
        defer { folder.remove() }
        let outcome = await Fixer.run(fixRequest(repo), model: .embedded(), options: options(ScriptedModel(turns: theFix), snapshots: folder.path))
        #expect(outcome.report.status == .verified)
        #expect(folder.left.isEmpty, "left behind: \(folder.left)")
    }

    @Test func aHeavyRunLeavesNothing() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let folder = Folder()
        defer { folder.remove() }
        let model = ScriptedModel { _, request in
            let turn = request.messages.filter { $0.role == .assistant }.count
            // Seed 1 makes a wrong patch (its verification fails); the others fix the bug.
            let wrong = ScriptedModel.call("edit_file", ["path": "calc.py", "old_text": "return a - b", "new_text": "return a * b"])
            let turns = request.seed == 1 ? [theFix[0], wrong, ScriptedModel.call("submit", ["summary": "done"])] : theFix
            return turn < turns.count ? turns[turn] : ScriptedModel.call("submit", ["summary": "done"])
        }
        var request = fixRequest(repo)
        request.heavy = 4
        let outcome = await Fixer.run(request, model: .embedded(), options: options(model, snapshots: folder.path))
        #expect(outcome.report.status == .verified)
        #expect(outcome.report.trajectories.contains { $0.status == .unverified })
        #expect(folder.left.isEmpty, "left behind: \(folder.left)")
    }

    @Test func aFailedRunLeavesNothing() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let folder = Folder()
        defer { folder.remove() }
        let model = ScriptedModel { call, _ throws(ModelError) in
            if call < 2 { return theFix[call] }
            throw .server(status: 500, message: "upstream exploded")
        }
        let outcome = await Fixer.run(fixRequest(repo), model: .embedded(), options: options(model, snapshots: folder.path))
        #expect(outcome.report.endReason == .error)
        #expect(folder.left.isEmpty, "left behind: \(folder.left)")
    }

    @Test func aCancelledHeavyRunLeavesNothing() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let folder = Folder()
        defer { folder.remove() }
        let model = ScriptedModel { call, _ in
            try? await Task.sleep(for: .milliseconds(50))
            return ScriptedModel.call("read_file", ["path": "calc.py"], id: "r\(call)")
        }
        var request = fixRequest(repo, maxSteps: 10_000)
        request.heavy = 3
        let task = Task { await Fixer.run(request, model: .embedded(), options: options(model, snapshots: folder.path)) }
        try await Task.sleep(for: .seconds(1))
        task.cancel()
        let outcome = await task.value
        #expect(outcome.report.endReason == .cancelled)
        #expect(folder.left.isEmpty, "left behind: \(folder.left)")
    }

    /// A base kept for a later apply is the one snapshot left (with its object store, `<uuid>.objects`),
    /// until its holder discards it.
    @Test func aKeptBaseIsTheOnlyFolderLeftUntilDiscarded() async throws {
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        let folder = Folder()
        defer { folder.remove() }
        var runOptions = options(ScriptedModel(turns: theFix), snapshots: folder.path)
        runOptions.retainBase = true
        let outcome = await Fixer.run(fixRequest(repo), model: .embedded(), options: runOptions)
        let pending = try #require(outcome.pendingApply)
        // The base and its object store (`<uuid>.objects`), each with its owner record.
        let folders = folder.left.filter { !$0.hasSuffix(".owner") }
        #expect(folders.count == 2 && folders.filter { $0.hasSuffix(".objects") }.count == 1, "\(folder.left)")
        #expect(folder.left.filter { $0.hasSuffix(".owner") }.count == 2, "their owner records: \(folder.left)")
        await pending.discard()
        #expect(folder.left.isEmpty, "left behind: \(folder.left)")
    }
}
