import Foundation

/// The process that owns a snapshot folder, written as `<root>/<name>.owner` beside the folder before
/// the folder exists, so a folder is never without a recorded owner, even when its owner is killed
/// while copying the tree. A pid alone is not enough: after a crash the pid may belong to another
/// process, so the owner is the pid together with its start time (`/proc/<pid>/stat`, clock ticks
/// since boot) and the boot it ran in.
struct SnapshotOwner: Equatable, Sendable {
    var pid: Int32
    var startTicks: UInt64?
    var bootID: String?
    var host: String?

    static let fileSuffix = ".owner"

    /// This process, read once.
    static let current = SnapshotOwner(pid: getpid(), startTicks: startTicks(of: getpid()), bootID: currentBootID,
                                       host: currentHostName)

    var text: String {
        "pid=\(pid)\nstart=\(startTicks.map(String.init) ?? "")\nboot=\(bootID ?? "")\nhost=\(host ?? "")\n"
    }

    init(pid: Int32, startTicks: UInt64?, bootID: String?, host: String?) {
        self.pid = pid; self.startTicks = startTicks; self.bootID = bootID; self.host = host
    }

    /// Parses an owner file; nil when it names no pid.
    init?(text: String) {
        var fields: [Substring: Substring] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[line[..<equals]] = line[line.index(after: equals)...]
        }
        guard let pid = fields["pid"].flatMap({ Int32($0) }), pid > 0 else { return nil }
        self.pid = pid
        startTicks = fields["start"].flatMap { UInt64($0) }
        bootID = fields["boot"].flatMap { $0.isEmpty ? nil : String($0) }
        host = fields["host"].flatMap { $0.isEmpty ? nil : String($0) }
    }

    enum Liveness: Equatable {
        case alive
        case gone
        /// Another machine (or a container with its own hostname) wrote it: its processes can't be seen from here.
        case unknown
    }

    /// Whether the process that wrote this owner record still runs.
    var liveness: Liveness {
        let me = Self.current
        if let host, let mine = me.host, host != mine { return .unknown }
        if let bootID, let mine = me.bootID, bootID != mine { return .gone }  // rebooted since
        guard Self.processExists(pid) else { return .gone }
        // The pid runs, but is it still the same process?
        if let startTicks, let now = Self.startTicks(of: pid), now != startTicks { return .gone }
        return .alive
    }

    /// Start time of `pid` in clock ticks since boot (field 22 of `/proc/<pid>/stat`); nil when it is
    /// gone, a zombie, or /proc is unavailable.
    static func startTicks(of pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm)": state is field 3, starttime field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        return UInt64(fields[19])
    }

    private static func processExists(_ pid: Int32) -> Bool {
        if FileManager.default.fileExists(atPath: "/proc/self/stat") {
            return startTicks(of: pid) != nil  // zombies (killed, not yet reaped) count as gone
        }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    private static let currentHostName: String? = {
        var buffer = [UInt8](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let name = String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }()

    private static let currentBootID: String? = {
        (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }()
}
