import Config
import Foundation
import Synchronization

/// Where snapshots live, which of them this process owns, and cleaning up after crashed runs.
enum SnapshotRegistry {
    /// Snapshot folders owned by live `Snapshot` objects of this process.
    private static let live = Mutex<Set<String>>([])

    static var defaultRoot: String { FixpointPaths.snapshots }

    /// Creates `<root>/<uuid>` and records it as owned by this process.
    static func claimDirectory(in root: String) throws(GitError) -> String {
        let directory = root + "/" + UUID().uuidString.lowercased()
        try FileSystem.makeDirectories(directory)
        _ = live.withLock { $0.insert(directory) }
        return directory
    }

    /// How many live snapshots use each object store (`ObjectStore`).
    private static let storeUsers = Mutex<[String: Int]>([:])

    /// Creates `<root>/<uuid>.objects`, marked as ours, with one user.
    static func claimStore(in root: String) throws(GitError) -> String {
        let store = root + "/" + UUID().uuidString.lowercased() + ObjectStore.suffix
        try FileSystem.makeDirectories(store)
        try FileSystem.writeAtomically(Array("pid=\(getpid())\n".utf8), to: store + "/" + ObjectStore.markerName, executable: false)
        _ = live.withLock { $0.insert(store) }
        storeUsers.withLock { $0[store] = 1 }
        return store
    }

    /// One more snapshot (a fork) uses `store`.
    static func retainStore(_ store: String) {
        storeUsers.withLock { $0[store, default: 0] += 1 }
    }

    /// Deletes a snapshot folder and forgets it; deletes its object store too when no other snapshot
    /// uses it any more.
    static func release(_ directory: String, store: String?) {
        FileSystem.removeTree(directory)
        _ = live.withLock { $0.remove(directory) }
        guard let store else { return }
        let last = storeUsers.withLock { (users: inout [String: Int]) -> Bool in
            let left = (users[store] ?? 1) - 1
            users[store] = left > 0 ? left : nil
            return left <= 0
        }
        if last {
            FileSystem.removeTree(store)
            _ = live.withLock { $0.remove(store) }
        }
    }

    static func removeStale(root: String, olderThan seconds: Double) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        let now = Date().timeIntervalSince1970
        let owned = live.withLock { $0 }
        for name in names {
            let directory = root + "/" + name
            let marker = name.hasSuffix(ObjectStore.suffix)
                ? directory + "/" + ObjectStore.markerName : directory + "/.git/" + SnapshotRepository.markerName
            guard let written = FileSystem.modificationTime(marker),
                  let text = try? FileSystem.read(marker) else { continue }  // not a Fixpoint snapshot
            let age = now - written
            guard age > seconds, !owned.contains(directory) else { continue }
            let owner = String(decoding: text, as: UTF8.self).split(separator: "\n")
                .first { $0.hasPrefix("pid=") }.flatMap { Int32($0.dropFirst(4)) }
            // A snapshot whose owner still runs is in use, unless it is older than any run can be
            // (the pid may have been reused).
            if let owner, owner != getpid(), processExists(owner), age < max(seconds, 7 * 86_400) { continue }
            FileSystem.removeTree(directory)
        }
    }

    private static func processExists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
