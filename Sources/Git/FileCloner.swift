import CFileClone
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What making a snapshot's working files cost: how many files got their bytes which way. Tests read
/// it to check that a fork writes data only for the files that differ from the base.
public struct CopyCounts: Sendable, Equatable {
    /// Files that share the source's blocks (FICLONE): no data written at all.
    public var reflinked = 0
    /// Files the kernel copied (copy_file_range): data written, but never through Fixpoint's memory.
    public var kernelCopied = 0
    /// Files whose bytes Fixpoint wrote itself: read from an object, or read and written back.
    public var written = 0
    /// Bytes Fixpoint wrote itself (the `written` files).
    public var writtenBytes = 0

    public init() {}

    /// Every file that came from an unchanged copy (a clone, by whichever way the system allows).
    public var cloned: Int { reflinked + kernelCopied }
}

/// Copies a file's bytes the cheapest way the file system allows: a reflink (shared blocks; a later
/// write to either file gets its own blocks, so the copies stay independent) where FICLONE works
/// (btrfs, XFS), else copy_file_range (ext4: the kernel copies), else read and write. It remembers
/// what failed, so a tree of 100,000 files does not retry an unsupported call for every file.
struct FileCloner {
    private var tryReflink = true
    private var tryKernelCopy = true
    private(set) var counts = CopyCounts()

    /// Copies all of `source` (an open file of `size` bytes, at offset 0) into `destination` (empty).
    mutating func copy(from source: Int32, to destination: Int32, size: Int, path: String) throws(GitError) {
        if tryReflink {
            if fixpoint_clone_file(destination, source) == 0 { counts.reflinked += 1; return }
            // Any other error (EIO, ENOSPC...) is real; an unsupported clone just means "copy instead".
            guard [EOPNOTSUPP, EXDEV, EINVAL, ENOTTY, EPERM].contains(errno) else { throw FileSystem.posixError("clone \(path)") }
            tryReflink = false
        }
        if tryKernelCopy, try kernelCopy(from: source, to: destination, size: size, path: path) {
            counts.kernelCopied += 1
            return
        }
        try write(FileSystem.read(descriptor: source, path: path), to: destination, path: path)
    }

    /// Writes bytes Fixpoint holds (a blob, an overlay) into `destination`.
    mutating func write(_ bytes: UnsafeRawBufferPointer, to destination: Int32, path: String) throws(GitError) {
        try FileSystem.writeAll(bytes, to: destination, path: path)
        counts.written += 1
        counts.writtenBytes += bytes.count
    }

    mutating func write(_ bytes: [UInt8], to destination: Int32, path: String) throws(GitError) {
        try FileSystem.writeAll(bytes, to: destination, path: path)
        counts.written += 1
        counts.writtenBytes += bytes.count
    }

    /// False when copy_file_range is unavailable here (old kernel, cross-device on some systems)
    /// before any byte was copied; the caller then copies through memory.
    private mutating func kernelCopy(from source: Int32, to destination: Int32, size: Int, path: String) throws(GitError) -> Bool {
        var copied = 0
        while copied < size {
            let count = fixpoint_copy_file_range(source, destination, size - copied)
            if count < 0 {
                if errno == EINTR { continue }
                if copied == 0, [ENOSYS, EXDEV, EINVAL, EOPNOTSUPP].contains(errno) { tryKernelCopy = false; return false }
                throw FileSystem.posixError("copy \(path)")
            }
            if count == 0 { break }  // the file shrank meanwhile: what is there is what we copy
            copied += count
        }
        return true
    }
}
