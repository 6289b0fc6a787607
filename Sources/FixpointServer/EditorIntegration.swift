import JSONRPC
import JSONValue

/// How an editor integration (editors/ in this repository) wants runs handed back, from
/// `initializationOptions`. Generic clients send none of these and get the standard behaviour.
struct EditorIntegration: Sendable, Equatable {
    /// The client previews the patch itself (`fixpoint.proposedDiff`) and writes it with
    /// `fixpoint.applyFix`, so the server does not send `workspace/applyEdit`. Clients whose
    /// `workspace/applyEdit` handler must answer at once (Neovim, eglot) cannot hold the request
    /// open while the user reads a diff; this lets them show one before anything is written.
    var previewEdits = false

    init() {}

    init(initializationOptions json: JSON?) throws(ResponseError) {
        guard var json, json.objectValue != nil else { return }
        var path = "params.initializationOptions"
        if let inner = json["fixpoint"], inner.objectValue != nil { json = inner; path += ".fixpoint" }
        let p = Params(json, path: path)
        previewEdits = try p.optionalBool("previewEdits") ?? false
    }
}
