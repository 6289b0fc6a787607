import ChildProcess
import Foundation

/// What a confined command did. `output` is redacted and carries notes on limits that stopped it.
public struct SandboxedRun: Sendable {
    /// How the process count was capped: a pids cgroup over the tree, RLIMIT_NPROC, or not at all (root
    /// without a writable cgroup).
    public enum ProcessLimit: String, Sendable { case cgroup, rlimit, none }

    public var status: ExitStatus
    public var output: String
    public var timedOut: Bool
    public var cancelled: Bool
    public var durationS: Double
    public var droppedBytes: Int
    public var confinement: Confinement
    public var processLimit: ProcessLimit

    public var exitCode: Int32 { status.code }

    init(output out: ProcessOutput, confinement: Confinement, limits: SandboxLimits, processLimit: ProcessLimit) {
        status = out.status
        timedOut = out.timedOut
        cancelled = out.cancelled
        durationS = out.durationS
        droppedBytes = out.droppedBytes
        self.confinement = confinement
        self.processLimit = processLimit
        var text = out.stdoutText
        if confinement != .unconfined, let signal = Self.signal(out.status), !out.timedOut, !out.cancelled {
            if signal == SIGXCPU { text += "\n[Fixpoint: stopped at the CPU time limit of \(limits.cpuSeconds)s]" }
            if signal == SIGXFSZ { text += "\n[Fixpoint: stopped at the file size limit of \(limits.fileSizeBytes >> 20) MiB]" }
        }
        if out.droppedBytes > 0 { text += "\n[Fixpoint: output over \(limits.outputBytes >> 10) KiB per stream; the middle was left out]" }
        output = Redaction.redact(text)
    }

    /// The signal that ended the command: directly, or as the shell's (and bwrap's) exit code 128 + signal.
    static func signal(_ status: ExitStatus) -> Int32? {
        switch status {
        case .signaled(let signal): return signal
        case .exited(let code) where code > 128 && code < 160: return code - 128
        default: return nil
        }
    }

    init(launchError: String, confinement: Confinement) {
        status = .exited(127)
        output = "could not run the command: \(launchError)"
        timedOut = false
        cancelled = false
        durationS = 0
        droppedBytes = 0
        self.confinement = confinement
        processLimit = .none
    }
}
