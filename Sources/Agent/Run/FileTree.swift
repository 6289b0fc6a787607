/// The top of a repository's file tree for the first message: two levels, walked by the same
/// `WorkspaceWalker` as list_files, with caches, build outputs and .git left out.
enum FileTree {
    /// Left out of the orientation on top of what the walker skips: build outputs and environments.
    static let hidden: Set<String> = ["target", "venv", "dist", "build"]

    static func render(root: String, maxEntries: Int) -> String {
        var lines: [String] = []
        var omitted = 0
        _ = WorkspaceWalker.walk(root, relative: "", maxDepth: 2) { entry in
            guard entry.kind != .skippedDirectory,
                  !entry.path.split(separator: "/").contains(where: { hidden.contains(String($0)) }) else { return true }
            if lines.count >= maxEntries { omitted += 1; return true }
            let isDirectory = entry.kind == .directory
            // Small models fix the tests instead of the code when they can't tell them apart.
            let mark = !isDirectory && TestPaths.isTest(entry.path) ? "   (test)" : ""
            lines.append(entry.path + (isDirectory ? "/" : "") + mark)
            return true
        }
        if omitted > 0 { lines.append("… \(omitted) more (use list_files)") }
        return lines.isEmpty ? "(empty)" : lines.joined(separator: "\n")
    }
}
