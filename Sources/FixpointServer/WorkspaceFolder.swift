import LSP

/// A folder the client opened. Runs, `fixpoint.toml` and relative paths are per folder.
public struct WorkspaceFolder: Sendable, Equatable {
    public var uri: DocumentURI
    public var name: String
    public var path: String

    /// The path of `uri` relative to this folder, or nil when it lies outside.
    public func relativePath(of uri: DocumentURI) -> String? {
        guard let file = uri.path else { return nil }
        let prefix = path.hasSuffix("/") ? path : path + "/"
        guard file.hasPrefix(prefix) else { return nil }
        return String(file.dropFirst(prefix.count))
    }

    public func uri(ofRelativePath relative: String) -> DocumentURI {
        DocumentURI(path: path + "/" + relative)
    }
}
