import CGit2

/// The tree of a snapshot's base commit, freed when this goes away. Only for use inside the
/// repository handle's closure that produced `repo` (one thread at a time).
final class BaseTree {
    let pointer: OpaquePointer?

    init(_ repo: OpaquePointer?, commit: String) throws(GitError) {
        var commitID = try git_oid(hex: commit)
        var commitObject: OpaquePointer?
        try GitError.check(git_commit_lookup(&commitObject, repo, &commitID), "find snapshot base \(commit)")
        defer { git_commit_free(commitObject) }
        var tree: OpaquePointer?
        try GitError.check(git_commit_tree(&tree, commitObject), "read snapshot base tree")
        pointer = tree
    }

    deinit { git_tree_free(pointer) }
}
