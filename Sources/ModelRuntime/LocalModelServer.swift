import ChildProcess
import Config
import Foundation
import ModelClient

#if canImport(Glibc)
import Glibc
#endif

/// The embedded model runtime: finds `llama-server` and a GGUF model, starts it on a free loopback port
/// with `--jinja`, waits for `/health`, and stops it. The child runs in its own process group with a
/// parent-death signal, so it never outlives Fixpoint.
public final class LocalModelServer: Sendable {
    public struct Options: Sendable {
        /// Explicit paths win over the environment (`FIXPOINT_LLAMA_SERVER`, `FIXPOINT_MODEL`), which wins over the cache.
        public var binaryPath: String?
        public var modelPath: String?
        public var contextSize = Defaults.contextSize
        public var slots = 1
        /// nil picks a free port.
        public var port: Int?
        public var threads: Int?
        public var healthTimeout: Double = 120
        /// Check the model's sha256 against the catalogue when setup's verification stamp is missing or stale.
        public var verifyChecksum = true
        public var extraArguments: [String] = []
        public init() {}
    }

    public let baseURL: String
    public let port: Int
    public let modelPath: String
    public let binaryPath: String
    public let contextSize: Int
    public let slots: Int
    public let process: RunningProcess

    private init(baseURL: String, port: Int, modelPath: String, binaryPath: String, contextSize: Int, slots: Int, process: RunningProcess) {
        self.baseURL = baseURL; self.port = port; self.modelPath = modelPath; self.binaryPath = binaryPath
        self.contextSize = contextSize; self.slots = slots; self.process = process
    }

    /// Starts the server and returns once `/health` answers 200.
    public static func start(_ options: Options = Options()) async throws(LocalModelError) -> LocalModelServer {
        let binary = try locateBinary(explicit: options.binaryPath)
        let model = try locateModel(explicit: options.modelPath)
        if options.verifyChecksum { try await ModelVerifier.verify(modelPath: model) }
        let port: Int
        if let requested = options.port {
            guard PortFinder.isFree(requested) else { throw .portInUse(requested) }
            port = requested
        } else {
            guard let free = PortFinder.freePort() else { throw .launchFailed("no free loopback port") }
            port = free
        }
        try? FileManager.default.createDirectory(atPath: FixpointPaths.logs, withIntermediateDirectories: true)
        let log = FixpointPaths.logs + "/llama-server-\(port).log"
        try? FileManager.default.removeItem(atPath: log)

        // `-b 512`: llama-server takes up a request's cancellation between batches, and a 2048-token
        // batch of prompt takes ~30 s on 2 cores, so an abandoned request (a run's time limit, a
        // cancelled edit) kept the next waiting that long; 512 (the micro-batch it already uses)
        // makes it ~3 s at the same prompt speed (docs/performance.md, "Cancelling a request").
        var args = ["-m", model, "--host", "127.0.0.1", "--port", String(port), "--jinja",
                    "-c", String(options.contextSize * options.slots), "-np", String(options.slots), "-b", "512", "--no-webui"]
        if let threads = options.threads { args += ["-t", String(threads)] }
        args += options.extraArguments
        var spec = ProcessSpec(executable: binary, arguments: args)
        // The binary finds its shared libraries (if any) next to itself.
        var env = ProcessInfo.processInfo.environment
        let dir = (binary as NSString).deletingLastPathComponent
        env["LD_LIBRARY_PATH"] = [dir, env["LD_LIBRARY_PATH"]].compactMap { $0 }.joined(separator: ":")
        spec.environment = env

        let process: RunningProcess
        do { process = try await ChildProcess.launch(spec, logPath: log) } catch {
            throw .launchFailed(error.description)
        }
        let server = LocalModelServer(baseURL: "http://127.0.0.1:\(port)", port: port, modelPath: model,
                                      binaryPath: binary, contextSize: options.contextSize, slots: options.slots, process: process)
        try await server.waitUntilHealthy(timeout: options.healthTimeout)
        return server
    }

    func waitUntilHealthy(timeout: Double) async throws(LocalModelError) {
        let deadline = Date().addingTimeInterval(timeout)
        let health = HealthCheck(url: baseURL + "/health", timeout: 2)
        while Date() < deadline {
            if let status = process.exitStatus { throw .exitedEarly(status: status.description, logTail: logTail()) }
            if await health.status() == 200 { return }
            if Task.isCancelled { break }
            try? await Task.sleep(for: .milliseconds(250))
        }
        await process.terminate(grace: 2)
        if Task.isCancelled { throw .cancelled }
        throw .neverHealthy(seconds: timeout, logTail: logTail())
    }

    /// Stops the server (SIGTERM, then SIGKILL) and waits until it is gone. The grace is short on
    /// purpose: llama-server keeps nothing worth a clean exit (no slot files unless asked), and
    /// mid-generation on a busy CPU it can take seconds to notice SIGTERM; an editor that closed
    /// the language server expects it gone within 2 s.
    public func stop() async { await process.terminate(grace: 0.5) }

    public func logTail(lines: Int = 15) -> String {
        let text = (try? String(contentsOfFile: process.logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    // MARK: - Locating what to run

    public static func binaryCandidates(explicit: String?) -> [String] {
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        if let env = ProcessInfo.processInfo.environment["FIXPOINT_LLAMA_SERVER"], !env.isEmpty { candidates.append(env) }
        candidates.append(FixpointPaths.cachedLlamaServer)
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            candidates.append("\(dir)/llama-server")
        }
        return candidates
    }

    public static func locateBinary(explicit: String? = nil) throws(LocalModelError) -> String {
        let candidates = binaryCandidates(explicit: explicit)
        // An explicit path is the only candidate when given: silently falling back would surprise.
        let considered = explicit != nil ? [candidates[0]] : candidates
        if let found = considered.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        throw .binaryNotFound(searched: explicit != nil ? considered : Array(candidates.prefix(3)) + ["$PATH"])
    }

    public static func modelCandidates(explicit: String?) -> [String] {
        var candidates: [String] = []
        if let explicit { candidates.append(ModelCatalog.spec(forKey: explicit)?.cachedPath ?? explicit) }
        if let env = ProcessInfo.processInfo.environment["FIXPOINT_MODEL"], !env.isEmpty {
            candidates.append(ModelCatalog.spec(forKey: env)?.cachedPath ?? env)
        }
        candidates.append(ModelCatalog.defaultModel.cachedPath)
        return candidates
    }

    /// `explicit` may be a path or a catalogue key (`default`, `small`).
    public static func locateModel(explicit: String? = nil) throws(LocalModelError) -> String {
        let candidates = modelCandidates(explicit: explicit)
        let considered = explicit != nil ? [candidates[0]] : candidates
        if let found = considered.first(where: { FileManager.default.fileExists(atPath: $0) }) { return found }
        throw .modelNotFound(searched: considered)
    }
}

/// Loopback port helpers.
public enum PortFinder {
    /// Binds port 0 on 127.0.0.1 and returns what the kernel picked.
    public static func freePort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard bind(fd, 0) == 0 else { return nil }
        var addr = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return ok == 0 ? Int(UInt16(bigEndian: addr.sin_port)) : nil
    }

    public static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return bind(fd, port) == 0
    }

    static func bind(_ fd: Int32, _ port: Int) -> Int32 {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}
