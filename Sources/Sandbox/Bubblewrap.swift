import ChildProcess
import Foundation
import Synchronization

/// Whether bubblewrap can confine a command on this machine, found by running it once the way a real
/// run does (user, PID and network namespaces, a fresh /proc) and remembered per executable.
public enum Bubblewrap {
    public enum Availability: Sendable, Equatable {
        case available(path: String)
        /// `reason`: what failed; `fix`: what the user can do about it.
        case unavailable(reason: String, fix: String)
    }

    /// The environment variable that names the bwrap executable (also the fault-injection point in tests).
    public static let pathVariable = "FIXPOINT_BWRAP"

    private static let cache = Mutex<[String: Availability]>([:])
    /// Executables that work only without the options bubblewrap 0.8 added.
    private static let legacyPaths = Mutex<Set<String>>([])

    /// Whether `path` needs the arguments of bubblewrap before 0.8 (known after `probe`).
    static func isLegacy(_ path: String) -> Bool { legacyPaths.withLock { $0.contains(path) } }

    /// `configured`: a path from the settings; else `FIXPOINT_BWRAP`; else `bwrap` on PATH.
    public static func probe(configured: String? = nil, timeout: Double = probeTimeout) async -> Availability {
        let environment = ProcessInfo.processInfo.environment
        guard let path = configured ?? environment[pathVariable] ?? findOnPath("bwrap", path: environment["PATH"]) else {
            return .unavailable(reason: "bwrap (bubblewrap) is not installed",
                                fix: "install it: apt-get install bubblewrap (Debian/Ubuntu), dnf install bubblewrap (Fedora), pacman -S bubblewrap (Arch)")
        }
        if let known = cache.withLock({ $0[path] }) { return known }
        let (result, timedOut) = await run(path, timeout: timeout)
        // A probe that ran out of time says the machine is busy, not that bubblewrap cannot work:
        // remembered, it would leave every later run unconfined (or refused) in this process.
        if !timedOut { cache.withLock { $0[path] = result } }
        return result
    }

    private static func run(_ path: String, timeout: Double) async -> (Availability, timedOut: Bool) {
        let modern = await run(path, legacy: false, timeout: timeout)
        guard case .unavailable(let reason, _) = modern.0, reason.contains("Unknown option") else { return modern }
        let legacy = await run(path, legacy: true, timeout: timeout)
        if case .available = legacy.0 { legacyPaths.withLock { _ = $0.insert(path) } }
        return legacy
    }

    /// Seconds a probe may take: bwrap starts in milliseconds, but a loaded 2-core machine running a
    /// parallel test suite once took over 20.
    public static let probeTimeout: Double = 60

    private static func run(_ path: String, legacy: Bool, timeout: Double) async -> (Availability, timedOut: Bool) {
        let arguments = BubblewrapArguments(workspace: "/", readOnlyInside: [], hidden: [], tmpBytes: 1 << 20, workingDirectory: "/",
                                            legacy: legacy)
        var spec = ProcessSpec(executable: path, arguments: arguments.make(command: ["/bin/sh", "-c", "exit 0"]))
        spec.mergeStderr = true
        spec.timeout = timeout
        spec.environment = ["PATH": "/usr/bin:/bin"]
        let output: ProcessOutput
        do { output = try await ChildProcess.run(spec) } catch {
            return (.unavailable(reason: "\(path) could not be started: \(error)", fix: "check that \(path) is bubblewrap and executable, or unset \(pathVariable)"), false)
        }
        if output.timedOut {
            return (.unavailable(reason: "\(path) did not start a test sandbox within \(String(format: "%g", timeout)) s",
                                 fix: "the machine may be overloaded: try again when it is less busy"), true)
        }
        guard output.status != .exited(0) else { return (.available(path: path), false) }
        let said = output.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        return (.unavailable(reason: "\(path) cannot create a sandbox here (\(output.status)\(said.isEmpty ? "" : ": " + said))", fix: namespaceFix), false)
    }

    static let namespaceFix = """
        allow unprivileged user namespaces: sysctl -w kernel.unprivileged_userns_clone=1 (Debian), \
        sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap (Ubuntu 23.10+), \
        sysctl -w user.max_user_namespaces=15000 if it is 0; in a container, run it with --security-opt seccomp=unconfined \
        --security-opt apparmor=unconfined (or --privileged)
        """

    static func findOnPath(_ name: String, path: String?) -> String? {
        for dir in (path ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
