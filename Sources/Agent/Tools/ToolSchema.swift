import JSONValue
import ModelClient

/// Builds the argument schemas tools declare. They stay deliberately simple — `type: object`,
/// `properties` (each with a `type` and `description`), `required` — so the same schema works for
/// native tool calls and inside a `json_schema` response format (grammar-constrained decoding).
public enum ToolSchema {
    public enum ValueType: String, Sendable {
        case string, integer, boolean
    }

    public struct Property: Sendable {
        public var name: String
        public var type: ValueType
        public var description: String
        public var required: Bool

        public init(_ name: String, _ type: ValueType, _ description: String, required: Bool) {
            self.name = name; self.type = type; self.description = description; self.required = required
        }
    }

    public static func object(_ properties: [Property]) -> JSON {
        var props: [String: JSON] = [:]
        for p in properties { props[p.name] = ["type": .string(p.type.rawValue), "description": .string(p.description)] }
        return [
            "type": "object",
            "properties": .object(props),
            "required": .array(properties.filter(\.required).map { .string($0.name) }),
        ]
    }

    /// A one-line signature of a tool, e.g. `read_file(path: string, start_line?: integer, end_line?: integer)`,
    /// used to restate the schema in error messages. Order follows `required` first, then the rest by name.
    public static func signature(of definition: ToolDefinition) -> String {
        let params = definition.parameters
        let required = (params["required"]?.arrayValue ?? []).compactMap(\.stringValue)
        let props = params["properties"]?.objectValue ?? [:]
        let optional = props.keys.filter { !required.contains($0) }.sorted()
        let parts = (required + optional).map { key -> String in
            let type = props[key]?["type"]?.stringValue ?? "any"
            return required.contains(key) ? "\(key): \(type)" : "\(key)?: \(type)"
        }
        return "\(definition.name)(\(parts.joined(separator: ", ")))"
    }
}
