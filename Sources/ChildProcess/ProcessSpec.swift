/// What to run. `executable` without a slash is looked up on PATH.
public struct ProcessSpec: Sendable {
    public var executable: String
    public var arguments: [String]
    /// nil inherits this process's environment.
    public var environment: [String: String]?
    public var workingDirectory: String?
    /// Send stderr into the same pipe as stdout, so output keeps its order (what a terminal shows).
    public var mergeStderr = false
    /// Seconds before the whole process group is killed; nil for none.
    public var timeout: Double?
    public var stdin: [UInt8]?
    /// Bytes of each stream kept in memory; beyond it the middle is dropped (head and tail kept).
    public var outputLimit = 8 << 20
    /// Set in the child before exec (soft = hard) and inherited by everything it starts.
    public var resourceLimits: [ResourceLimit] = []
    /// A cgroup's `cgroup.procs` file the child joins before exec, so a limit there (pids.max) counts
    /// its whole tree. A failure to join fails the launch.
    public var cgroupProcsFile: String?

    public init(executable: String, arguments: [String] = [], workingDirectory: String? = nil) {
        self.executable = executable
        self.arguments = arguments
        self.workingDirectory = workingDirectory
    }

    /// `/bin/sh -c command`: for test commands and user-written command lines.
    public static func shell(_ command: String, workingDirectory: String? = nil) -> ProcessSpec {
        var spec = ProcessSpec(executable: "/bin/sh", arguments: ["-c", command], workingDirectory: workingDirectory)
        spec.mergeStderr = true
        return spec
    }
}

/// One setrlimit(2) limit for a child.
public struct ResourceLimit: Sendable, Equatable {
    public enum Kind: Int32, Sendable {
        case cpuSeconds = 0, addressSpaceBytes = 1, fileSizeBytes = 2, processes = 3, coreFileBytes = 4
    }
    public var kind: Kind
    public var value: UInt64

    public init(_ kind: Kind, _ value: UInt64) {
        self.kind = kind
        self.value = value
    }
}

public enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// Shell convention: a signal becomes 128 + its number.
    public var code: Int32 {
        switch self {
        case .exited(let c): return c
        case .signaled(let s): return 128 + s
        }
    }

    public var description: String {
        switch self {
        case .exited(let c): return "exit \(c)"
        case .signaled(let s): return "killed by signal \(s)"
        }
    }
}

public struct ProcessOutput: Sendable {
    public var status: ExitStatus
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    public var timedOut: Bool
    public var cancelled: Bool
    public var durationS: Double
    /// Bytes dropped from the middle of stdout/stderr because of `outputLimit`.
    public var droppedBytes: Int

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

public enum ChildProcessError: Error, CustomStringConvertible, Equatable {
    case launchFailed(executable: String, reason: String)
    case pipeFailed(String)

    public var description: String {
        switch self {
        case .launchFailed(let exe, let reason): return "could not start '\(exe)': \(reason)"
        case .pipeFailed(let reason): return "could not create a pipe: \(reason)"
        }
    }
}
