import Foundation
import JSONValue
import ModelClient

/// The tools of one run, in the order the model sees them. The loop hands every call to `call`,
/// which parses and checks the arguments and turns every failure into a `ToolError` the model can
/// act on (unknown tool → the list of tools; bad arguments → the tool's signature).
///
/// Adding a tool (docs/architecture.md has the checklist): its file under Tools/ with a type conforming
/// to `AgentTool` (schema, role, run); its line in `standard`; its tests; its row in docs/tools.md.
/// Tool names and arguments are a contract (the design brief): never rename one silently.
public struct ToolRegistry: Sendable {
    public let tools: [any AgentTool]

    public init(_ tools: [any AgentTool]) {
        self.tools = tools
    }

    /// The contract's tools in their documented order; `run_command` only when enabled for the run.
    public static func standard(allowRunCommand: Bool) -> ToolRegistry {
        var tools: [any AgentTool] = [
            ListFilesTool(), ReadFileTool(), SearchTool(), EditFileTool(), WriteFileTool(), ApplyPatchTool(),
            RunTestsTool(),
        ]
        if allowRunCommand { tools.append(RunCommandTool()) }
        tools.append(contentsOf: [GitDiffTool(), SubmitTool()] as [any AgentTool])
        return ToolRegistry(tools)
    }

    public var definitions: [ToolDefinition] { tools.map(\.definition) }

    public var names: [String] { tools.map(\.name) }

    /// The names of the tools with this role, in order.
    public func names(of role: ToolRole) -> [String] { tools.filter { $0.role == role }.map(\.name) }

    public func tool(named name: String) -> (any AgentTool)? {
        tools.first { $0.name == name }
    }

    /// Runs one call whose arguments arrive as the model wrote them (normally a JSON object's text).
    public func call(name: String, arguments: String, in context: ToolContext) async throws(ToolError) -> String {
        guard let tool = tool(named: name) else { throw unknownTool(name) }
        let parsed = try parseArguments(arguments, for: tool.definition)
        return try await tool.run(try validate(parsed, for: tool.definition), in: context)
    }

    /// Runs one call whose arguments are already a JSON value.
    public func call(name: String, arguments: JSON, in context: ToolContext) async throws(ToolError) -> String {
        guard let tool = tool(named: name) else { throw unknownTool(name) }
        return try await tool.run(try validate(arguments, for: tool.definition), in: context)
    }

    public func parseArguments(_ text: String, for definition: ToolDefinition) throws(ToolError) -> JSON {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed == "null" { return [:] }
        do {
            return try JSON.parse(trimmed)
        } catch {
            throw ToolError(
                "the arguments of \(definition.name) are not valid JSON (\(error)). Call it as \(ToolSchema.signature(of: definition)) with a JSON object of arguments."
            )
        }
    }

    /// Checks `arguments` against the tool's schema: an object, required keys present and not null,
    /// known keys of the declared type. Returns the arguments with harmless slips repaired (an integer
    /// sent as "12", a boolean sent as "true") so small models are not punished for them.
    public func validate(_ arguments: JSON, for definition: ToolDefinition) throws(ToolError) -> JSON {
        let signature = ToolSchema.signature(of: definition)
        guard var object = arguments.objectValue else {
            throw ToolError("the arguments of \(definition.name) must be a JSON object. Call it as \(signature).")
        }
        let properties = definition.parameters["properties"]?.objectValue ?? [:]
        let required = (definition.parameters["required"]?.arrayValue ?? []).compactMap(\.stringValue)
        // A null optional argument means "not given".
        for (key, value) in object where value.isNull && !required.contains(key) { object[key] = nil }

        let missing = required.filter { object[$0] == nil || object[$0]!.isNull }
        if !missing.isEmpty {
            let unexpected = object.keys.filter { properties[$0] == nil }.sorted()
            var message = "\(definition.name) is missing the required argument\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))"
            if !unexpected.isEmpty { message += " (got unexpected \(unexpected.joined(separator: ", ")))" }
            throw ToolError(message + ". Call it as \(signature).")
        }
        for (key, value) in object {
            guard let type = properties[key]?["type"]?.stringValue else { continue }  // extra keys are ignored
            guard let repaired = Self.coerce(value, to: type) else {
                throw ToolError(
                    "argument '\(key)' of \(definition.name) must be \(type == "integer" ? "an" : "a") \(type), got \(Self.describe(value)). Call it as \(signature)."
                )
            }
            object[key] = repaired
        }
        return .object(object)
    }

    private func unknownTool(_ name: String) -> ToolError {
        ToolError("there is no tool named '\(name)'. Available tools: \(definitions.map { ToolSchema.signature(of: $0) }.joined(separator: "; ")).")
    }

    static func coerce(_ value: JSON, to type: String) -> JSON? {
        switch (type, value) {
        case ("string", .string): return value
        case ("integer", .number): return value.intValue.map(JSON.int)
        case ("integer", .string(let s)): return Int(s.trimmingCharacters(in: .whitespaces)).map(JSON.int)
        case ("boolean", .bool): return value
        case ("boolean", .string(let s)):
            switch s.lowercased() {
            case "true": return true
            case "false": return false
            default: return nil
            }
        case ("number", .number): return value
        case ("object", .object), ("array", .array): return value
        case ("string", _), ("integer", _), ("boolean", _), ("number", _), ("object", _), ("array", _): return nil
        default: return value
        }
    }

    static func describe(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return "the boolean \(b)"
        case .number(let n): return "the number \(n)"
        case .string(let s): return "the string \"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
