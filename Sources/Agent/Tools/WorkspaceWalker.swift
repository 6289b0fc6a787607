import Foundation

/// Walks a workspace folder in sorted order, skipping what no tool should descend into: `.git`
/// and tool caches or dependency folders, whose size would drown the model in noise.
enum WorkspaceWalker {
    /// Folders that are never descended into (listed by name, with a note, by list_files).
    static let skippedDirectories: Set<String> = [
        ".git", ".hg", ".svn", "node_modules", "__pycache__", ".build", ".swiftpm", ".pytest_cache",
        ".mypy_cache", ".ruff_cache", ".tox", ".nox", ".venv", ".gradle", ".idea", ".cache", "DerivedData",
        ".next", ".eggs",
    ]

    struct Entry {
        /// Path relative to the workspace root.
        var path: String
        var absolute: String
        var kind: Kind
        var depth: Int
    }

    enum Kind: Equatable {
        case file, directory, skippedDirectory, symlink(target: String)
    }

    /// Is this folder one to skip? `target` is skipped only when Cargo marked it as a cache.
    static func skips(name: String, absolute: String) -> Bool {
        if skippedDirectories.contains(name) { return true }
        if name.hasSuffix(".egg-info") { return true }
        return FileManager.default.fileExists(atPath: absolute + "/CACHEDIR.TAG")
    }

    /// Calls `visit` for each entry under `absolute` (depth 1 = its direct children), sorted by name,
    /// folders before descending into them. Symlinks are reported, never followed. `visit` returns
    /// false to stop the walk.
    static func walk(
        _ absolute: String, relative: String, maxDepth: Int, depth: Int = 1, visit: (Entry) -> Bool
    ) -> Bool {
        guard depth <= maxDepth, let names = try? FileManager.default.contentsOfDirectory(atPath: absolute) else {
            return true
        }
        for name in names.sorted() {
            if name == ".git" { continue }
            let childAbsolute = absolute + "/" + name
            let childRelative = relative == "." || relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(childAbsolute, &info) == 0 else { continue }
            let mode = info.st_mode & S_IFMT
            if mode == S_IFLNK {
                let target = Workspace.linkTarget(childAbsolute) ?? "?"
                if !visit(Entry(path: childRelative, absolute: childAbsolute, kind: .symlink(target: target), depth: depth)) {
                    return false
                }
            } else if mode == S_IFDIR {
                let skipped = skips(name: name, absolute: childAbsolute)
                let entry = Entry(
                    path: childRelative, absolute: childAbsolute, kind: skipped ? .skippedDirectory : .directory, depth: depth)
                if !visit(entry) { return false }
                if !skipped, !walk(childAbsolute, relative: childRelative, maxDepth: maxDepth, depth: depth + 1, visit: visit) {
                    return false
                }
            } else if mode == S_IFREG {
                if !visit(Entry(path: childRelative, absolute: childAbsolute, kind: .file, depth: depth)) { return false }
            }
        }
        return true
    }
}
