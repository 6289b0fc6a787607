import JSONValue

/// Reads request parameters by path and turns a missing or mistyped one into -32602 naming it.
///
///     let p = Params(params, path: "params")
///     let uri = try p.string("textDocument.uri")
public struct Params: Sendable {
    public let value: JSON
    /// Where `value` sits in the message, prefixed to every parameter name in errors.
    public let path: String

    public init(_ value: JSON?, path: String = "") {
        self.value = value ?? .null; self.path = path
    }

    private func fullName(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The value at a dotted key path, or nil when any step is absent or null.
    public func optional(_ keyPath: String) -> JSON? {
        var current: JSON? = value
        for key in keyPath.split(separator: ".") { current = current?[String(key)] }
        if let current, current.isNull { return nil }
        return current
    }

    public func required(_ keyPath: String) throws(ResponseError) -> JSON {
        guard let found = optional(keyPath) else { throw .invalidParams(fullName(keyPath), "required but missing") }
        return found
    }

    public func string(_ keyPath: String) throws(ResponseError) -> String {
        let found = try required(keyPath)
        guard let s = found.stringValue else { throw .invalidParams(fullName(keyPath), "expected a string, got \(found)") }
        return s
    }

    public func optionalString(_ keyPath: String) throws(ResponseError) -> String? {
        guard let found = optional(keyPath) else { return nil }
        guard let s = found.stringValue else { throw .invalidParams(fullName(keyPath), "expected a string, got \(found)") }
        return s
    }

    public func int(_ keyPath: String) throws(ResponseError) -> Int {
        let found = try required(keyPath)
        guard let i = found.intValue else { throw .invalidParams(fullName(keyPath), "expected an integer, got \(found)") }
        return i
    }

    public func optionalInt(_ keyPath: String, in range: ClosedRange<Int>? = nil) throws(ResponseError) -> Int? {
        guard let found = optional(keyPath) else { return nil }
        guard let i = found.intValue else { throw .invalidParams(fullName(keyPath), "expected an integer, got \(found)") }
        if let range, !range.contains(i) {
            throw .invalidParams(fullName(keyPath), "must be between \(range.lowerBound) and \(range.upperBound), got \(i)")
        }
        return i
    }

    public func optionalBool(_ keyPath: String) throws(ResponseError) -> Bool? {
        guard let found = optional(keyPath) else { return nil }
        guard let b = found.boolValue else { throw .invalidParams(fullName(keyPath), "expected true or false, got \(found)") }
        return b
    }

    public func array(_ keyPath: String) throws(ResponseError) -> [JSON] {
        let found = try required(keyPath)
        guard let a = found.arrayValue else { throw .invalidParams(fullName(keyPath), "expected an array, got \(found)") }
        return a
    }

    /// A nested reader, for objects inside arrays: `p.nested("arguments[0]", value)`.
    public func nested(_ name: String, _ value: JSON?) -> Params { Params(value, path: fullName(name)) }
}
