import CGit2

extension Snapshot {
    /// Unified diff from the base to the current files, in `git diff --binary` form (so `git apply`
    /// accepts it, binary files included): adds, deletes, renames, mode changes, "\ No newline at
    /// end of file". New caches and build outputs are left out (see `BuildOutputExclusions`).
    public func diff() throws(GitError) -> String {
        try withWorkingDiff { (diff) throws(GitError) -> String in
            var buffer = git_buf()
            defer { git_buf_dispose(&buffer) }
            try GitError.check(git_diff_to_buf(&buffer, diff, GIT_DIFF_FORMAT_PATCH), "format the snapshot diff")
            guard buffer.size > 0, let pointer = buffer.ptr else { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: pointer, count: buffer.size), as: UTF8.self)
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
            var commitID = try git_oid(hex: commit)
            var commitObject: OpaquePointer?
            try GitError.check(git_commit_lookup(&commitObject, repo, &commitID), "find snapshot base \(commit)")
            defer { git_commit_free(commitObject) }
            var tree: OpaquePointer?
            try GitError.check(git_commit_tree(&tree, commitObject), "read snapshot base tree")
            defer { git_tree_free(tree) }

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
            try GitError.check(git_diff_tree_to_workdir(&diff, repo, tree, &options), "diff the snapshot against its base")
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
