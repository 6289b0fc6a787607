import JSONRPC
import JSONValue

/// Open documents by URI. Owned by one actor; the store itself is a plain value.
public struct DocumentStore: Sendable {
    public private(set) var documents: [DocumentURI: TextDocument] = [:]

    public init() {}

    public subscript(uri: DocumentURI) -> TextDocument? { documents[uri] }

    /// `textDocument/didOpen`.
    public mutating func open(_ params: JSON?) throws(ResponseError) {
        let p = Params(params, path: "params")
        let uri = try p.uri("textDocument.uri")
        documents[uri] = TextDocument(
            uri: uri, languageID: try p.optionalString("textDocument.languageId") ?? "",
            version: try p.int("textDocument.version"), text: try p.string("textDocument.text"))
    }

    /// `textDocument/didChange`: full or incremental changes, applied in order.
    public mutating func change(_ params: JSON?) throws(ResponseError) {
        let p = Params(params, path: "params")
        let uri = try p.uri("textDocument.uri")
        let version = try p.int("textDocument.version")
        let changes = try p.array("contentChanges")
        guard var document = documents[uri] else {
            throw .invalidParams("params.textDocument.uri", "\(uri) is not open (send didOpen first)")
        }
        for (index, change) in changes.enumerated() {
            let c = p.nested("contentChanges[\(index)]", change)
            let text = try c.string("text")
            let range = c.optional("range") == nil ? nil : try c.range("range")
            document.apply(range: range, newText: text)
        }
        document.version = version
        documents[uri] = document
    }

    /// `textDocument/didClose`.
    public mutating func close(_ params: JSON?) throws(ResponseError) {
        let p = Params(params, path: "params")
        documents[try p.uri("textDocument.uri")] = nil
    }
}
