import JSONValue
import ModelClient
import Testing

@testable import Agent

@Suite struct ToolsRegistryTests {
    let registry = ToolRegistry.standard(allowRunCommand: true)

    @Test func standardToolsFollowTheContract() {
        #expect(registry.names == [
            "list_files", "read_file", "search", "edit_file", "write_file", "apply_patch", "run_tests", "run_command",
            "git_diff", "submit",
        ])
        #expect(!ToolRegistry.standard(allowRunCommand: false).names.contains("run_command"))
        let signatures = registry.definitions.map { ToolSchema.signature(of: $0) }
        #expect(signatures == [
            "list_files(depth?: integer, path?: string)",
            "read_file(path: string, end_line?: integer, start_line?: integer)",
            "search(pattern: string, path?: string, regex?: boolean)",
            "edit_file(path: string, old_text: string, new_text: string)",
            "write_file(path: string, content: string)",
            "apply_patch(patch: string)",
            "run_tests(args?: string)",
            "run_command(command: string)",
            "git_diff()",
            "submit(summary: string)",
        ])
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
