import ChildProcess
import Foundation
import Git
import Testing

/// Snapshots left by a process that was killed (SIGKILL: no cleanup code ran) are removed by the next
/// cleanup; a snapshot whose owner still runs is kept, even when the pid alone would be ambiguous.
/// The owners here are real child processes, killed for real.
@Suite struct KilledOwnerCleanupTests {
    /// A copy of a real snapshot folder, as another process would have left it, with `owner` as its record.
    private func leftBehind(_ snapshot: Snapshot, as name: String, owner: String) async throws -> String {
        let copy = snapshot.root + "/" + name
        let out = try await ChildProcess.shell("cp -a '\(snapshot.directory)' '\(copy)'")
        #expect(out.status == .exited(0))
        try owner.write(toFile: copy + ".owner", atomically: true, encoding: .utf8)
        return copy
    }

    /// The owner record of `pid`, as that process would have written it: `mine` with another pid and start.
    private func ownerRecord(pid: Int32, start: String, like mine: Snapshot) throws -> String {
        let record = try String(contentsOfFile: mine.directory + ".owner", encoding: .utf8)
        let keep = record.split(separator: "\n").filter { $0.hasPrefix("boot=") || $0.hasPrefix("host=") }
        return (["pid=\(pid)", "start=\(start)"] + keep.map(String.init)).joined(separator: "\n") + "\n"
    }

    private static func startTicks(_ pid: Int32) throws -> String {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
        return String(fields[19])
    }

    @Test func aKilledOwnersSnapshotIsRemovedALiveOnesKept() async throws {
        let repo = try await TempRepo(files: ["f.txt": "x\n"])
        defer { repo.remove() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fp-owner-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let mine = try await Snapshot.create(from: repo.path, root: root)
        #expect(FileManager.default.fileExists(atPath: mine.directory + ".owner"), "a snapshot records its owner beside it")

        let log = root + "-child.log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let child = try await ChildProcess.launch(ProcessSpec(executable: "/bin/sleep", arguments: ["300"]), logPath: log)
        let start = try Self.startTicks(child.pid)
        let ofLiveChild = try await leftBehind(mine, as: "of-live-child", owner: try ownerRecord(pid: child.pid, start: start, like: mine))
        // The same pid with another start time: the pid was reused by a new process after the owner died.
        let ofReusedPid = try await leftBehind(mine, as: "of-reused-pid", owner: try ownerRecord(pid: child.pid, start: "1", like: mine))
        let foreign = root + "/not-ours"
        try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)

        await Snapshot.removeStale(root: root)
        #expect(FileManager.default.fileExists(atPath: ofLiveChild), "its owner still runs")
        #expect(!FileManager.default.fileExists(atPath: ofReusedPid))
        #expect(!FileManager.default.fileExists(atPath: ofReusedPid + ".owner"))
        #expect(FileManager.default.fileExists(atPath: mine.directory), "this process's own live snapshot")
        #expect(FileManager.default.fileExists(atPath: foreign))

        kill(child.pid, SIGKILL)
        _ = await child.waitForExit()
        await Snapshot.removeStale(root: root)
        #expect(!FileManager.default.fileExists(atPath: ofLiveChild), "its owner was killed")
        #expect(!FileManager.default.fileExists(atPath: ofLiveChild + ".owner"))
        #expect(FileManager.default.fileExists(atPath: mine.directory))
        #expect(FileManager.default.fileExists(atPath: foreign))

        await mine.remove()
        let left = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        #expect(left == ["not-ours"])
    }

    /// A snapshot of another host's process (a killed run in another container, whose hostname differs):
    /// its owner can't be seen from here, so it is kept while a run could still be going, and removed
    /// once older than any run can be — a persisted cache does not keep a copy per killed container.
    @Test func anotherHostsSnapshotIsRemovedOnceOlderThanAnyRun() async throws {
        let repo = try await TempRepo(files: ["f.txt": "x\n"])
        defer { repo.remove() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fp-owner-host-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let mine = try await Snapshot.create(from: repo.path, root: root)
        let record = "pid=1\nstart=1\nboot=\nhost=another-container-\(UUID().uuidString)\n"
        let old = try await leftBehind(mine, as: "of-old-container", owner: record)
        let recent = try await leftBehind(mine, as: "of-recent-container", owner: record)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -8 * 86_400)], ofItemAtPath: old + ".owner")

        await Snapshot.removeStale(root: root)
        #expect(!FileManager.default.fileExists(atPath: old), "older than any run can be")
        #expect(!FileManager.default.fileExists(atPath: old + ".owner"))
        #expect(FileManager.default.fileExists(atPath: recent), "its run may still be going on its host")
        #expect(FileManager.default.fileExists(atPath: mine.directory))
        await mine.remove()
    }
}
