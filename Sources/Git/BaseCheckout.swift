import CGit2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a fork's working files and index for the base commit without hashing or inflating what it
/// does not have to. A base file whose copy in the parent snapshot is provably untouched — same blob
/// in the parent's index, and the file's size, times, inode and change time exactly as that index
/// entry recorded them (the kernel sets the change time on every write, and nothing can set it back)
/// — is cloned from that copy (`FileCloner`: a reflink where the file system has them). Every other
/// file (the agent edited it in the parent, or the parent's index is gone) is written from its blob.
/// The index gets each file's stat data as written, so the first diff hashes nothing.
struct BaseCheckout {
    let fork: Repository
    let forkDirectory: String
    let baseCommit: String
    /// The snapshot whose working files may be cloned.
    let parentDirectory: String
    let parentGitDirectory: String

    func run() throws(GitError) -> CopyCounts {
        var parentIndex: OpaquePointer?
        // A standalone read of the parent's index file: no lock on the parent's repository is held,
        // and nothing is written to it. If it cannot be read, every file comes from its blob.
        if git_index_open(&parentIndex, parentGitDirectory + "/index") != 0 { parentIndex = nil }
        defer { git_index_free(parentIndex) }
        let commit = baseCommit
        let parentDirectory = self.parentDirectory, forkDirectory = self.forkDirectory
        return try fork.withHandle { (repo) throws(GitError) -> CopyCounts in
            let tree = try BaseTree(repo, commit: commit)
            var index: OpaquePointer?
            try GitError.check(git_repository_index(&index, repo), "open fork index")
            defer { git_index_free(index) }
            try GitError.check(git_index_read_tree(index, tree.pointer), "read the base into the fork index")
            var writer = ForkFileWriter(repo: repo, parentIndex: parentIndex, parentDirectory: parentDirectory,
                                        forkDirectory: forkDirectory)
            for position in 0..<git_index_entrycount(index) {
                guard var entry = git_index_get_byindex(index, position)?.pointee else { continue }
                let path = String(cString: entry.path)
                guard let written = try writer.place(path: path, mode: entry.mode, id: entry.id) else { continue }
                entry.ctime = git_index_time(seconds: Int32(truncatingIfNeeded: written.st_ctim.tv_sec), nanoseconds: UInt32(written.st_ctim.tv_nsec))
                entry.mtime = git_index_time(seconds: Int32(truncatingIfNeeded: written.st_mtim.tv_sec), nanoseconds: UInt32(written.st_mtim.tv_nsec))
                entry.dev = UInt32(truncatingIfNeeded: written.st_dev)
                entry.ino = UInt32(truncatingIfNeeded: written.st_ino)
                entry.uid = written.st_uid
                entry.gid = written.st_gid
                entry.file_size = UInt32(truncatingIfNeeded: written.st_size)
                // Replaces the entry at the same path (no re-sort); libgit2 copies the path first.
                let code = path.withCString { (cPath) -> Int32 in
                    entry.path = cPath
                    return git_index_add(index, &entry)
                }
                try GitError.check(code, "record \(path) in the fork index")
            }
            try GitError.check(git_index_write(index), "write fork index")
            return writer.cloner.counts
        }
    }
}

/// One fork's file writes: folders made once, the cloner's memory of what the file system supports.
private struct ForkFileWriter {
    let repo: OpaquePointer
    let parentIndex: OpaquePointer?
    let parentDirectory: String
    let forkDirectory: String
    var cloner = FileCloner()
    private var madeDirectories: Set<String> = []
    /// Files written from blobs are dated 2 s back: a file as new as the index is "racily clean"
    /// and libgit2 would hash it again on every diff.
    private let writtenTime: timespec

    init(repo: OpaquePointer, parentIndex: OpaquePointer?, parentDirectory: String, forkDirectory: String) {
        self.repo = repo
        self.parentIndex = parentIndex
        self.parentDirectory = parentDirectory
        self.forkDirectory = forkDirectory
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        writtenTime = timespec(tv_sec: now.tv_sec - 2, tv_nsec: 0)
    }

