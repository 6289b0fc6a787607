import CGit2
import Foundation
import Synchronization

/// An isolated working copy of a user's project for one agent run.
///
/// The snapshot directory is a fresh git repository of its own whose first commit is the *base*:
/// the user's HEAD plus their uncommitted work (modified tracked files, untracked files that are
/// not ignored) plus `overlays` (e.g. unsaved editor buffers). The agent edits `directory` freely;
/// `diff()` is base → current files. Nothing is ever written to the user's repository (working
/// tree, index, refs, stash, hooks, config, objects): it is only read, once, at creation.
///
/// All methods block on disk I/O; call them from a dedicated thread, not the cooperative pool.
public final class Snapshot: Sendable {
    /// Absolute path of the working copy the agent edits.
    public let directory: String
    /// The user's repository working directory the snapshot was taken from.
    public let sourceRepository: String
    /// The folder snapshots live in (each one is `<root>/<uuid>`).
    public let root: String
    /// The base commit in the snapshot's own repository (hex).
    public let baseCommit: String
    let repository: Repository
    /// The user's on-disk state of the paths whose base content did NOT come from disk (overlays):
    /// path → blob id of the file then, or nil when it did not exist. Every other path's disk state
    /// at creation is exactly its base blob.
    let userStateOverrides: [String: String?]
    /// The folder holding the base's objects, shared with every fork (`ObjectStore`).
    let objectStore: String
    /// How this snapshot's working files got their bytes (for a fork: how many were cloned from the
    /// parent's untouched files and how many written from objects).
    public let copyCounts: CopyCounts
    private let removed = Mutex(false)

    init(directory: String, sourceRepository: String, root: String, baseCommit: String, repository: Repository,
         userStateOverrides: [String: String?], objectStore: String, copyCounts: CopyCounts) {
        self.directory = directory
        self.sourceRepository = sourceRepository
        self.root = root
        self.baseCommit = baseCommit
        self.repository = repository
        self.userStateOverrides = userStateOverrides
        self.objectStore = objectStore
        self.copyCounts = copyCounts
    }

    deinit {
        // Owners remove their snapshots and wait for it (`await remove()`); this only catches a
        // snapshot someone forgot, without doing the I/O on whatever thread released it.
        guard !removed.withLock({ $0 }) else { return }
        let directory = self.directory, store = objectStore
        BlockingExecutor.shared.enqueue { SnapshotRegistry.release(directory, store: store) }
    }

    /// Takes a snapshot of the repository containing `repositoryPath`.
    /// `overlays` maps repository-relative paths to full file text that replaces (or adds) that file.
    /// `root` defaults to `$FIXPOINT_SNAPSHOT_DIR`, else `~/.cache/fixpoint/snapshots`.
    public static func create(from repositoryPath: String, overlays: [String: String] = [:], root: String? = nil) throws(GitError) -> Snapshot {
        LibGit2.ensureInitialized()
        let user = try Repository.discover(from: repositoryPath)
        guard let userWorkdir = user.workdir else {
            throw GitError.fixpoint("snapshot \(repositoryPath)", "the repository is bare; a snapshot needs a working tree")
        }
        let paths = try user.withHandle { (repo) throws(GitError) -> [String] in try userFilePaths(repo) }
        let root = (root ?? SnapshotRegistry.defaultRoot).trimmingTrailingSlash
        guard !(root + "/").hasPrefix(userWorkdir + "/") else {
            throw GitError.fixpoint("snapshot \(userWorkdir)", "the snapshot folder \(root) is inside the repository; set FIXPOINT_SNAPSHOT_DIR to a folder outside it")
        }
        let directory = try SnapshotRegistry.claimDirectory(in: root)
        let store: String
        do { store = try SnapshotRegistry.claimStore(in: root) } catch {
            SnapshotRegistry.release(directory, store: nil)
            throw error
        }
        do {
            var copier = TreeCopier(destination: directory)
            for path in paths {
                try copier.copy(from: userWorkdir + "/" + path, relativePath: path)
            }
            var overrides: [String: String?] = [:]
            for (path, text) in overlays {
                let clean = try SnapshotPaths.validated(path, operation: "add overlay")
                overrides[clean] = try userBlobID(of: userWorkdir + "/" + clean)
                let target = directory + "/" + clean
                if FileSystem.node(at: target) == .directory { FileSystem.removeTree(target) }
                try FileSystem.writeAtomically(Array(text.utf8), to: target, executable: FileSystem.node(at: target) == .file(executable: true))
            }
            try ObjectStore.attach(store, to: Repository.create(at: directory).gitDirectory)
            let repository = try Repository.open(at: directory)
            try ObjectStore.writeObjects(of: repository, into: store)
            try SnapshotRepository.configure(repository, sourceRepository: userWorkdir)
            let base = try SnapshotRepository.commitBase(repository)
            try SnapshotRepository.writeExclusions(repository, basePaths: base.paths)
            return Snapshot(directory: directory, sourceRepository: userWorkdir, root: root, baseCommit: base.commit,
                            repository: repository, userStateOverrides: overrides, objectStore: store, copyCounts: copier.counts)
        } catch {
            SnapshotRegistry.release(directory, store: store)
            throw error
        }
    }

