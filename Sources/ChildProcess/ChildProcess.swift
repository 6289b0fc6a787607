import CSpawn
import Foundation
import Locking
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs child processes without deadlocks or orphans: each child gets its own process group (so a
/// timeout or cancellation kills everything it started) and a parent-death signal (so it dies if we
/// do). stdout and stderr are drained together by one poll loop on a dedicated thread, never on
/// Swift's cooperative pool. The child is forked from that same thread, which lives exactly as long as
/// the child: PR_SET_PDEATHSIG fires when the *thread* that forked exits.
public enum ChildProcess {
    /// Runs to completion. Cancelling the calling task kills the process group (SIGTERM, then SIGKILL
    /// after `killGrace` seconds) and returns with `cancelled == true`.
    public static func run(_ spec: ProcessSpec, killGrace: Double = 2) async throws(ChildProcessError) -> ProcessOutput {
        let control = RunControl()
        let result: Result<ProcessOutput, ChildProcessError> = await withTaskCancellationHandler {
            await handOff { deliver in
                let thread = Thread {
                    deliver(Monitor.runBlocking(spec, control: control, killGrace: killGrace))
                }
                thread.name = "fixpoint.child:\(spec.executable)"
                thread.start()
            }
        } onCancel: {
            control.cancel()
        }
        return try result.get()
    }

    /// Convenience: `/bin/sh -c command` in `directory`, stderr merged into stdout.
    public static func shell(_ command: String, in directory: String? = nil, timeout: Double? = nil) async throws(ChildProcessError) -> ProcessOutput {
        var spec = ProcessSpec.shell(command, workingDirectory: directory)
        spec.timeout = timeout
        return try await run(spec)
    }
}

/// Shared between the caller and the monitor thread.
final class RunControl: Sendable {
    private let cancelled = Atomic<Bool>(false)
    func cancel() { cancelled.store(true, ordering: .relaxed) }
    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
}

enum Monitor {
    static func makePipe() throws(ChildProcessError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard fp_pipe_cloexec(&fds) == 0 else { throw .pipeFailed(String(cString: strerror(errno))) }
        return (fds[0], fds[1])
    }

    /// Forks the child from the calling thread. Returns pid.
    static func spawn(_ spec: ProcessSpec, stdin: Int32, stdout: Int32, stderr: Int32) throws(ChildProcessError) -> pid_t {
        let argv = [spec.executable] + spec.arguments
        let env = spec.environment.map { $0.map { "\($0.key)=\($0.value)" }.sorted() }
        let kinds = spec.resourceLimits.map { $0.kind.rawValue }
        let values = spec.resourceLimits.map { CUnsignedLongLong($0.value) }
        let pid = withCStringArray(argv) { argvPtr in
            withOptionalCStringArray(env) { envPtr in
                fp_spawn_confined(spec.executable, argvPtr, envPtr, spec.workingDirectory, stdin, stdout, stderr, 1, SIGKILL,
                                  kinds, values, Int32(kinds.count), spec.cgroupProcsFile)
            }
        }
        guard pid > 0 else {
            var reason = String(cString: strerror(errno))
            if errno == ENOENT, let dir = spec.workingDirectory, !FileManager.default.fileExists(atPath: dir) {
                reason = "working directory \(dir) does not exist"
            }
            throw .launchFailed(executable: spec.executable, reason: reason)
        }
        return pid
    }

    static func runBlocking(_ spec: ProcessSpec, control: RunControl, killGrace: Double) -> Result<ProcessOutput, ChildProcessError> {
        let start = Date()
        let outPipe: (read: Int32, write: Int32), errPipe: (read: Int32, write: Int32)?, inPipe: (read: Int32, write: Int32)
        do {
            outPipe = try makePipe()
            errPipe = spec.mergeStderr ? nil : try makePipe()
            inPipe = try makePipe()
        } catch { return .failure(error) }

        let pid: pid_t
        do {
            pid = try spawn(spec, stdin: inPipe.read, stdout: outPipe.write, stderr: errPipe?.write ?? outPipe.write)
        } catch {
            [outPipe.read, outPipe.write, inPipe.read, inPipe.write].forEach { close($0) }
            if let e = errPipe { close(e.read); close(e.write) }
            return .failure(error)
        }
        close(outPipe.write)
        if let e = errPipe { close(e.write) }
        close(inPipe.read)
        writeAll(inPipe.write, spec.stdin ?? [])
        close(inPipe.write)

        var out = BoundedBuffer(limit: spec.outputLimit)
        var err = BoundedBuffer(limit: spec.outputLimit)
        var openFDs: [Int32] = [outPipe.read] + (errPipe.map { [$0.read] } ?? [])
        let deadline = spec.timeout.map { start.addingTimeInterval($0) }
        var timedOut = false, cancelled = false
        var killSentAt: Date?
        var status: ExitStatus?
        var exitedAt: Date?
        var chunk = [UInt8](repeating: 0, count: 65536)

        while true {
            // Decide whether to kill.
            if killSentAt == nil, status == nil {
                if control.isCancelled { cancelled = true }
                if let deadline, Date() >= deadline { timedOut = true }
                if cancelled || timedOut {
                    fp_kill_group(pid, SIGTERM)
                    killSentAt = Date()
                }
            } else if let sent = killSentAt, Date().timeIntervalSince(sent) > killGrace {
                fp_kill_group(pid, SIGKILL)
            }
            // Reap the child without blocking.
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid {
                    status = decode(raw)
                    exitedAt = Date()
                }
            }
            if openFDs.isEmpty {
                if status != nil { break }
                var raw: Int32 = 0
                if waitpid(pid, &raw, 0) == pid { status = decode(raw) }
                break
            }
            // Grandchildren may hold our pipes open after the child exits: give them a moment, then
            // kill the group and stop reading.
            if let exitedAt, Date().timeIntervalSince(exitedAt) > 0.5 {
                fp_kill_group(pid, SIGKILL)
                openFDs.forEach { close($0) }
                openFDs.removeAll()
                break
            }
            var pfds = openFDs.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&pfds, nfds_t(pfds.count), 50)
            if ready <= 0 { continue }
            for p in pfds where p.revents != 0 {
                let n = chunk.withUnsafeMutableBytes { read(p.fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    chunk.withUnsafeBytes { raw in
                        let slice = UnsafeRawBufferPointer(rebasing: raw[0..<n])
                        if p.fd == outPipe.read { out.append(slice) } else { err.append(slice) }
                    }
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(p.fd)
                    openFDs.removeAll { $0 == p.fd }
                }
            }
        }
        // Whatever the child left running in its group goes too.
        fp_kill_group(pid, SIGKILL)
        return .success(ProcessOutput(
            status: status ?? .signaled(SIGKILL), stdout: out.bytes, stderr: err.bytes, timedOut: timedOut,
            cancelled: cancelled, durationS: Date().timeIntervalSince(start), droppedBytes: out.dropped + err.dropped))
    }

    static func decode(_ raw: Int32) -> ExitStatus {
        let sig = raw & 0x7f
        if sig == 0 { return .exited((raw >> 8) & 0xff) }
        return .signaled(sig)
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue } else { return } }
            offset += n
        }
    }
}

func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let cStrings = strings.map { strdup($0) }
    defer { cStrings.forEach { free($0) } }
    return (cStrings + [nil]).withUnsafeBufferPointer { body($0.baseAddress!) }
}

func withOptionalCStringArray<R>(_ strings: [String]?, _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> R) -> R {
    guard let strings else { return body(nil) }
    return withCStringArray(strings) { body($0) }
}
