import CSpawn
import Foundation
import Locking

#if canImport(Glibc)
import Glibc
#endif

/// A long-lived child (a model server): started in its own process group with a parent-death signal,
/// its output appended to a log file, reaped by a thread that lives as long as it does.
public final class RunningProcess: Sendable {
    public let pid: Int32
    public let logPath: String
    private let state = Locked<State>(State())

    private struct State {
        var status: ExitStatus?
        var waiters: [CheckedContinuation<ExitStatus, Never>] = []
    }

    init(pid: Int32, logPath: String) {
        self.pid = pid
        self.logPath = logPath
    }

    /// nil while running.
    public var exitStatus: ExitStatus? { state.withLock { $0.status } }

    public func waitForExit() async -> ExitStatus {
        await withCheckedContinuation { continuation in
            let done: ExitStatus? = state.withLock { s in
                if let status = s.status { return status }
                s.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// SIGTERM to the whole group, then SIGKILL after `grace` seconds. Returns once reaped.
    @discardableResult
    public func terminate(grace: Double = 5) async -> ExitStatus {
        if let status = exitStatus { return status }
        fp_kill_group(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while exitStatus == nil, Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if exitStatus == nil { fp_kill_group(pid, SIGKILL) }
        return await waitForExit()
    }

    fileprivate func finish(_ status: ExitStatus) {
        let waiters = state.withLock { s in
            s.status = status
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        waiters.forEach { $0.resume(returning: status) }
        fp_kill_group(pid, SIGKILL)  // anything it left behind in its group
    }
}

extension ChildProcess {
    /// Starts `spec` in the background with stdout and stderr appended to `logPath`.
    public static func launch(_ spec: ProcessSpec, logPath: String) async throws(ChildProcessError) -> RunningProcess {
        let result: Result<RunningProcess, ChildProcessError> = await handOff { deliver in
            let thread = Thread {
                let logFD = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
                guard logFD >= 0 else {
                    deliver(.failure(.launchFailed(
                        executable: spec.executable, reason: "cannot open log \(logPath): \(String(cString: strerror(errno)))")))
                    return
                }
                let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
                let pid: pid_t
                do throws(ChildProcessError) {
                    pid = try Monitor.spawn(spec, stdin: devNull, stdout: logFD, stderr: logFD)
                } catch {
                    close(logFD); close(devNull)
                    deliver(.failure(error))
                    return
                }
                close(logFD); close(devNull)
                let process = RunningProcess(pid: pid, logPath: logPath)
                deliver(.success(process))
                // This thread must outlive the child: its exit would fire the child's death signal.
                var raw: Int32 = 0
                while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
                process.finish(Monitor.decode(raw))
            }
            thread.name = "fixpoint.launch:\(spec.executable)"
            thread.start()
        }
        return try result.get()
    }
}