    /// A fresh, independent copy of this snapshot's BASE state: the agent's edits here are not in it,
    /// and it keeps working after this snapshot is removed. It costs what differs from the base, not
    /// what the repository holds: the objects are shared (`ObjectStore`; none is written or linked),
    /// and each working file is cloned from this snapshot's copy where that copy is untouched
    /// (`BaseCheckout`) — a reflink where the file system has them — else written from its blob.
    public func fork() throws(GitError) -> Snapshot {
        let directory = try SnapshotRegistry.claimDirectory(in: root)
        SnapshotRegistry.retainStore(objectStore)
        do {
            try ObjectStore.attach(objectStore, to: Repository.create(at: directory).gitDirectory)
            let forked = try Repository.open(at: directory)
            try SnapshotRepository.configure(forked, sourceRepository: sourceRepository)
            for name in ["info/exclude"] {
                try FileSystem.writeAtomically(FileSystem.read(repository.gitDirectory + "/" + name), to: forked.gitDirectory + "/" + name, executable: false)
            }
            try SnapshotRepository.pointAtBase(forked, commit: baseCommit)
            let counts = try BaseCheckout(fork: forked, forkDirectory: directory, baseCommit: baseCommit,
                                          parentDirectory: self.directory, parentGitDirectory: repository.gitDirectory).run()
            return Snapshot(directory: directory, sourceRepository: sourceRepository, root: root, baseCommit: baseCommit,
                            repository: forked, userStateOverrides: userStateOverrides, objectStore: objectStore, copyCounts: counts)
        } catch {
            SnapshotRegistry.release(directory, store: objectStore)
            throw error
        }
    }

