import JSONValue

/// One JSON-RPC 2.0 message, decoded from or encoded to the wire.
public enum Message: Sendable, Equatable {
    case request(id: RequestID, method: String, params: JSON?)
    case notification(method: String, params: JSON?)
    case response(id: RequestID, result: JSON)
    /// `id` is nil only for errors about messages whose id could not be read (JSON-RPC sends `null`).
    case errorResponse(id: RequestID?, error: ResponseError)

    public var json: JSON {
        var object: [String: JSON] = ["jsonrpc": "2.0"]
        switch self {
        case .request(let id, let method, let params):
            object["id"] = id.json; object["method"] = .string(method)
            if let params { object["params"] = params }
        case .notification(let method, let params):
            object["method"] = .string(method)
            if let params { object["params"] = params }
        case .response(let id, let result):
            object["id"] = id.json; object["result"] = result
        case .errorResponse(let id, let error):
            object["id"] = id?.json ?? .null; object["error"] = error.json
        }
        return .object(object)
    }

    /// Why a decoded JSON value is not a valid message, and the id to answer with, when one could be read.
    public struct DecodingFailure: Error, Sendable, Equatable {
        public var id: RequestID?
        public var error: ResponseError
    }

    /// Decodes one message body. Bytes that are not JSON give -32700; JSON that is not a message gives -32600.
    public static func decode(_ body: [UInt8]) -> Result<Message, DecodingFailure> {
        let json: JSON
        do { json = try JSON.parse(body) } catch {
            return .failure(.init(id: nil, error: .parseError("message body is not valid JSON: \(error)")))
        }
        return decode(json)
    }

    public static func decode(_ json: JSON) -> Result<Message, DecodingFailure> {
        guard case .object(let object) = json else {
            let what = json.arrayValue != nil ? "batches are not supported" : "a message must be a JSON object"
            return .failure(.init(id: nil, error: .invalidRequest(what)))
        }
        let rawID = object["id"]
        let id = rawID.flatMap(RequestID.init(json:))
        func fail(_ message: String) -> Result<Message, DecodingFailure> {
            .failure(.init(id: id, error: .invalidRequest(message)))
        }
        guard object["jsonrpc"]?.stringValue == "2.0" else { return fail("'jsonrpc' must be \"2.0\"") }
        if let rawID, id == nil, !rawID.isNull || object["method"] != nil {
            return fail("'id' must be an integer or a string")
        }
        // `"params": null` counts as absent: Emacs 28's jsonrpc.el (eglot 1.9) sends it with `shutdown`.
        let params = object["params"].flatMap { $0.isNull ? Optional<JSON>.none : $0 }  // not `nil`: JSON is ExpressibleByNilLiteral
        if let params, params.objectValue == nil, params.arrayValue == nil {
            return fail("'params' must be an object or an array")
        }
        if let methodValue = object["method"] {
            guard let method = methodValue.stringValue else { return fail("'method' must be a string") }
            if let id { return .success(.request(id: id, method: method, params: params)) }
            return .success(.notification(method: method, params: params))
        }
        if let error = object["error"] {
            guard let responseError = ResponseError(json: error) else { return fail("'error' must have 'code' and 'message'") }
            return .success(.errorResponse(id: id, error: responseError))
        }
        if let result = object["result"] {
            guard let id else { return fail("a response needs an 'id'") }
            return .success(.response(id: id, result: result))
        }
        return fail("a message needs 'method', 'result' or 'error'")
    }
}
