import CGit2

/// The files of the checked-out submodule at `path` (relative to `repo`'s working tree), prefixed
/// with `path`, nested submodules included. A submodule that is not checked out (no repository in
/// its folder) has no files: there is nothing on disk to copy.
func submoduleFilePaths(in repo: OpaquePointer, at path: String, depth: Int = 0) -> [String] {
    guard depth < 8, let workdir = git_repository_workdir(repo) else { return [] }
    var root = String(cString: workdir)
    if root.hasSuffix("/") { root.removeLast() }
    var submodule: OpaquePointer?
    guard git_repository_open(&submodule, root + "/" + path) == 0, let submodule else { return [] }
    defer { git_repository_free(submodule) }
    // `git_repository_open` searches no parents, but a folder without its own `.git` would still
    // not be a repository; guard against reading the superproject again all the same.
    guard let inner = git_repository_workdir(submodule), String(cString: inner).hasPrefix(root + "/" + path) else { return [] }
    guard let files = try? userFilePaths(submodule, depth: depth + 1) else { return [] }
    return files.map { path + "/" + $0 }
}
