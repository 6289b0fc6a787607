import CGit2

/// How one side (index or working tree) of a path differs.
public enum FileChange: String, Equatable, Sendable {
    case added, modified, deleted, renamed, typeChanged, untracked, ignored, conflicted
}

/// One path in `git status`: what is staged (`index`, HEAD → index) and what is not (`workdir`, index → files).
public struct StatusEntry: Equatable, Sendable {
    public var path: String
    public var index: FileChange?
    public var workdir: FileChange?
}

extension Repository {
    /// The working tree's status, like `git status --porcelain --untracked-files=all [--ignored]`.
    /// Read-only: the index is not refreshed or written.
    public func status(includeIgnored: Bool = true) throws(GitError) -> [StatusEntry] {
        try withHandle { (repo) throws(GitError) -> [StatusEntry] in
            try statusEntries(repo, includeIgnored: includeIgnored)
        }
    }
}

func statusEntries(_ repo: OpaquePointer, includeIgnored: Bool) throws(GitError) -> [StatusEntry] {
    var options = git_status_options()
    try GitError.check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "initialise status options")
    var flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
        | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue | GIT_STATUS_OPT_SORT_CASE_SENSITIVELY.rawValue
    if includeIgnored { flags |= GIT_STATUS_OPT_INCLUDE_IGNORED.rawValue }
    options.flags = flags
    var list: OpaquePointer?
    try GitError.check(git_status_list_new(&list, repo, &options), "read working tree status")
    defer { git_status_list_free(list) }
    var entries: [StatusEntry] = []
    for position in 0..<git_status_list_entrycount(list) {
        guard let entry = git_status_byindex(list, position)?.pointee else { continue }
        let bits = entry.status.rawValue
        func has(_ flag: git_status_t) -> Bool { bits & flag.rawValue != 0 }
        var index: FileChange?
        if has(GIT_STATUS_INDEX_NEW) { index = .added }
        else if has(GIT_STATUS_INDEX_MODIFIED) { index = .modified }
        else if has(GIT_STATUS_INDEX_DELETED) { index = .deleted }
        else if has(GIT_STATUS_INDEX_RENAMED) { index = .renamed }
        else if has(GIT_STATUS_INDEX_TYPECHANGE) { index = .typeChanged }
        var workdir: FileChange?
        if has(GIT_STATUS_CONFLICTED) { workdir = .conflicted }
        else if has(GIT_STATUS_WT_NEW) { workdir = .untracked }
        else if has(GIT_STATUS_IGNORED) { workdir = .ignored }
        else if has(GIT_STATUS_WT_MODIFIED) { workdir = .modified }
        else if has(GIT_STATUS_WT_DELETED) { workdir = .deleted }
        else if has(GIT_STATUS_WT_RENAMED) { workdir = .renamed }
        else if has(GIT_STATUS_WT_TYPECHANGE) { workdir = .typeChanged }
        let delta = entry.index_to_workdir ?? entry.head_to_index
        guard let delta, let path = delta.pointee.new_file.path ?? delta.pointee.old_file.path else { continue }
        entries.append(StatusEntry(path: String(cString: path), index: index, workdir: workdir))
    }
    return entries
}
