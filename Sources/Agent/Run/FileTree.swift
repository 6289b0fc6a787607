import Foundation

/// The top of a repository's file tree for the first message: two levels, caches and .git skipped.
enum FileTree {
    static let skipped: Set<String> = [".git", "node_modules", "__pycache__", ".pytest_cache", ".build", "target", ".venv", "venv", ".mypy_cache", "dist", "build"]

    static func render(root: String, maxEntries: Int) -> String {
        var lines: [String] = []
        var omitted = 0
        func walk(_ relative: String, depth: Int) {
            let path = relative.isEmpty ? root : root + "/" + relative
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            for name in names.sorted() where !skipped.contains(name) {
                let rel = relative.isEmpty ? name : relative + "/" + name
                var isDir: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: root + "/" + rel, isDirectory: &isDir)
                if lines.count >= maxEntries { omitted += 1; continue }
                // Small models fix the tests instead of the code when they can't tell them apart.
                let mark = !isDir.boolValue && AgentLoop.isTestPath(rel) ? "   (test)" : ""
                lines.append(rel + (isDir.boolValue ? "/" : "") + mark)
                if isDir.boolValue, depth < 1 { walk(rel, depth: depth + 1) }
            }
        }
        walk("", depth: 0)
        if omitted > 0 { lines.append("… \(omitted) more (use list_files)") }
        return lines.isEmpty ? "(empty)" : lines.joined(separator: "\n")
    }
}
