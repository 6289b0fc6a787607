import Foundation

/// Writes that would go through a symbolic link. A repository may commit a link to /etc or to the
/// user's home (`etc -> /etc`); a patch naming `etc/passwd` must not write there. Every folder on the
/// way to a written path, inside `root`, must be a real folder.
enum LinkedParents {
    static func check(_ path: String, in root: String, operation: String) throws(GitError) {
        let clean = try SnapshotPaths.validated(path, operation: operation)
        var current = root
        for part in clean.split(separator: "/").dropLast() {
            current += "/" + part
            var info = stat()
            if lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
                throw GitError.fixpoint("\(operation) \(path)",
                                        "\(current.dropFirst(root.count + 1)) is a symbolic link; nothing is written through one")
            }
        }
    }
}
