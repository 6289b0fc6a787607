import JSONValue

/// A mode for servers that constrain output to a JSON schema (llama.cpp `response_format` with
/// `json_schema`, guided decoding on vLLM/SGLang): each step is one action object
/// `{"thought": …, "tool": <one of the tool names>, "arguments": {…}}` instead of native tool calls.
/// Small models that answer tool requests in prose return a valid action on every turn this way.
public enum ConstrainedAction {
    /// Why an action could not be used; the message is meant to be shown to the model.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// One `anyOf` branch per tool, so `arguments` follows that tool's own schema. `thought` and `tool`
    /// are required and `arguments` is not: grammar builders (llama.cpp, xgrammar) emit required
    /// properties first, so the model writes its thought, then picks the tool, then fills in the
    /// arguments — whatever order the (sorted) serialization lists them in.
    public static func responseFormat(for tools: [ToolDefinition]) -> JSON {
        let branches: [JSON] = tools.map { tool in
            var parameters = tool.parameters
            if case .object = parameters {} else { parameters = ["type": "object"] }
            return [
                "type": "object",
                "properties": [
                    "thought": ["type": "string"],
                    "tool": ["type": "string", "enum": [.string(tool.name)]],
                    "arguments": parameters,
                ],
                "required": ["thought", "tool", "arguments"],
                "additionalProperties": false,
            ]
        }
        let schema: JSON = branches.count == 1 ? branches[0] : ["anyOf": .array(branches)]
        return ["type": "json_schema", "json_schema": ["name": "action", "strict": true, "schema": schema]]
    }

    /// Reads an action from the assistant's content (fences and surrounding whitespace tolerated).
    public static func parse(_ content: String, knownTools: Set<String>) -> Result<(thought: String, call: ToolCall), ParseError> {
        let text = ToolCallRecovery.stripFence(content)
        let json: JSON
        do {
            json = try JSON.parse(text)
        } catch {
            guard let repaired = ToolCallRecovery.parseRepairing(text) else {
                return .failure(ParseError("the action is not valid JSON (\(error.description)): \(ErrorMapping.snippet(text, limit: 300))"))
            }
            json = repaired
        }
        guard case .object = json else { return .failure(ParseError("the action must be a JSON object with thought, tool and arguments")) }
        guard let tool = json["tool"]?.stringValue ?? json["name"]?.stringValue else {
            return .failure(ParseError("the action has no \"tool\" field: \(ErrorMapping.snippet(text, limit: 300))"))
        }
        guard knownTools.contains(tool) else {
            return .failure(ParseError("unknown tool \"\(tool)\"; available: \(knownTools.sorted().joined(separator: ", "))"))
        }
        let arguments: String
        switch json["arguments"] {
        case nil, .null?: arguments = "{}"
        case .object(let o)?: arguments = JSON.object(o).serialized()
        case .string(let s)?:
            switch ToolCallRecovery.normalizedArguments(s) {
            case .success(let a): arguments = a
            case .failure(let why): return .failure(ParseError("arguments of \(tool): \(why)"))
            }
        case let other?: return .failure(ParseError("arguments of \(tool) must be an object, got \(other.serialized())"))
        }
        return .success((json["thought"]?.stringValue ?? "", ToolCall(id: ToolCallRecovery.generatedID(), name: tool, arguments: arguments)))
    }
}
