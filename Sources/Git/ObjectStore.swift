import CGit2
import Foundation

/// The base's git objects, shared by a snapshot and every fork of it: a folder `<root>/<uuid>.objects`
/// beside the snapshots. Each snapshot's repository finds it through `objects/info/alternates`, so a
/// fork shares the base's objects without writing or linking a single object file, and the agent's
/// own git commands still write into the snapshot's own `objects` folder. Objects are immutable and
/// named by their content, so sharing them shares nothing that can change; sandboxed commands see the
/// store read-only (it lies outside their workspace). The store goes when its last snapshot is removed
/// (`SnapshotRegistry`), so a fork outlives its parent's folder.
enum ObjectStore {
    static let suffix = ".objects"
    /// zlib level of the base's loose objects: fastest. Source files compress about as well at level
    /// 1 as at git's default 6, and a small object fills a 4 KiB block either way.
    static let compressionLevel: Int32 = 1

    /// Points `gitDirectory`'s object database at `store` (written before the repository is opened).
    static func attach(_ store: String, to gitDirectory: String) throws(GitError) {
        try FileSystem.writeAtomically(Array((store + "\n").utf8), to: gitDirectory + "/objects/info/alternates", executable: false)
    }

    /// Makes `repository` write new objects into `store` (the base commit's objects go there).
    static func writeObjects(of repository: Repository, into store: String) throws(GitError) {
        try repository.withHandle { (repo) throws(GitError) in
            var odb: OpaquePointer?
            try GitError.check(git_repository_odb(&odb, repo), "open the snapshot's object database")
            defer { git_odb_free(odb) }
            var backend: OpaquePointer?
            try GitError.check(git_odb_backend_loose(&backend, store, compressionLevel, 0, 0, 0), "open the object store \(store)")
            // Higher priority than the repository's own loose backend (1) and packs (2): writes land
            // here. (Should adding fail, the unused backend leaks: a few hundred bytes, once.)
            try GitError.check(git_odb_add_backend(odb, backend, 10), "use the object store \(store)")
        }
    }
}
