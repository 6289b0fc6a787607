import JSONValue

/// A request id: JSON-RPC allows integers and strings; both directions keep the client's form verbatim.
public enum RequestID: Hashable, Sendable, CustomStringConvertible {
    case int(Int)
    case string(String)

    public init?(json: JSON) {
        if let s = json.stringValue { self = .string(s); return }
        if case .number(let text) = json, let i = Int(text) { self = .int(i); return }
        return nil
    }

    public var json: JSON {
        switch self {
        case .int(let i): .int(i)
        case .string(let s): .string(s)
        }
    }

    public var description: String {
        switch self {
        case .int(let i): String(i)
        case .string(let s): "\"\(s)\""
        }
    }
}
