import CGit2
import Locking

/// An open libgit2 repository. libgit2 objects may be used from one thread at a time, so every use
/// of the handle goes through `withHandle`, which holds `handle`'s lock for the duration.
/// All calls block (disk I/O); call them from a dedicated thread, not from Swift's cooperative pool.
public final class Repository: Sendable {
    /// Must only be touched inside `handle.withLock`.
    private let handle: Locked<OpaquePointer>
    /// Absolute path of the working directory, without a trailing slash; nil for a bare repository.
    public let workdir: String?
    /// Absolute path of the `.git` directory, without a trailing slash.
    public let gitDirectory: String

    private init(pointer: sending OpaquePointer) {
        self.workdir = git_repository_workdir(pointer).map { String(cString: $0).trimmingTrailingSlash }
        self.gitDirectory = String(cString: git_repository_path(pointer)).trimmingTrailingSlash
        self.handle = Locked(pointer)
    }

    deinit {
        handle.withLock { git_repository_free($0) }
    }

    /// Opens the repository containing `path` (any folder inside a working tree, or the tree itself).
    public static func discover(from path: String) throws(GitError) -> Repository {
        LibGit2.ensureInitialized()
        var found = git_buf()
        defer { git_buf_dispose(&found) }
        try GitError.check(git_repository_discover(&found, path, 0, nil), "find a git repository containing \(path)")
        return try open(at: String(cString: found.ptr))
    }

    /// Opens the repository at exactly `path` (a working tree or a `.git` directory).
    public static func open(at path: String) throws(GitError) -> Repository {
        LibGit2.ensureInitialized()
        var pointer: OpaquePointer?
        try GitError.check(git_repository_open(&pointer, path), "open repository at \(path)")
        return Repository(pointer: pointer!)
    }

    /// Creates a new, empty repository with a working tree at `path` (like `git init`).
    public static func create(at path: String) throws(GitError) -> Repository {
        LibGit2.ensureInitialized()
        var pointer: OpaquePointer?
        try GitError.check(git_repository_init(&pointer, path, 0), "create repository at \(path)")
        return Repository(pointer: pointer!)
    }

    /// Runs `body` with the raw handle while holding the lock. The pointer must not escape `body`.
    func withHandle<R: Sendable>(_ body: (OpaquePointer) throws(GitError) -> R) throws(GitError) -> R {
        try handle.withLock { (pointer: inout OpaquePointer) throws(GitError) -> R in
            try body(pointer)
        }
    }
}

extension String {
    var trimmingTrailingSlash: String {
        var result = self
        while result.count > 1, result.hasSuffix("/") { result.removeLast() }
        return result
    }
}
