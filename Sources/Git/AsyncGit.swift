/// The Git layer for async callers: each call runs its blocking twin on the shared blocking-work pool
/// (`BlockingExecutor`), so no libgit2 call or file-tree walk ever occupies Swift's cooperative pool.
/// In async code these overloads are the ones chosen; the synchronous ones are for that pool itself,
/// tests and benchmarks.
extension Snapshot {
    public static func create(from repositoryPath: String, overlays: [String: String] = [:], root: String? = nil) async throws(GitError) -> Snapshot {
        try await runBlocking { () throws(GitError) -> Snapshot in try Snapshot.create(from: repositoryPath, overlays: overlays, root: root) }
    }

    public func fork() async throws(GitError) -> Snapshot {
        try await runBlocking { () throws(GitError) -> Snapshot in try self.fork() }
    }

    public func diff() async throws(GitError) -> String {
        try await runBlocking { () throws(GitError) -> String in try self.diff() }
    }

    public func changedFiles() async throws(GitError) -> [String] {
        try await runBlocking { () throws(GitError) -> [String] in try self.changedFiles() }
    }

    public func apply(patch: String, checkOnly: Bool = false) async throws(PatchError) -> PatchApplyResult {
        try await runBlocking { () throws(PatchError) -> PatchApplyResult in try self.apply(patch: patch, checkOnly: checkOnly) }
    }

    public func baseContent(of path: String) async throws(GitError) -> String? {
        try await runBlocking { () throws(GitError) -> String? in try self.baseContent(of: path) }
    }

    /// Deletes the snapshot's folder and returns when it is gone. Idempotent.
    public func remove() async {
        await runBlocking { self.remove() }
    }

    public static func removeStale(root: String? = nil, olderThan seconds: Double = 3600) async {
        await runBlocking { Snapshot.removeStale(root: root, olderThan: seconds) }
    }

    /// The Git layer's safe apply of `patch` to the user's working tree (see `applyToUserRepository`).
    public func applyToUserRepository(patch: String) async throws(UserApplyError) -> [String] {
        try await runBlocking { () throws(UserApplyError) -> [String] in try Git.applyToUserRepository(patch: patch, snapshot: self) }
    }
}

extension Repository {
    public static func discover(from path: String) async throws(GitError) -> Repository {
        try await runBlocking { () throws(GitError) -> Repository in try Repository.discover(from: path) }
    }
}
