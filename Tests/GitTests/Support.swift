import Foundation
import Testing
@testable import Git
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Output of a finished command.
struct CommandOutput {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CommandFailure: Error, CustomStringConvertible {
    case failed([String], CommandOutput)
    case spawn([String], Int32)
    var description: String {
        switch self {
        case .failed(let arguments, let output): "\(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)"
        case .spawn(let arguments, let code): "cannot start \(arguments.joined(separator: " ")): errno \(code)"
        }
    }
}

/// Runs a command in `directory` (fixtures only; the library never spawns git). Output goes to
/// temporary files, so a full pipe can never block the child.
@discardableResult
func run(_ arguments: [String], in directory: String, stdin: String = "", check: Bool = true) throws -> CommandOutput {
    let scratch = NSTemporaryDirectory() + "fixpoint-cmd-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    try stdin.write(toFile: scratch + "/in", atomically: false, encoding: .utf8)
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, scratch + "/in", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, scratch + "/out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, scratch + "/err", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    // `cd` through the shell: posix_spawn has no portable chdir action.
    let argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["GIT_AUTHOR_NAME"] = "Test"; environment["GIT_AUTHOR_EMAIL"] = "test@example.com"
    environment["GIT_COMMITTER_NAME"] = "Test"; environment["GIT_COMMITTER_EMAIL"] = "test@example.com"
    let envp = environment.map { "\($0.key)=\($0.value)" }
    var cArgv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    var cEnvp: [UnsafeMutablePointer<CChar>?] = envp.map { strdup($0) } + [nil]
    defer { cArgv.forEach { free($0) }; cEnvp.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, &cArgv, &cEnvp)
    guard spawned == 0 else { throw CommandFailure.spawn(arguments, spawned) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    let output = CommandOutput(
        status: exit,
        stdout: (try? String(contentsOfFile: scratch + "/out", encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: scratch + "/err", encoding: .utf8)) ?? "")
    if check && exit != 0 { throw CommandFailure.failed(arguments, output) }
    return output
}

/// A temporary folder, deleted when the value goes away.
final class TemporaryDirectory {
    let path: String
    init(_ label: String = "git") throws {
        path = NSTemporaryDirectory() + "fixpoint-\(label)-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A scratch git repository for one test, with its own snapshot root.
final class Fixture {
    let scratch: TemporaryDirectory
    let repo: String
    let snapshots: String

    init(files: [String: String] = [:], commit: Bool = true) throws {
        scratch = try TemporaryDirectory()
        repo = scratch.path + "/repo"
        snapshots = scratch.path + "/snapshots"
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
        for (path, text) in files { try write(path, text) }
        if commit && !files.isEmpty { try git("add", "-A"); try git("commit", "-qm", "initial") }
    }

    @discardableResult
    func git(_ arguments: String..., stdin: String = "", check: Bool = true) throws -> CommandOutput {
        try run(["git"] + arguments, in: repo, stdin: stdin, check: check)
    }

    func write(_ path: String, _ text: String) throws { try writeBytes(path, Array(text.utf8)) }

    func writeBytes(_ path: String, _ bytes: [UInt8], in root: String? = nil) throws {
        let full = (root ?? repo) + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
    }

    func read(_ path: String, in root: String? = nil) -> String? {
        FileManager.default.contents(atPath: (root ?? repo) + "/" + path).map { String(decoding: $0, as: UTF8.self) }
    }

    func snapshot(overlays: [String: String] = [:]) throws -> Snapshot {
        try Snapshot.create(from: repo, overlays: overlays, root: snapshots)
    }
}

/// Everything about a folder tree that "unchanged" must preserve: each entry's path, type, mode,
/// size, modification time and bytes (`.git` included).
func fingerprint(_ root: String) throws -> [String: String] {
    var result: [String: String] = [:]
    let enumerator = FileManager.default.enumerator(atPath: root)
    while let relative = enumerator?.nextObject() as? String {
        let path = root + "/" + relative
        var info = stat()
        guard lstat(path, &info) == 0 else { continue }
        var line = "mode=\(info.st_mode) size=\(info.st_size) mtime=\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        if info.st_mode & S_IFMT == S_IFREG, let data = FileManager.default.contents(atPath: path) {
            line += " content=\(data.base64EncodedString())"
        }
        result[relative] = line
    }
    return result
}

/// The files of a working tree (not `.git`) as path → bytes + executable bit, for tree equality.
func workingFiles(_ root: String) -> [String: String] {
    var result: [String: String] = [:]
    let enumerator = FileManager.default.enumerator(atPath: root)
    while let relative = enumerator?.nextObject() as? String {
        if relative == ".git" || relative.hasPrefix(".git/") { enumerator?.skipDescendants(); continue }
        let path = root + "/" + relative
        switch FileSystem.node(at: path) {
        case .file(let executable):
            result[relative] = (executable ? "x:" : "-:") + (FileManager.default.contents(atPath: path)?.base64EncodedString() ?? "?")
        case .symlink(let target): result[relative] = "l:" + target
        default: break
        }
    }
    return result
}
