import CGit2

extension Snapshot {
    /// Applies a unified diff to the working copy through libgit2, whole or not at all.
    /// When libgit2's strict apply refuses, hunks whose lines match exactly at one other place are
    /// relocated (and wrong header counts corrected), the result says so in `relocatedHunks`, and
    /// the corrected patch is applied by libgit2. `checkOnly` changes nothing on disk.
    public func apply(patch: String, checkOnly: Bool = false) throws(PatchError) -> PatchApplyResult {
        let text = patch.hasSuffix("\n") ? patch : patch + "\n"
        let strictError: GitError
        switch applyThroughLibgit2(text, checkOnly: checkOnly) {
        case .success(let files): return PatchApplyResult(filesChanged: files, relocatedHunks: [])
        case .failure(let error): strictError = error
        }

        let parsed: PatchText
        do { parsed = try PatchText(text) } catch {
            var failure = error
            failure.message += " (libgit2: \(strictError.message))"
            throw failure
        }
        var starts: [[Int]] = []
        var notes: [String] = []
        for file in parsed.files {
            guard !file.isBinary, !file.hunks.isEmpty else { starts.append([]); continue }
            guard let path = file.targetPath else {
                throw PatchError(kind: .unparsable, message: "a file header names no path (libgit2: \(strictError.message))")
            }
            let fullPath = directory + "/" + path
            var lines: [String] = []
            if file.oldPath == nil {
                if FileSystem.node(at: fullPath) != .missing {
                    throw PatchError(kind: .fileState, file: path, message: "the patch creates this file but it already exists; patch the existing file instead")
                }
            } else {
                guard case .file = FileSystem.node(at: fullPath), let bytes = try? FileSystem.read(fullPath) else {
                    throw PatchError(kind: .fileState, file: path, message: "the patch changes this file but it does not exist in the working copy")
                }
                lines = HunkLocator.lines(of: bytes)
            }
            let placement = try HunkLocator.locate(file, in: lines, path: path)
            starts.append(placement.starts)
            notes += placement.notes
        }
        switch applyThroughLibgit2(parsed.rendered(oldStarts: starts), checkOnly: checkOnly) {
        case .success(let files):
            return PatchApplyResult(filesChanged: files, relocatedHunks: notes)
        case .failure(let error):
            throw PatchError(kind: .rejected, message: "libgit2 refused the patch: \(strictError.message)"
                + (error.message == strictError.message ? "" : "; after relocating hunks: \(error.message)"))
        }
    }

    /// Strict libgit2 parse + check, then (unless `checkOnly`) the real apply.
    private func applyThroughLibgit2(_ text: String, checkOnly: Bool) -> Result<[String], GitError> {
        do {
            return .success(try repository.withHandle { (repo) throws(GitError) -> [String] in
                var diff: OpaquePointer?
                try GitError.check(git_diff_from_buffer(&diff, text, text.utf8.count), "parse patch")
                defer { git_diff_free(diff) }
                for path in deltaPaths(diff!) { try LinkedParents.check(path, in: directory, operation: "apply patch") }
                var options = git_apply_options()
                try GitError.check(git_apply_options_init(&options, UInt32(GIT_APPLY_OPTIONS_VERSION)), "initialise apply options")
                // git_apply computes every file's result in memory before checkout writes any of
                // them, so one call is already all-or-nothing; CHECK stops before the writing.
                options.flags = checkOnly ? GIT_APPLY_CHECK.rawValue : 0
                try GitError.check(git_apply(repo, diff, GIT_APPLY_LOCATION_WORKDIR, &options), checkOnly ? "check patch" : "apply patch")
                return deltaPaths(diff!)
            })
        } catch {
            return .failure(error)
        }
    }
}

/// Both sides' paths of every delta in `diff`, sorted.
func deltaPaths(_ diff: OpaquePointer) -> [String] {
    var paths = Set<String>()
    for position in 0..<git_diff_num_deltas(diff) {
        guard let delta = git_diff_get_delta(diff, position)?.pointee else { continue }
        if delta.status != GIT_DELTA_ADDED, let path = delta.old_file.path { paths.insert(String(cString: path)) }
        if delta.status != GIT_DELTA_DELETED, let path = delta.new_file.path { paths.insert(String(cString: path)) }
    }
    return paths.sorted()
}
