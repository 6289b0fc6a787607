import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// What is at a path, without following a final symbolic link.
enum FileNode: Equatable {
    case missing
    case file(executable: Bool)
    case symlink(target: String)
    case directory
    case other
}

/// Small POSIX helpers: the snapshot code copies thousands of files, so it avoids Foundation's
/// per-file overhead where that matters, and reports failures as `GitError`s naming the path.
enum FileSystem {
    static func node(at path: String) -> FileNode {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file(executable: info.st_mode & 0o100 != 0)
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink(target: (try? readLink(path)) ?? "")
        default: return .other
        }
    }

    static func readLink(_ path: String) throws(GitError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length >= 0 else { throw posixError("read link \(path)") }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func read(_ path: String) throws(GitError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw posixError("open \(path)") }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc_read(fd, $0.baseAddress, $0.count) }
            if count < 0 { if errno == EINTR { continue }; throw posixError("read \(path)") }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }

    /// The first `count` bytes of a file (fewer if it is shorter); nil when it cannot be read.
    static func readPrefix(_ path: String, count: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: count)
        let got = buffer.withUnsafeMutableBytes { Glibc_read(fd, $0.baseAddress, $0.count) }
        return got < 0 ? nil : Array(buffer[0..<got])
    }

    /// Writes `bytes` to `path` through a temporary file and a rename, so a reader never sees half a file.
    static func writeAtomically(_ bytes: [UInt8], to path: String, executable: Bool) throws(GitError) {
        try makeDirectories((path as NSString).deletingLastPathComponent)
        let temporary = path + ".fixpoint-\(UUID().uuidString.prefix(8))"
        try write(bytes, to: temporary, executable: executable)
        guard rename(temporary, path) == 0 else {
            let error = posixError("replace \(path)")
            unlink(temporary)
            throw error
        }
    }

    static func write(_ bytes: [UInt8], to path: String, executable: Bool) throws(GitError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, executable ? 0o755 : 0o644)
        guard fd >= 0 else { throw posixError("create \(path)") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc_write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 { if errno == EINTR { continue }; throw posixError("write \(path)") }
            offset += count
        }
        // The umask may have stripped bits; make the executable bit exactly what was asked.
        fchmod(fd, executable ? 0o755 : 0o644)
    }

    /// Copies a regular file or a symbolic link (as a link), keeping the executable bit and the
    /// modification time. Keeping the time matters: an index entry whose file is as new as the index
    /// itself is "racily clean" and libgit2 re-hashes it on every diff.
    static func copy(_ source: String, to destination: String) throws(GitError) {
        var info = stat()
        guard lstat(source, &info) == 0 else { return }
        switch node(at: source) {
        case .file(let executable):
            try write(read(source), to: destination, executable: executable)
        case .symlink(let target):
            guard symlink(target, destination) == 0 else { throw posixError("create link \(destination)") }
        default:
            return
        }
        var times = [info.st_atim, info.st_mtim]
        utimensat(AT_FDCWD, destination, &times, AT_SYMLINK_NOFOLLOW)
    }

    /// Sets the modification time of every file under `root` (not `.git`) `seconds` into the past.
    static func backdateFiles(under root: String, by seconds: Int) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var times = [timespec(tv_sec: now.tv_sec - seconds, tv_nsec: 0), timespec(tv_sec: now.tv_sec - seconds, tv_nsec: 0)]
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return }
        while let relative = enumerator.nextObject() as? String {
            if relative == ".git" { enumerator.skipDescendants(); continue }
            utimensat(AT_FDCWD, root + "/" + relative, &times, AT_SYMLINK_NOFOLLOW)
        }
    }

    static func makeDirectories(_ path: String) throws(GitError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw GitError.fixpoint("create directory \(path)", "\(error)")
        }
    }

    /// Removes `path` and everything under it; a missing path is not an error.
    static func removeTree(_ path: String) {
        guard node(at: path) != .missing else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Hard-links every file under `source` into the same place under `destination`
    /// (copying where links are impossible, e.g. across file systems).
    static func linkTree(_ source: String, to destination: String) throws(GitError) {
        try makeDirectories(destination)
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: source) } catch {
            throw GitError.fixpoint("list \(source)", "\(error)")
        }
        for name in names {
            let from = source + "/" + name, to = destination + "/" + name
            switch node(at: from) {
            case .directory: try linkTree(from, to: to)
            case .file: if link(from, to) != 0 { try copy(from, to: to) }
            default: break
            }
        }
    }

    static func modificationTime(_ path: String) -> Double? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
    }

    static func posixError(_ operation: String) -> GitError {
        let code = errno
        return GitError(operation: operation, code: 0, klass: 2 /* GIT_ERROR_OS */, message: String(cString: strerror(code)))
    }
}

// Unambiguous names for the libc calls that Foundation also declares.
private func Glibc_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
