import Foundation
import JSONValue
import ModelClient

/// The whole texts of the files an editing tool call touches, read before and after it runs, so faces
/// that show each edit as a diff (ACP) get them. Reads run on the tool executor with the call itself.
struct EditCapture: Sendable {
    let workspace: Workspace
    /// Workspace-relative paths the call may change.
    let paths: [String]

    /// nil for calls that edit nothing (or whose paths cannot be told from the arguments): an editing
    /// tool names its file in `path`, or its files in the headers of a unified diff in `patch`.
    init?(_ call: ToolCall, role: ToolRole?, workspace: Workspace) {
        guard role == .edits else { return nil }
        let arguments = (try? JSON.parse(Array(call.arguments.utf8))) ?? .null
        var paths: [String] = []
        if let path = arguments["path"]?.stringValue { paths = [path] }
        if let patch = arguments["patch"]?.stringValue { paths += Self.paths(inPatch: patch) }
        let relative = paths.compactMap { path -> String? in
            guard let absolute = try? workspace.resolve(path) else { return nil }
            return workspace.relativePath(absolute)
        }
        guard !relative.isEmpty else { return nil }
        self.workspace = workspace
        self.paths = Array(Set(relative)).sorted()
    }

    /// Current texts (nil: no such file), by path.
    func read() -> [String: String?] {
        var texts: [String: String?] = [:]
        for path in paths {
            texts[path] = FileManager.default.contents(atPath: workspace.root + "/" + path).map { String(decoding: $0, as: UTF8.self) }
        }
        return texts
    }

    /// The files whose text differs from `before`.
    func changes(since before: [String: String?]) -> [FileChange] {
        let after = read()
        return paths.compactMap { path in
            let old = before[path] ?? nil, new = after[path] ?? nil
            return old == new ? nil : FileChange(path: path, before: old, after: new)
        }
    }

    /// The `a/` and `b/` paths of a unified diff's file headers.
    static func paths(inPatch patch: String) -> [String] {
        var paths: [String] = []
        for line in patch.split(separator: "\n") where line.hasPrefix("--- ") || line.hasPrefix("+++ ") {
            var path = line.dropFirst(4).split(separator: "\t").first.map(String.init) ?? ""
            if path == "/dev/null" { continue }
            if path.hasPrefix("a/") || path.hasPrefix("b/") { path = String(path.dropFirst(2)) }
            if !path.isEmpty { paths.append(path) }
        }
        return paths
    }
}
