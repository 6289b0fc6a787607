import Foundation

/// The folder a run's tools may touch (a snapshot working copy). Every path the model names goes
/// through `resolve`, which refuses anything outside the root, anything under `.git`, and symlinks
/// (at any component) that lead out — so tools never follow a link out of the snapshot.
public struct Workspace: Sendable {
    /// The root with symlinks resolved, so comparisons are between real paths.
    public let root: String
    /// The root as given, also accepted as a prefix of absolute paths the model sends.
    private let givenRoot: String

    /// Symlink hops allowed in one path before it is refused as a loop.
    private static let maxLinkHops = 40

    public init(root: String) throws(ToolError) {
        var given = root
        while given.count > 1, given.hasSuffix("/") { given.removeLast() }
        guard let real = Workspace.realPath(given) else {
            throw ToolError("workspace root '\(root)' does not exist or cannot be read")
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: real, isDirectory: &isDir), isDir.boolValue else {
            throw ToolError("workspace root '\(root)' is not a directory")
        }
        self.root = real
        self.givenRoot = given
    }

    /// The absolute, symlink-free path inside the root that `path` names. Relative paths resolve
    /// against the root; an absolute path is accepted only when it already lies inside the root.
    /// Components that do not exist yet are kept as written (so `write_file` can create them).
    public func resolve(_ path: String) throws(ToolError) -> String {
        if path.utf8.contains(0) { throw ToolError("path '\(printable(path))' contains a NUL byte") }
        var pending = Array(try relativeComponents(of: path).reversed())  // a stack: last element is next
        var resolved: [String] = []
        var hops = 0
        while let component = pending.popLast() {
            if component.isEmpty || component == "." { continue }
            if component == ".." {
                guard !resolved.isEmpty else { throw escape(path) }
                resolved.removeLast()
                continue
            }
            if component == ".git" { throw gitRefused(path) }
            let candidate = join(resolved + [component])
            guard let target = Workspace.linkTarget(candidate) else {
                resolved.append(component)
                continue
            }
            hops += 1
            if hops > Workspace.maxLinkHops {
                throw ToolError("path '\(path)' has too many symbolic links (a loop?); use the file's real path")
            }
            if target.hasPrefix("/") {
                // An absolute link target must itself lie inside the root; walk it from the root.
                guard let inside = insideRoot(target) else { throw linkOut(path, link: candidate, target: target) }
                resolved = []
                pending.append(contentsOf: inside.reversed())
            } else {
                // A relative target is walked from the link's folder, so `..` in it is checked too.
                let targetComponents = target.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
                var probe = resolved
                for c in targetComponents {
                    if c == ".." {
                        if probe.isEmpty { throw linkOut(path, link: candidate, target: target) }
                        probe.removeLast()
                    } else if c != "." { probe.append(c) }
                }
                pending.append(contentsOf: targetComponents.reversed())
            }
        }
        return join(resolved)
    }

    /// The root-relative form of an absolute path inside the workspace ("." for the root itself).
    public func relativePath(_ absolute: String) -> String {
        if absolute == root { return "." }
        if absolute.hasPrefix(root + "/") { return String(absolute.dropFirst(root.count + 1)) }
        return absolute
    }

    // MARK: - Helpers

    private func relativeComponents(of path: String) throws(ToolError) -> [String] {
        let trimmed = path.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("/") else { return trimmed.split(separator: "/").map(String.init) }
        guard let inside = insideRoot(trimmed) else {
            throw ToolError.refused(
                "path '\(path)' is outside the workspace; use a path relative to the repository root, e.g. 'src/main.py'")
        }
        return inside
    }

    /// Components of an absolute path relative to the root, if it starts with the root (real or given).
    private func insideRoot(_ absolute: String) -> [String]? {
        for base in [root, givenRoot] {
            if absolute == base { return [] }
            let prefix = base == "/" ? "/" : base + "/"
            if absolute.hasPrefix(prefix) {
                return absolute.dropFirst(prefix.count).split(separator: "/").map(String.init)
            }
        }
        return nil
    }

    private func join(_ components: [String]) -> String {
        components.isEmpty ? root : (root == "/" ? "/" : root + "/") + components.joined(separator: "/")
    }

    private func escape(_ path: String) -> ToolError {
        ToolError.refused("path '\(path)' leaves the workspace through '..'; use a path inside the repository, relative to its root")
    }

    private func gitRefused(_ path: String) -> ToolError {
        ToolError.refused("path '\(path)' is inside .git, which tools may not touch; use git_diff to see your changes")
    }

    private func linkOut(_ path: String, link: String, target: String) -> ToolError {
        ToolError.refused(
            "path '\(path)' goes through the symbolic link '\(relativePath(link))' -> '\(target)', which leads outside the workspace; it is refused"
        )
    }

    private func printable(_ path: String) -> String { path.replacingOccurrences(of: "\0", with: "\\0") }

    /// The target of a symbolic link, or nil when `path` is not a link (or does not exist).
    static func linkTarget(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
