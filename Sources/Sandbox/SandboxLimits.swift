import ChildProcess

/// Resource limits for every sandboxed command. CPU time, memory and file size are setrlimit limits of
/// each process; `processes` caps the whole tree (a pids cgroup where one can be made, else
/// RLIMIT_NPROC, which the kernel does not enforce for root).
public struct SandboxLimits: Sendable, Equatable {
    /// CPU seconds per process (SIGXCPU, then SIGKILL).
    public var cpuSeconds: UInt64 = 900
    /// Address space per process, in bytes.
    public var memoryBytes: UInt64 = 8 << 30
    /// Largest file a process may write, in bytes (SIGXFSZ beyond).
    public var fileSizeBytes: UInt64 = 1 << 30
    /// Processes (and threads) the command's whole tree may hold at once.
    public var processes: UInt64 = 1024
    /// Output kept in memory per stream; the middle beyond it is dropped, head and tail kept.
    public var outputBytes: Int = 8 << 20
    /// Size of the private /tmp (a tmpfs in memory) inside the sandbox.
    public var tmpBytes: UInt64 = 1 << 30

    public init() {}

    /// The setrlimit limits for a child. `processBase`: add RLIMIT_NPROC at `processes` above it (the
    /// user's tasks already running), when no cgroup caps the tree; nil for none.
    func resourceLimits(processBase: Int?) -> [ResourceLimit] {
        var limits = [
            ResourceLimit(.cpuSeconds, cpuSeconds),
            ResourceLimit(.addressSpaceBytes, memoryBytes),
            ResourceLimit(.fileSizeBytes, fileSizeBytes),
            ResourceLimit(.coreFileBytes, 0),
        ]
        if let processBase { limits.append(ResourceLimit(.processes, processes + UInt64(max(0, processBase)))) }
        return limits
    }

    /// Checks values a user set; zero would make every command fail in a confusing way.
    public func validated() throws(SandboxConfigurationError) -> SandboxLimits {
        for (name, value) in [("cpu_seconds", cpuSeconds), ("memory_mb", memoryBytes), ("file_size_mb", fileSizeBytes),
                              ("processes", processes), ("tmp_mb", tmpBytes)] where value == 0 {
            throw .badLimit(name: name, reason: "must be greater than 0")
        }
        if outputBytes < 1024 { throw .badLimit(name: "output_kb", reason: "must be at least 1") }
        return self
    }
}
