import Foundation
import Synchronization

/// A pids cgroup for one command: `pids.max` counts every process and thread of its tree. This is the
/// process limit that holds for root, which RLIMIT_NPROC does not bind. Made where the pids controller
/// is writable (cgroup v1, or v2 with pids delegated to our cgroup); nil elsewhere.
final class PidsCgroup: Sendable {
    let directory: String
    var procsFile: String { directory + "/cgroup.procs" }

    private init(directory: String) { self.directory = directory }

    private static let counter = Atomic<Int>(0)

    static func make(limit: UInt64) -> PidsCgroup? {
        guard let parent = parentDirectory() else { return nil }
        removeStale(in: parent)
        let name = "fixpoint-\(getpid())-\(counter.add(1, ordering: .relaxed).newValue)"
        let directory = parent + "/" + name
        guard mkdir(directory, 0o755) == 0 else { return nil }
        guard (try? "\(limit)".write(toFile: directory + "/pids.max", atomically: false, encoding: .utf8)) != nil else {
            rmdir(directory)
            return nil
        }
        return PidsCgroup(directory: directory)
    }

    /// Removes the cgroup once its processes are gone (a PID namespace is torn down just after its init exits).
    func remove() {
        for _ in 0..<100 {
            if rmdir(directory) == 0 || errno == ENOENT { return }
            usleep(20_000)
        }
    }

    /// Where our own cgroup sits in a writable pids hierarchy.
    static func parentDirectory() -> String? {
        guard let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8),
              let membership = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return nil }
        let ownPaths = membership.split(separator: "\n").map { $0.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false) }
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 4 else { continue }
            let (mountPoint, type, options) = (String(fields[1]), fields[2], fields[3].split(separator: ","))
            if type == "cgroup", options.contains("pids"),
               let own = ownPaths.first(where: { $0.count == 3 && $0[1].split(separator: ",").contains("pids") }) {
                let path = mountPoint + (own[2] == "/" ? "" : String(own[2]))
                if access(path, W_OK) == 0 { return path }
            }
            if type == "cgroup2", let own = ownPaths.first(where: { $0.count == 3 && $0[0] == "0" }) {
                let path = mountPoint + (own[2] == "/" ? "" : String(own[2]))
                let delegated = (try? String(contentsOfFile: path + "/cgroup.subtree_control", encoding: .utf8))?
                    .split(whereSeparator: \.isWhitespace).contains("pids") ?? false
                if delegated, access(path, W_OK) == 0 { return path }
            }
        }
        return nil
    }

    /// Cgroups left by Fixpoint processes that died before removing them (empty ones only).
    private static func removeStale(in parent: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for name in names where name.hasPrefix("fixpoint-") {
            let parts = name.split(separator: "-")
            guard parts.count == 3, let pid = Int32(parts[1]), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            rmdir(parent + "/" + name)
        }
    }
}
