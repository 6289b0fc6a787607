import Foundation

/// RLIMIT_NPROC counts every process and thread of the user, not only the command's: on a desktop the
/// browser alone may hold hundreds. Where it is the process limit (no pids cgroup), the limit is set
/// to what the user already runs plus the command's allowance.
enum UserTasks {
    /// Tasks (processes and threads) of the calling user now.
    static func count() -> Int {
        let uid = getuid()
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 0 }
        var total = 0
        for entry in entries where entry.first?.isNumber == true {
            var info = stat()
            guard stat("/proc/" + entry, &info) == 0, info.st_uid == uid else { continue }
            total += (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(entry)/task").count) ?? 1
        }
        return total
    }
}
