import Config
import Foundation
import Synchronization

/// Where snapshots live, which of them this process owns, and cleaning up after crashed runs.
enum SnapshotRegistry {
    /// Snapshot folders owned by live `Snapshot` objects of this process.
    private static let live = Mutex<Set<String>>([])

    static var defaultRoot: String { FixpointPaths.snapshots }

    /// Creates `<root>/<uuid>` and records it as owned by this process: in memory, and in
    /// `<root>/<uuid>.owner` (written first, so no folder is ever without an owner on disk).
    static func claimDirectory(in root: String) throws(GitError) -> String {
        let directory = root + "/" + UUID().uuidString.lowercased()
        _ = live.withLock { $0.insert(directory) }
        do {
            try FileSystem.makeDirectories(root)
            try FileSystem.writeAtomically(Array(SnapshotOwner.current.text.utf8), to: directory + SnapshotOwner.fileSuffix, executable: false)
            try FileSystem.makeDirectories(directory)
        } catch {
            release(directory)
            throw error
        }
        return directory
    }

    /// Deletes a snapshot folder and its owner record, and forgets it.
    static func release(_ directory: String) {
        FileSystem.removeTree(directory)
        unlink(directory + SnapshotOwner.fileSuffix)
        _ = live.withLock { $0.remove(directory) }
    }

    /// Removes what killed or crashed processes left under `root`: every snapshot whose owner record
    /// names a process that is gone (or this process, which holds no `Snapshot` for it), at any age.
    /// A snapshot of a live process is never touched, nor is a folder that is not Fixpoint's.
    /// Folders from before owner records (a marker inside `.git` only) go when their pid is gone and
    /// they are older than `seconds`.
    static func removeStale(root: String, olderThan seconds: Double) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        let owned = live.withLock { $0 }
        let recorded = Set(names.filter { $0.hasSuffix(SnapshotOwner.fileSuffix) }.map { String($0.dropLast(SnapshotOwner.fileSuffix.count)) })
        for name in recorded {
            let directory = root + "/" + name
            guard !owned.contains(directory),
                  let text = try? FileSystem.read(directory + SnapshotOwner.fileSuffix),
                  let owner = SnapshotOwner(text: String(decoding: text, as: UTF8.self)) else { continue }
            let gone = owner == SnapshotOwner.current || owner.liveness == .gone
            if gone { release(directory) }
        }
        for name in names where !name.hasSuffix(SnapshotOwner.fileSuffix) && !recorded.contains(name) {
            removeUnrecorded(root + "/" + name, owned: owned, olderThan: seconds)
        }
    }

    /// A folder from before owner records: its marker inside `.git` names only a pid.
    private static func removeUnrecorded(_ directory: String, owned: Set<String>, olderThan seconds: Double) {
        let marker = directory + "/.git/" + SnapshotRepository.markerName
        guard let written = FileSystem.modificationTime(marker),
              let text = try? FileSystem.read(marker) else { return }  // not a Fixpoint snapshot
        let age = Date().timeIntervalSince1970 - written
        guard age > seconds, !owned.contains(directory) else { return }
        let owner = String(decoding: text, as: UTF8.self).split(separator: "\n")
            .first { $0.hasPrefix("pid=") }.flatMap { Int32($0.dropFirst(4)) }
        // A snapshot whose owner still runs is in use, unless it is older than any run can be
        // (the pid may have been reused).
        if let owner, owner != getpid(), kill(owner, 0) == 0 || errno == EPERM, age < max(seconds, 7 * 86_400) { return }
        FileSystem.removeTree(directory)
    }
}
