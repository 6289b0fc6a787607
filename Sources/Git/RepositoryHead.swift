import CGit2

/// Where HEAD points.
public enum Head: Equatable, Sendable {
    /// A new repository: HEAD names a branch that has no commit yet.
    case unborn(branch: String)
    /// HEAD is a branch (short name, e.g. "main") at `commit` (hex id).
    case branch(String, commit: String)
    /// HEAD points straight at a commit.
    case detached(commit: String)

    /// The commit HEAD resolves to; nil when unborn.
    public var commit: String? {
        switch self {
        case .unborn: nil
        case .branch(_, let commit), .detached(let commit): commit
        }
    }
}

/// One commit's essentials.
public struct CommitInfo: Equatable, Sendable {
    public var id: String
    public var tree: String
    public var parents: [String]
    public var message: String
    public var authorName: String
    public var authorEmail: String
}

extension Repository {
    public func head() throws(GitError) -> Head {
        try withHandle { (repo) throws(GitError) -> Head in
            var reference: OpaquePointer?
            let code = git_repository_head(&reference, repo)
            if code == GIT_EUNBORNBRANCH.rawValue || code == GIT_ENOTFOUND.rawValue {
                // HEAD is a symbolic ref to a branch that does not exist yet.
                var symbolic: OpaquePointer?
                try GitError.check(git_reference_lookup(&symbolic, repo, "HEAD"), "read HEAD")
                defer { git_reference_free(symbolic) }
                let target = git_reference_symbolic_target(symbolic).map { String(cString: $0) } ?? "HEAD"
                return .unborn(branch: target.hasPrefix("refs/heads/") ? String(target.dropFirst(11)) : target)
            }
            try GitError.check(code, "read HEAD")
            defer { git_reference_free(reference) }
            var oid = git_oid()
            try GitError.check(git_reference_name_to_id(&oid, repo, "HEAD"), "resolve HEAD")
            if git_repository_head_detached(repo) == 1 {
                return .detached(commit: oid.hex)
            }
            return .branch(String(cString: git_reference_shorthand(reference)), commit: oid.hex)
        }
    }

    /// The commit `revision` (anything `git rev-parse` accepts, e.g. "HEAD~1") names.
    public func commit(_ revision: String = "HEAD") throws(GitError) -> CommitInfo {
        try withHandle { (repo) throws(GitError) -> CommitInfo in
            var object: OpaquePointer?
            try GitError.check(git_revparse_single(&object, repo, revision), "find revision \(revision)")
            defer { git_object_free(object) }
            var peeled: OpaquePointer?
            try GitError.check(git_object_peel(&peeled, object, GIT_OBJECT_COMMIT), "read commit \(revision)")
            defer { git_object_free(peeled) }
            let commit = peeled!
            let author = git_commit_author(commit)!.pointee
            return CommitInfo(
                id: git_commit_id(commit)!.pointee.hex,
                tree: git_commit_tree_id(commit)!.pointee.hex,
                parents: (0..<git_commit_parentcount(commit)).map { git_commit_parent_id(commit, $0)!.pointee.hex },
                message: String(cString: git_commit_message(commit)),
                authorName: String(cString: author.name),
                authorEmail: String(cString: author.email)
            )
        }
    }

    /// The bytes of `path` in `revision`'s tree; nil when the file is not there (or HEAD is unborn).
    public func fileContent(_ path: String, at revision: String = "HEAD") throws(GitError) -> [UInt8]? {
        try withHandle { (repo) throws(GitError) -> [UInt8]? in
            try readBlob(repo, spec: "\(revision):\(path)")
        }
    }

    /// Every file path in `revision`'s tree, sorted (empty when HEAD is unborn).
    public func filePaths(at revision: String = "HEAD") throws(GitError) -> [String] {
        try withHandle { (repo) throws(GitError) -> [String] in
            var object: OpaquePointer?
            let code = git_revparse_single(&object, repo, "\(revision)^{tree}")
            if code == GIT_ENOTFOUND.rawValue || code == GIT_EUNBORNBRANCH.rawValue { return [] }
            try GitError.check(code, "find tree of \(revision)")
            defer { git_object_free(object) }
            return try treeFiles(object!).map(\.path).sorted()
        }
    }
}

/// Reads the blob `spec` ("<rev>:<path>") names; nil when it does not exist.
func readBlob(_ repo: OpaquePointer, spec: String) throws(GitError) -> [UInt8]? {
    var object: OpaquePointer?
    let code = git_revparse_single(&object, repo, spec)
    if code == GIT_ENOTFOUND.rawValue || code == GIT_EUNBORNBRANCH.rawValue || code == GIT_EINVALIDSPEC.rawValue { return nil }
    try GitError.check(code, "find \(spec)")
    defer { git_object_free(object) }
    guard git_object_type(object) == GIT_OBJECT_BLOB else { return nil }
    let size = Int(git_blob_rawsize(object))
    guard size > 0, let raw = git_blob_rawcontent(object) else { return [] }
    return Array(UnsafeRawBufferPointer(start: raw, count: size))
}

/// One file (blob or link) in a tree, found by walking it recursively.
struct TreeFile {
    var path: String
    var oid: git_oid
    var mode: UInt32
}

/// All blobs and links under `tree`, with their repository-relative paths.
func treeFiles(_ tree: OpaquePointer) throws(GitError) -> [TreeFile] {
    final class Box { var files: [TreeFile] = [] }
    let box = Box()
    let code = git_tree_walk(tree, GIT_TREEWALK_PRE, { root, entry, payload in
        let box = Unmanaged<Box>.fromOpaque(payload!).takeUnretainedValue()
        guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return 0 }
        let path = String(cString: root!) + String(cString: git_tree_entry_name(entry))
        box.files.append(TreeFile(path: path, oid: git_tree_entry_id(entry)!.pointee, mode: git_tree_entry_filemode(entry).rawValue))
        return 0
    }, Unmanaged.passUnretained(box).toOpaque())
    try GitError.check(code, "walk tree")
    return box.files
}
