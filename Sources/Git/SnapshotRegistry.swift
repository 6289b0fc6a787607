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
    static func claimDirectory(in root: String, suffix: String = "") throws(GitError) -> String {
        let directory = root + "/" + UUID().uuidString.lowercased() + suffix
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

    /// How many live snapshots use each object store (`ObjectStore`).
    private static let storeUsers = Mutex<[String: Int]>([:])

    /// Creates an object store `<root>/<uuid>.objects` (with its owner record, like a snapshot, so
    /// `removeStale` treats it alike) with one user.
    static func claimStore(in root: String) throws(GitError) -> String {
        let store = try claimDirectory(in: root, suffix: ObjectStore.suffix)
        storeUsers.withLock { $0[store] = 1 }
        return store
    }

    /// One more snapshot (a fork) uses `store`.
    static func retainStore(_ store: String) {
        storeUsers.withLock { $0[store, default: 0] += 1 }
    }

    /// Deletes a snapshot folder and its owner record, and forgets it; with `store`, also deletes the
    /// snapshot's object store once no other snapshot uses it.
    static func release(_ directory: String, store: String? = nil) {
        FileSystem.removeTree(directory)
        unlink(directory + SnapshotOwner.fileSuffix)
        _ = live.withLock { $0.remove(directory) }
        guard let store else { return }
        let last = storeUsers.withLock { (users: inout [String: Int]) -> Bool in
            let left = (users[store] ?? 1) - 1
            users[store] = left > 0 ? left : nil
            return left <= 0
        }
        if last { release(store) }
    }

    /// Removes what killed or crashed processes left under `root`: every snapshot whose owner record
    /// names a process that is gone (or this process, which holds no `Snapshot` for it), at any age;
    /// one whose owner ran on another host once it is older than `max(seconds, 7 days)`.
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
            let liveness = owner.liveness
            var gone = owner == SnapshotOwner.current || liveness == .gone
            // Another host's (each container has its own hostname): its processes can't be seen from
            // here, so it goes once it is older than any run can be.
            if liveness == .unknown, let written = FileSystem.modificationTime(directory + SnapshotOwner.fileSuffix),
               Date().timeIntervalSince1970 - written > max(seconds, 7 * 86_400) { gone = true }
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
