import Foundation
import JSONValue
import ModelClient
import Testing

@testable import Agent

@Suite struct ToolsRegistryTests {
    let registry = ToolRegistry.standard(allowRunCommand: true)

    /// The tools' rows in docs/tools.md: name → arguments as written there (`path?` for optional ones).
    /// The table is the documented contract, so a tool is added by its file, its registry line and its
    /// row — this test needs no edit.
    static func documentedTools() throws -> [(name: String, arguments: Set<String>)] {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/tools.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, cells[1].hasPrefix("`"), cells[1].hasSuffix("`") else { return nil }
            let arguments = cells[2].split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            return (String(cells[1].dropFirst().dropLast()), Set(arguments))
        }
    }

    @Test func everyToolIsDocumentedWithItsArgumentsInOrder() throws {
        let documented = try Self.documentedTools()
        #expect(documented.map(\.name) == registry.names, "docs/tools.md's table and ToolRegistry.standard list the tools in one order")
        for tool in registry.tools {
            let required = Set((tool.definition.parameters["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            let properties = tool.definition.parameters["properties"]?.objectValue?.keys.map { $0 } ?? []
            let expected = Set(properties.map { required.contains($0) ? $0 : $0 + "?" })
            #expect(documented.first { $0.name == tool.name }?.arguments == expected, "\(tool.name)")
        }
        #expect(!ToolRegistry.standard(allowRunCommand: false).names.contains("run_command"))
        #expect(ToolRegistry.standard(allowRunCommand: false).names == registry.names.filter { $0 != "run_command" })
    }

    @Test func rolesAndSignaturesAreDeclaredOnce() {
        // Exactly one tool ends the run, and something can look, edit and run.
        #expect(registry.names(of: .submits).count == 1)
        for role in ToolRole.allCases { #expect(!registry.names(of: role).isEmpty, "\(role)") }
        // The constrained prompt lists every tool by the signature its errors use.
        let prompt = SystemPrompt.constrained(tools: registry.tools)
        for tool in registry.tools { #expect(prompt.contains("- \(tool.signature): "), "\(tool.name)") }
        #expect(registry.tool(named: "read_file")?.signature == "read_file(path: string, end_line?: integer, start_line?: integer)")
    }

    @Test func schemasStaySimpleEnoughForJSONSchemaResponseFormats() {
        for definition in registry.definitions {
            let schema = definition.parameters
            #expect(Set(schema.objectValue?.keys.map { $0 } ?? []) == ["type", "properties", "required"], "\(definition.name)")
            #expect(schema["type"] == "object")
            for (_, property) in schema["properties"]?.objectValue ?? [:] {
                #expect(Set(property.objectValue?.keys.map { $0 } ?? []) == ["type", "description"])
            }
            #expect(!definition.description.isEmpty)
        }
    }

    @Test func unknownToolListsTheToolsThatExist() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        let message = try #require(await f.failure("open_file", ["path": "a"]))
        #expect(message.contains("no tool named 'open_file'"))
        #expect(message.contains("read_file(path: string, end_line?: integer, start_line?: integer)"))
    }

    @Test func missingAndMistypedArgumentsRestateTheSchema() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        let missing = try #require(await f.failure("read_file", ["file_path": "a.txt"]))
        #expect(missing == "read_file is missing the required argument path (got unexpected file_path). Call it as read_file(path: string, end_line?: integer, start_line?: integer).")
        let mistyped = try #require(await f.failure("read_file", ["path": "a.txt", "start_line": "ten"]))
        #expect(mistyped.contains("argument 'start_line' of read_file must be an integer, got the string \"ten\""))
        let notObject = try #require(await f.failure("search", ["x"]))
        #expect(notObject.contains("must be a JSON object. Call it as search(pattern: string, path?: string, regex?: boolean)"))
        let nullRequired = try #require(await f.failure("write_file", ["path": "a", "content": nil]))
        #expect(nullRequired.contains("missing the required argument content"))
    }

    @Test func harmlessSlipsAreRepaired() throws {
        let read = try #require(registry.tool(named: "read_file")).definition
        let fixed = try registry.validate(["path": "a", "start_line": "12", "end_line": 20.0, "extra": true], for: read)
        #expect(fixed["start_line"] == 12)
        #expect(fixed["end_line"] == 20)
        let search = try #require(registry.tool(named: "search")).definition
        #expect(try registry.validate(["pattern": "x", "regex": "true", "path": nil], for: search) == ["pattern": "x", "regex": true])
    }

    @Test func argumentTextIsParsed() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.write("a.txt", "one\n")
        let context = try f.context()
        #expect(try await registry.call(name: "read_file", arguments: #"{"path": "a.txt"}"#, in: context) == "    1| one")
        #expect(try await registry.call(name: "submit", arguments: #"{"summary":"done"}"#, in: context) == SubmitTool.acknowledgement)
        // No arguments at all is an empty object for tools without required ones.
        #expect(try await registry.call(name: "list_files", arguments: "", in: context) == "a.txt")
        do {
            _ = try await registry.call(name: "read_file", arguments: #"{"path": "a.txt""#, in: context)
            Issue.record("broken JSON must be refused")
        } catch {
            #expect(error.message.hasPrefix("the arguments of read_file are not valid JSON"))
            #expect(error.message.contains("read_file(path: string"))
        }
    }
}
