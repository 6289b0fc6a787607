import JSONValue

/// A JSON-RPC error object. Codes are the JSON-RPC and LSP ones; messages say what failed and on which input.
public struct ResponseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: JSON?

    public init(code: Int, message: String, data: JSON? = nil) {
        self.code = code; self.message = message; self.data = data
    }

    public var description: String { "\(message) (\(code))" }

    public var json: JSON {
        var object: [String: JSON] = ["code": .int(code), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }

    public init?(json: JSON) {
        guard let code = json["code"]?.intValue, let message = json["message"]?.stringValue else { return nil }
        self.init(code: code, message: message, data: json["data"])
    }
}

/// The codes Fixpoint sends or understands.
extension ResponseError {
    public enum Code {
        public static let parseError = -32700
        public static let invalidRequest = -32600
        public static let methodNotFound = -32601
        public static let invalidParams = -32602
        public static let internalError = -32603
        public static let serverNotInitialized = -32002
        public static let requestFailed = -32803
        public static let requestCancelled = -32800
        public static let contentModified = -32801
    }

    public static func parseError(_ message: String) -> ResponseError { .init(code: Code.parseError, message: message) }
    public static func invalidRequest(_ message: String) -> ResponseError { .init(code: Code.invalidRequest, message: message) }
    public static func methodNotFound(_ method: String) -> ResponseError {
        .init(code: Code.methodNotFound, message: "unknown method '\(method)'")
    }
    /// `parameter` is a path such as `textDocument.uri` or `arguments[0].issue`, so the client knows what to fix.
    public static func invalidParams(_ parameter: String, _ problem: String) -> ResponseError {
        .init(code: Code.invalidParams, message: "invalid parameter '\(parameter)': \(problem)", data: ["parameter": .string(parameter)])
    }
    public static func internalError(_ message: String) -> ResponseError { .init(code: Code.internalError, message: message) }
    public static let serverNotInitialized = ResponseError(
        code: Code.serverNotInitialized, message: "the server is not initialized yet: send 'initialize' first")
    public static func requestFailed(_ message: String) -> ResponseError { .init(code: Code.requestFailed, message: message) }
    public static func cancelled(_ message: String = "request cancelled") -> ResponseError {
        .init(code: Code.requestCancelled, message: message)
    }
    public static func contentModified(_ message: String) -> ResponseError { .init(code: Code.contentModified, message: message) }
}
