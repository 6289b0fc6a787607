import Foundation
import JSONRPC
import JSONValue

/// What a `session/prompt` carries: the issue (its text blocks) and the files it points at. Embedded
/// resources bring their text (what the user sees, unsaved edits included); resource links are read
/// through the client when it can (`fs/read_text_file`), so the run's snapshot matches the editor.
struct PromptAttachments: Sendable {
    var issue: String
    /// Embedded texts: absolute path → text.
    var embedded: [String: String] = [:]
    /// Linked files to read through the client: absolute paths.
    var links: [String] = []

    init(_ blocks: [JSON]) throws(ResponseError) {
        var texts: [String] = []
        for (index, block) in blocks.enumerated() {
            let p = Params(block, path: "params.prompt[\(index)]")
            switch try p.string("type") {
            case "text": texts.append(try p.string("text"))
            case "resource":
                if let uri = p.optional("resource.uri")?.stringValue, let path = Self.path(ofFileURI: uri),
                   let text = p.optional("resource.text")?.stringValue {
                    embedded[path] = text
                }
            case "resource_link":
                if let path = Self.path(ofFileURI: try p.string("uri")) { links.append(path) }
            default: continue  // images and audio are not advertised; anything else carries no issue text
            }
        }
        issue = texts.joined(separator: "\n")
        guard !issue.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidParams("params.prompt", "has no text: describe the issue to fix in a text block")
        }
    }

    static func path(ofFileURI uri: String) -> String? {
        if uri.hasPrefix("/") { return uri }
        guard let url = URL(string: uri), url.isFileURL else { return nil }
        return url.path
    }

    /// `path` relative to `root`, or nil when it lies outside.
    static func relative(_ path: String, to root: String) -> String? {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard path.hasPrefix(prefix) else { return nil }
        return String(path.dropFirst(prefix.count))
    }
}
