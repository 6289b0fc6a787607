import CGit2

extension Snapshot {
    /// Unified diff from the base to the current files, in `git diff --binary` form (so `git apply`
    /// accepts it, binary files included): adds, deletes, renames, mode changes, "\ No newline at
    /// end of file". New caches and build outputs are left out (see `BuildOutputExclusions`).
    public func diff() throws(GitError) -> String {
        try withWorkingDiff { (diff) throws(GitError) -> String in
            final class Collector { var bytes: [UInt8] = [] }
            let collector = Collector()
            let code = git_diff_print(diff, GIT_DIFF_FORMAT_PATCH, { delta, _, line, payload in
                guard let line = line?.pointee, let payload else { return 0 }
                let collector = Unmanaged<Collector>.fromOpaque(payload).takeUnretainedValue()
                let origin = UInt8(bitPattern: line.origin)
                if origin == UInt8(ascii: "+") || origin == UInt8(ascii: "-") || origin == UInt8(ascii: " ") {
                    collector.bytes.append(origin)
                }
                let content = UnsafeRawBufferPointer(start: line.content, count: line.content_len)
                if line.origin == CChar(bitPattern: UInt8(ascii: "F")) {
                    collector.bytes += Array(gitStyleFileHeader(String(decoding: content, as: UTF8.self), emptyFile: delta.map(isEmptyFileAddOrDelete) ?? false).utf8)
                } else {
                    collector.bytes += content
                }
                return 0
            }, Unmanaged.passUnretained(collector).toOpaque())
            try GitError.check(code, "format the snapshot diff")
            return String(decoding: collector.bytes, as: UTF8.self)
        }
    }

    /// Repository-relative paths the diff touches (both sides of a rename), sorted.
    public func changedFiles() throws(GitError) -> [String] {
        try withWorkingDiff { (diff) throws(GitError) -> [String] in
            var paths = Set<String>()
            for position in 0..<git_diff_num_deltas(diff) {
                guard let delta = git_diff_get_delta(diff, position)?.pointee else { continue }
                if let path = delta.old_file.path { paths.insert(String(cString: path)) }
                if let path = delta.new_file.path { paths.insert(String(cString: path)) }
            }
            return paths.sorted()
        }
    }

    /// Builds the base → working directory diff (renames found) and hands it to `body`.
    func withWorkingDiff<R: Sendable>(_ body: (OpaquePointer) throws(GitError) -> R) throws(GitError) -> R {
        let commit = baseCommit
        let directory = self.directory
        return try repository.withHandle { (repo) throws(GitError) -> R in
            let tree = try BaseTree(repo, commit: commit)

            // The diff goes base tree → index → files, so the index's stat cache spares hashing
            // unchanged files. The agent may have staged or committed things with the git CLI, so
            // the in-memory index is first reset to the base; entries whose id is unchanged keep
            // their stat data. Nothing is written to disk.
            var index: OpaquePointer?
            try GitError.check(git_repository_index(&index, repo), "open snapshot index")
            defer { git_index_free(index) }
            try GitError.check(git_index_read(index, 0), "read snapshot index")
            try GitError.check(git_index_read_tree(index, tree.pointer), "reset snapshot index to the base")

            var options = git_diff_options()
            try GitError.check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "initialise diff options")
            options.flags = GIT_DIFF_INCLUDE_UNTRACKED.rawValue | GIT_DIFF_RECURSE_UNTRACKED_DIRS.rawValue
                | GIT_DIFF_SHOW_UNTRACKED_CONTENT.rawValue | GIT_DIFF_SHOW_BINARY.rawValue
            let filter = NewFileFilter(directory: directory)
            let payload = Unmanaged.passRetained(filter)
            defer { payload.release() }
            options.payload = payload.toOpaque()
            options.notify_cb = { _, delta, _, payload in
                guard let delta, let payload else { return 0 }
                let filter = Unmanaged<NewFileFilter>.fromOpaque(payload).takeUnretainedValue()
                return filter.shouldSkip(delta.pointee) ? 1 : 0
            }
            var diff: OpaquePointer?
            try GitError.check(git_diff_tree_to_workdir_with_index(&diff, repo, tree.pointer, &options), "diff the snapshot against its base")
            defer { git_diff_free(diff) }

            var findOptions = git_diff_find_options()
            try GitError.check(git_diff_find_options_init(&findOptions, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), "initialise rename options")
            findOptions.flags = GIT_DIFF_FIND_RENAMES.rawValue | GIT_DIFF_FIND_FOR_UNTRACKED.rawValue
            try GitError.check(git_diff_find_similar(diff, &findOptions), "find renames")
            return try body(diff!)
        }
    }
}

/// Leaves new compiled binaries (ELF, Mach-O, PE, archives) out of a diff, whatever their name.
private final class NewFileFilter {
    let directory: String

    init(directory: String) { self.directory = directory }

    func shouldSkip(_ delta: git_diff_delta) -> Bool {
        guard delta.status == GIT_DELTA_UNTRACKED || delta.status == GIT_DELTA_ADDED,
              let path = delta.new_file.path else { return false }
        let fullPath = directory + "/" + String(cString: path)
        guard case .file = FileSystem.node(at: fullPath), let header = FileSystem.readPrefix(fullPath, count: 64) else { return false }
        return BuildOutputExclusions.isCompiledBinary(header: header)
    }
}

/// git ends a `---`/`+++` line whose (unquoted) path contains a space with a tab, so that tools
/// that read "path<TAB>timestamp" find the whole name; libgit2 does not. Match git.
/// git also writes no `---`/`+++` lines when an empty file is created or deleted (`emptyFile`).
func gitStyleFileHeader(_ header: String, emptyFile: Bool) -> String {
    var lines = header.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if emptyFile { lines.removeAll { $0.hasPrefix("--- ") || $0.hasPrefix("+++ ") } }
    for index in lines.indices where lines[index].hasPrefix("--- ") || lines[index].hasPrefix("+++ ") {
        let name = lines[index].dropFirst(4)
        if name.contains(" "), !name.hasSuffix("\t") { lines[index] += "\t" }
    }
    return lines.joined(separator: "\n")
}

private func isEmptyFileAddOrDelete(_ delta: UnsafePointer<git_diff_delta>) -> Bool {
    let delta = delta.pointee
    switch delta.status {
    case GIT_DELTA_ADDED, GIT_DELTA_UNTRACKED: return delta.new_file.size == 0
    case GIT_DELTA_DELETED: return delta.old_file.size == 0
    default: return false
    }
}