    /// Writes the base's `path` into the fork; returns its stat data, or nil for entries that are
    /// not files (gitlinks, which a base never has).
    mutating func place(path: String, mode: UInt32, id: git_oid) throws(GitError) -> stat? {
        let target = forkDirectory + "/" + path
        let parent = (target as NSString).deletingLastPathComponent
        if !madeDirectories.contains(parent) {
            try FileSystem.makeDirectories(parent)
            madeDirectories.insert(parent)
        }
        switch mode {
        case 0o120000: return try placeLink(path: path, target: target, id: id)
        case 0o100644, 0o100755: return try placeFile(path: path, target: target, executable: mode == 0o100755, id: id, mode: mode)
        default: return nil
        }
    }

    private mutating func placeFile(path: String, target: String, executable: Bool, id: git_oid, mode: UInt32) throws(GitError) -> stat {
        let destination = try FileSystem.createNew(target, executable: executable)
        defer { close(destination) }
        var times: [timespec]
        if let source = untouchedParentFile(path: path, id: id, mode: mode) {
            defer { close(source.descriptor) }
            try cloner.copy(from: source.descriptor, to: destination, size: Int(source.info.st_size), path: target)
            times = [source.info.st_atim, source.info.st_mtim]  // the user's modification time, as the parent has it
        } else {
            try withBlob(id, path: path) { (bytes) throws(GitError) in try cloner.write(bytes, to: destination, path: target) }
            times = [writtenTime, writtenTime]
        }
        futimens(destination, &times)
        var info = stat()
        guard fstat(destination, &info) == 0 else { throw FileSystem.posixError("stat \(target)") }
        return info
    }

    private mutating func placeLink(path: String, target: String, id: git_oid) throws(GitError) -> stat {
        var linkTarget = ""
        try withBlob(id, path: path) { (bytes) throws(GitError) in linkTarget = String(decoding: bytes, as: UTF8.self) }
        guard symlink(linkTarget, target) == 0 else { throw FileSystem.posixError("create link \(target)") }
        var times = [writtenTime, writtenTime]
        utimensat(AT_FDCWD, target, &times, AT_SYMLINK_NOFOLLOW)
        var info = stat()
        guard lstat(target, &info) == 0 else { throw FileSystem.posixError("stat \(target)") }
        return info
    }

    /// The parent's copy of `path`, opened, when it provably still holds blob `id`.
    private func untouchedParentFile(path: String, id: git_oid, mode: UInt32) -> (descriptor: Int32, info: stat)? {
        guard let parentIndex, let recorded = git_index_get_bypath(parentIndex, path, 0)?.pointee else { return nil }
        var expected = id, have = recorded.id
        guard recorded.mode == mode, git_oid_equal(&expected, &have) != 0 else { return nil }
        let source = open(parentDirectory + "/" + path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard source >= 0 else { return nil }
        var info = stat()
        guard fstat(source, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
              UInt32(truncatingIfNeeded: info.st_size) == recorded.file_size, Int64(info.st_size) < Int64(UInt32.max),
              UInt32(truncatingIfNeeded: info.st_ino) == recorded.ino,
              Int32(truncatingIfNeeded: info.st_mtim.tv_sec) == recorded.mtime.seconds, UInt32(info.st_mtim.tv_nsec) == recorded.mtime.nanoseconds,
              Int32(truncatingIfNeeded: info.st_ctim.tv_sec) == recorded.ctime.seconds, UInt32(info.st_ctim.tv_nsec) == recorded.ctime.nanoseconds
        else { close(source); return nil }
        return (source, info)
    }

    private func withBlob(_ id: git_oid, path: String, _ body: (UnsafeRawBufferPointer) throws(GitError) -> Void) throws(GitError) {
        var oid = id
        var blob: OpaquePointer?
        try GitError.check(git_blob_lookup(&blob, repo, &oid), "read the base's \(path)")
        defer { git_blob_free(blob) }
        try body(UnsafeRawBufferPointer(start: git_blob_rawcontent(blob), count: Int(git_blob_rawsize(blob))))
    }
}
