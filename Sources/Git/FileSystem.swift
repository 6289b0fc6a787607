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
        return try read(descriptor: fd, path: path)
    }

    /// Everything left to read from an open file.
    static func read(descriptor fd: Int32, path: String) throws(GitError) -> [UInt8] {
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
        try writeAll(bytes, to: fd, path: path)
        // The umask may have stripped bits; make the executable bit exactly what was asked.
        fchmod(fd, executable ? 0o755 : 0o644)
    }

    static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(GitError) {
        let failure = bytes.withUnsafeBytes { (buffer) -> GitError? in
            do throws(GitError) { try writeAll(buffer, to: fd, path: path); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    /// Writes all of `bytes` to an open file at its current offset.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) throws(GitError) {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc_write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 { if errno == EINTR { continue }; throw posixError("write \(path)") }
            offset += count
        }
    }

    /// Creates a new file (never through a final symbolic link, never over an existing file) with
    /// exactly the executable bit asked for; the caller closes it.
    static func createNew(_ path: String, executable: Bool) throws(GitError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, executable ? 0o755 : 0o644)
        guard fd >= 0 else { throw posixError("create \(path)") }
        fchmod(fd, executable ? 0o755 : 0o644)
        return fd
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