    /// Base content of `path` (repository-relative); nil if it did not exist in the base.
    /// Bytes that are not UTF-8 are decoded with replacement characters.
    public func baseContent(of path: String) throws(GitError) -> String? {
        let commit = baseCommit
        return try repository.withHandle { (repo) throws(GitError) -> String? in
            try readBlob(repo, spec: "\(commit):\(path)").map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Deletes the snapshot directory (blocking). Idempotent.
    public func remove() {
        let first = removed.withLock { (done: inout Bool) -> Bool in
            defer { done = true }
            return !done
        }
        if first { SnapshotRegistry.release(directory, store: objectStore) }
    }

    /// Removes snapshots left behind by killed or crashed runs under `root`: each one whose owner
    /// record (`<folder>.owner`: pid, its start time, boot and host) names a process that is gone, at
    /// any age — never one a live process uses. Folders from before owner records go when their pid is
    /// gone and they are older than `seconds`. Folders that are not Fixpoint's are never touched.
    public static func removeStale(root: String? = nil, olderThan seconds: Double = 3600) {
        SnapshotRegistry.removeStale(root: (root ?? SnapshotRegistry.defaultRoot).trimmingTrailingSlash, olderThan: seconds)
    }
}

/// Every path of the user's project that belongs in a snapshot: tracked files (index entries,
/// with the files of checked-out submodules in place of their gitlinks) and untracked files that
/// are not ignored. Read-only.
func userFilePaths(_ repo: OpaquePointer, depth: Int = 0) throws(GitError) -> [String] {
    var index: OpaquePointer?
    try GitError.check(git_repository_index(&index, repo), "read the index")
    defer { git_index_free(index) }
    var paths = Set<String>()
    for position in 0..<git_index_entrycount(index) {
        guard let entry = git_index_get_byindex(index, position)?.pointee else { continue }
        if entry.mode == 0o160000 {
            // A submodule (gitlink): its files live in another repository; copy them as plain files
            // so the project's tests, which need them, run in the snapshot too.
            paths.formUnion(submoduleFilePaths(in: repo, at: String(cString: entry.path), depth: depth))
            continue
        }
        paths.insert(String(cString: entry.path))
    }
    for entry in try statusEntries(repo, includeIgnored: false) where entry.workdir == .untracked && !entry.path.hasSuffix("/") {
        paths.insert(entry.path)
    }
    return paths.sorted()
}

/// Blob id of the file at `path` as git would store it (no filters), or nil when there is no file.
func userBlobID(of path: String) throws(GitError) -> String? {
    let bytes: [UInt8]
    switch FileSystem.node(at: path) {
    case .file: bytes = try FileSystem.read(path)
    case .symlink(let target): bytes = Array(target.utf8)
    default: return nil
    }
    var oid = git_oid()
    let code = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
    try GitError.check(code, "hash \(path)")
    return oid.hex
}

/// Copies the user's files into a tree, creating each parent folder once. Bytes go the cheapest way
/// the file system allows (`FileCloner`: a reflink, else a kernel copy); modification times are the
/// user's, so the snapshot's index is a valid stat cache and no file is "racily clean".
struct TreeCopier {
    let destination: String
    private var madeDirectories: Set<String> = []
    private var cloner = FileCloner()
    var counts: CopyCounts { cloner.counts }

    init(destination: String) { self.destination = destination }

    mutating func copy(from source: String, relativePath: String) throws(GitError) {
        switch FileSystem.node(at: source) {
        case .file(let executable): try placeFile(source, relativePath, executable: executable)
        case .symlink(let target): try placeLink(source, relativePath, target: target)
        default: return  // deleted, or replaced by a folder: not part of the user's tree
        }
    }

    private mutating func parentOf(_ relativePath: String) throws(GitError) -> String {
        let target = destination + "/" + relativePath
        let parent = (target as NSString).deletingLastPathComponent
        if !madeDirectories.contains(parent) {
            try FileSystem.makeDirectories(parent)
            madeDirectories.insert(parent)
        }
        return target
    }

    private mutating func placeFile(_ source: String, _ relativePath: String, executable: Bool) throws(GitError) {
        let input = open(source, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard input >= 0 else { return }  // gone (or replaced by a link) since it was listed
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return }
        let target = try parentOf(relativePath)
        let output = try FileSystem.createNew(target, executable: executable)
        defer { close(output) }
        try cloner.copy(from: input, to: output, size: Int(info.st_size), path: target)
        var times = [info.st_atim, info.st_mtim]
        futimens(output, &times)
    }

    private mutating func placeLink(_ source: String, _ relativePath: String, target linkTarget: String) throws(GitError) {
        var info = stat()
        guard lstat(source, &info) == 0 else { return }
        let target = try parentOf(relativePath)
        guard symlink(linkTarget, target) == 0 else { throw FileSystem.posixError("create link \(target)") }
        var times = [info.st_atim, info.st_mtim]
        utimensat(AT_FDCWD, target, &times, AT_SYMLINK_NOFOLLOW)
    }
}

/// Repository-relative paths handed in by callers.
enum SnapshotPaths {
    /// Rejects absolute paths, `..` components and anything inside `.git`.
    static func validated(_ path: String, operation: String) throws(GitError) -> String {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        guard !path.hasPrefix("/"), !components.isEmpty, !components.contains(".."), components.first != ".git" else {
            throw GitError.fixpoint("\(operation) \(path)", "the path must be relative to the repository root and stay inside it")
        }
        return components.joined(separator: "/")
    }
}
