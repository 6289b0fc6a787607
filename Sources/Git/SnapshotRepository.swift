import CGit2
import Foundation

/// Setting up a snapshot's own git repository.
enum SnapshotRepository {
    static let markerName = "fixpoint-snapshot"
    static let baseBranch = "refs/heads/fixpoint-base"

    /// Makes the repository store and check out bytes exactly as they are on disk: no end-of-line
    /// conversion or ident/filter attributes from the project or the user's global config, so the
    /// base blobs are the user's bytes and a patch applies byte for byte. Also writes the marker
    /// that lets `removeStale` recognise the folder as ours.
    static func configure(_ repository: Repository, sourceRepository: String) throws(GitError) {
        try repository.withHandle { (repo) throws(GitError) in
            var config: OpaquePointer?
            try GitError.check(git_repository_config(&config, repo), "open snapshot config")
            defer { git_config_free(config) }
            try GitError.check(git_config_set_bool(config, "core.autocrlf", 0), "set core.autocrlf")
            try GitError.check(git_config_set_string(config, "core.safecrlf", "false"), "set core.safecrlf")
            try GitError.check(git_config_set_int32(config, "gc.auto", 0), "set gc.auto")
        }
        let gitDirectory = repository.gitDirectory
        try FileSystem.writeAtomically(Array("* -text -crlf -ident -filter -working-tree-encoding\n".utf8),
                                       to: gitDirectory + "/info/attributes", executable: false)
        let marker = "pid=\(getpid())\nsource=\(sourceRepository)\n"
        try FileSystem.writeAtomically(Array(marker.utf8), to: gitDirectory + "/" + markerName, executable: false)
    }

    /// Commits every file in the working directory (ignore rules bypassed) as the base, on
    /// `fixpoint-base`, and returns the commit and the base's file paths.
    static func commitBase(_ repository: Repository) throws(GitError) -> (commit: String, paths: [String]) {
        try repository.withHandle { (repo) throws(GitError) -> (commit: String, paths: [String]) in
            var index: OpaquePointer?
            try GitError.check(git_repository_index(&index, repo), "open snapshot index")
            defer { git_index_free(index) }
            try withStrarray([]) { (pathspec) throws(GitError) in
                try GitError.check(git_index_add_all(index, pathspec, GIT_INDEX_ADD_FORCE.rawValue, nil, nil), "add files to the snapshot base")
            }
            try GitError.check(git_index_write(index), "write snapshot index")
            var treeID = git_oid()
            try GitError.check(git_index_write_tree(&treeID, index), "write snapshot base tree")
            var tree: OpaquePointer?
            try GitError.check(git_tree_lookup(&tree, repo, &treeID), "read snapshot base tree")
            defer { git_tree_free(tree) }
            var signature: UnsafeMutablePointer<git_signature>?
            try GitError.check(git_signature_now(&signature, "Fixpoint", "fixpoint@localhost"), "make commit signature")
            defer { git_signature_free(signature) }
            var commitID = git_oid()
            var parents: [OpaquePointer?] = []
            try GitError.check(git_commit_create(&commitID, repo, baseBranch, signature, signature, nil,
                                                 "Fixpoint snapshot base\n", tree, 0, &parents), "commit snapshot base")
            try GitError.check(git_repository_set_head(repo, baseBranch), "point HEAD at the snapshot base")
            return (commitID.hex, try treeFiles(tree!).map(\.path))
        }
    }

    /// Writes `info/exclude`: build outputs, minus directory names the base itself uses.
    static func writeExclusions(_ repository: Repository, basePaths: [String]) throws(GitError) {
        var names = Set<String>()
        for path in basePaths {
            for component in path.split(separator: "/").dropLast() { names.insert(String(component)) }
        }
        try FileSystem.writeAtomically(Array(BuildOutputExclusions.excludeFile(baseDirectoryNames: names).utf8),
                                       to: repository.gitDirectory + "/info/exclude", executable: false)
    }

    /// Points `fixpoint-base` and HEAD at `commit` (the files and index are `BaseCheckout`'s job).
    static func pointAtBase(_ repository: Repository, commit: String) throws(GitError) {
        try repository.withHandle { (repo) throws(GitError) in
            var oid = try git_oid(hex: commit)
            var reference: OpaquePointer?
            try GitError.check(git_reference_create(&reference, repo, baseBranch, &oid, 1, "fixpoint fork"), "create \(baseBranch)")
            git_reference_free(reference)
            try GitError.check(git_repository_set_head(repo, baseBranch), "point HEAD at the snapshot base")
        }
    }
}
