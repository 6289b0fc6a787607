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

    /// Deletes a snapshot folder and forgets it.
    static func release(_ directory: String) {
        FileSystem.removeTree(directory)
        _ = live.withLock { $0.remove(directory) }
    }

    static func removeStale(root: String, olderThan seconds: Double) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        let now = Date().timeIntervalSince1970
        let owned = live.withLock { $0 }
        for name in names {
            let directory = root + "/" + name
            let marker = directory + "/.git/" + SnapshotRepository.markerName
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
