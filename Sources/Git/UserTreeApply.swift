import Foundation
import CGit2
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Why a result was not written into the user's working tree. In every case nothing was written.
public enum UserApplyError: Error, CustomStringConvertible, Sendable, Equatable {
    /// These files (repository-relative) differ from what they were when the snapshot was taken.
    case filesChangedSinceSnapshot([String])
    /// The patch does not apply to the snapshot's base.
    case patch(PatchError)
    case git(GitError)

    public var description: String {
        switch self {
        case .filesChangedSinceSnapshot(let files):
            "not applied (nothing was written): these files changed since the run started: "
                + files.joined(separator: ", ") + ". Save or commit your work and run again, or apply the patch by hand."
        case .patch(let error): error.description
        case .git(let error): error.description
        }
    }
}

/// Writes a finished run's `patch` (relative to `snapshot`'s base) into the user's working tree, but
/// only if every file it touches is unchanged since the snapshot was taken; otherwise throws
/// `.filesChangedSinceSnapshot` listing them and writes nothing. Only the touched files are written
/// (each through a temporary file and a rename); the index, refs and everything else are left alone.
/// Returns the touched paths, sorted.
public func applyToUserRepository(patch: String, snapshot: Snapshot) throws(UserApplyError) -> [String] {
    try snapshot.writeResult(patch: patch.hasSuffix("\n") ? patch : patch + "\n")
}

extension Snapshot {
    private struct Change: Sendable {
        var path: String
        /// Blob id the user's file had when the snapshot was taken (nil: no file).
        var userBlobAtSnapshot: String?
        /// New content and git file mode; nil deletes the file.
        var result: (bytes: [UInt8], mode: UInt32)?
    }

    fileprivate func writeResult(patch: String) throws(UserApplyError) -> [String] {
        let changes: [Change]
        do { changes = try postimage(of: patch) } catch {
            guard error.operation == "parse patch" || error.operation == "apply the patch to the snapshot base" else { throw .git(error) }
            throw .patch(PatchError(kind: error.operation == "parse patch" ? .unparsable : .rejected,
                                    message: "\(error.operation): \(error.message)"))
        }
        for change in changes {
            do { try LinkedParents.check(change.path, in: sourceRepository, operation: "write") } catch { throw .git(error) }
        }
        var changed: [String] = []
        for change in changes {
            let now: String?
            do { now = try userBlobID(of: sourceRepository + "/" + change.path) } catch { throw .git(error) }
            if now != change.userBlobAtSnapshot { changed.append(change.path) }
        }
        guard changed.isEmpty else { throw .filesChangedSinceSnapshot(changed.sorted()) }
        // All or nothing: what was there is kept in memory, and put back if a later write fails.
        var written: [Backup] = []
        do {
            for change in changes {
                let backup = Backup(path: sourceRepository + "/" + change.path)
                try write(change)
                written.append(backup)
            }
        } catch {
            for backup in written.reversed() { backup.restore() }
            throw .git(error)
        }
        return changes.map(\.path).sorted()
    }

    /// A user file as it was before a write: its bytes and mode, its link target, or its absence.
    private struct Backup {
        var path: String
        var bytes: [UInt8]?
        var linkTarget: String?
        var executable = false

        init(path: String) {
            self.path = path
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                linkTarget = target
            } else if let data = FileManager.default.contents(atPath: path) {
                bytes = Array(data)
                executable = FileManager.default.isExecutableFile(atPath: path)
            }
        }

        func restore() {
            unlink(path)
            if let linkTarget { _ = symlink(linkTarget, path) }
            else if let bytes { try? FileSystem.writeAtomically(bytes, to: path, executable: executable) }
        }
    }

    private func write(_ change: Change) throws(GitError) {
        let target = sourceRepository + "/" + change.path
        guard let result = change.result else {
            if FileSystem.node(at: target) != .missing, unlink(target) != 0 { throw FileSystem.posixError("delete \(target)") }
            removeEmptyParents(of: change.path)
            return
        }
        if result.mode == 0o120000 {
            unlink(target)
            try FileSystem.makeDirectories(NSStringPath(target).parent)
            guard symlink(String(decoding: result.bytes, as: UTF8.self), target) == 0 else { throw FileSystem.posixError("create link \(target)") }
            return
        }
        try FileSystem.writeAtomically(result.bytes, to: target, executable: result.mode == 0o100755)
    }

    private func removeEmptyParents(of path: String) {
        var components = path.split(separator: "/").dropLast()
        while !components.isEmpty {
            if rmdir(sourceRepository + "/" + components.joined(separator: "/")) != 0 { return }
            components = components.dropLast()
        }
    }

    /// What every touched file becomes when `patch` is applied to the base (in memory, strict).
    private func postimage(of patch: String) throws(GitError) -> [Change] {
        let commit = baseCommit
        let overrides = userStateOverrides
        return try repository.withHandle { (repo) throws(GitError) -> [Change] in
            var diff: OpaquePointer?
            try GitError.check(git_diff_from_buffer(&diff, patch, patch.utf8.count), "parse patch")
            defer { git_diff_free(diff) }
            let tree = try BaseTree(repo, commit: commit)
            var options = git_apply_options()
            try GitError.check(git_apply_options_init(&options, UInt32(GIT_APPLY_OPTIONS_VERSION)), "initialise apply options")
            var index: OpaquePointer?
            try GitError.check(git_apply_to_tree(&index, repo, tree.pointer, diff, &options), "apply the patch to the snapshot base")
            defer { git_index_free(index) }
            var changes: [Change] = []
            for path in deltaPaths(diff!) {
                let clean = try SnapshotPaths.validated(path, operation: "write result file")
                var before: String?
                if let override = overrides[clean] {
                    before = override
                } else {
                    var entry: OpaquePointer?
                    if git_tree_entry_bypath(&entry, tree.pointer, clean) == 0 {
                        before = git_tree_entry_id(entry)!.pointee.hex
                        git_tree_entry_free(entry)
                    }
                }
                var result: (bytes: [UInt8], mode: UInt32)?
                if let entry = git_index_get_bypath(index, clean, 0)?.pointee {
                    var blobID = entry.id
                    var blob: OpaquePointer?
                    try GitError.check(git_blob_lookup(&blob, repo, &blobID), "read result of \(clean)")
                    defer { git_blob_free(blob) }
                    let size = Int(git_blob_rawsize(blob))
                    let bytes = size == 0 ? [] : Array(UnsafeRawBufferPointer(start: git_blob_rawcontent(blob), count: size))
                    result = (bytes, entry.mode)
                }
                changes.append(Change(path: clean, userBlobAtSnapshot: before, result: result))
            }
            return changes
        }
    }
}

/// `deletingLastPathComponent` without Foundation's NSString bridging.
private struct NSStringPath {
    let path: String
    init(_ path: String) { self.path = path }
    var parent: String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

