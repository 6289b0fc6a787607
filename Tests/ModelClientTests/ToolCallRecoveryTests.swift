import JSONValue
import ModelTestSupport
import Testing
@testable import ModelClient

@Suite struct ToolCallRecoveryTests {
    let known: Set<String> = ["read_file", "search", "submit"]

    @Test func hermesBlocksAfterProse() throws {
        let text = """
        I'll read the file first.
        <tool_call>
        {"name": "read_file", "arguments": {"path": "src/a.swift"}}
        </tool_call>
        <tool_call>
        {"name": "search", "arguments": {"pattern": "foo"}}
        </tool_call>
        """
        let r = ToolCallRecovery.recover(text: text, knownTools: known)
        #expect(r.calls.map(\.name) == ["read_file", "search"])
        #expect(r.calls[0].arguments == "{\"path\":\"src/a.swift\"}")
        #expect(r.calls.allSatisfy { $0.id.hasPrefix("call_") })
        #expect(Set(r.calls.map(\.id)).count == 2)
        #expect(r.errors.isEmpty)
        #expect(r.remainingText == "I'll read the file first.")
    }

    @Test func hermesWithoutClosingTagAtEnd() {
        let r = ToolCallRecovery.recover(text: "<tool_call>\n{\"name\": \"submit\", \"arguments\": {\"summary\": \"done\"}}", knownTools: known)
        #expect(r.calls.first?.name == "submit")
        #expect(r.calls.first?.arguments == "{\"summary\":\"done\"}")
        #expect(r.remainingText.isEmpty)
    }

    @Test func kimiMarkersKeepIdsVerbatim() {
        let text = "Let me look.<|tool_calls_section_begin|><|tool_call_begin|>functions.read_file:3<|tool_call_argument_begin|>{\"path\": \"a.swift\"}<|tool_call_end|><|tool_call_begin|>functions.search:4<|tool_call_argument_begin|>{\"pattern\":\"x\"}<|tool_call_end|><|tool_calls_section_end|>"
        let r = ToolCallRecovery.recover(text: text, knownTools: known)
        #expect(r.calls == [
            ToolCall(id: "functions.read_file:3", name: "read_file", arguments: "{\"path\": \"a.swift\"}"),
            ToolCall(id: "functions.search:4", name: "search", arguments: "{\"pattern\":\"x\"}"),
        ])
        #expect(r.remainingText == "Let me look.")
    }

    @Test func bareAndFencedJSONNamingAKnownTool() {
        let bare = ToolCallRecovery.recover(text: "{\"name\": \"read_file\", \"arguments\": {\"path\": \"Package.swift\"}}", knownTools: known)
        #expect(bare.calls.first?.name == "read_file")
        #expect(bare.calls.first?.arguments == "{\"path\":\"Package.swift\"}")
        #expect(bare.remainingText.isEmpty)

        let fenced = ToolCallRecovery.recover(text: "Sure:\n```json\n{\"name\": \"search\", \"arguments\": {\"pattern\": \"TODO\"}}\n```\n", knownTools: known)
        #expect(fenced.calls.first?.name == "search")
        #expect(fenced.remainingText == "Sure:")
    }

    @Test func bareJSONNamingAnUnknownToolIsLeftAlone() {
        let text = "Here is an example config: {\"name\": \"my-app\", \"arguments\": {}}"
        let r = ToolCallRecovery.recover(text: text, knownTools: known)
        #expect(r.calls.isEmpty && r.errors.isEmpty)
        #expect(r.remainingText == text)
    }

    @Test func unambiguousArgumentRepairs() throws {
        // A trailing comma, and closing brackets missing at the end (generation stopped).
        #expect(try ToolCallRecovery.normalizedArguments("{\"path\": \"a\",}").get() == "{\"path\": \"a\"}")
        #expect(try ToolCallRecovery.normalizedArguments("{\"a\": [1, 2").get() == "{\"a\": [1, 2]}")
        // Valid JSON is kept verbatim, whitespace and all.
        #expect(try ToolCallRecovery.normalizedArguments("{ \"path\" : \"a\" }").get() == "{ \"path\" : \"a\" }")
    }

    @Test func ambiguousArgumentsBecomeFormatErrors() {
        let text = "<|tool_calls_section_begin|><|tool_call_begin|>functions.read_file:0<|tool_call_argument_begin|>{\"path\": \"a.swift<|tool_call_end|><|tool_calls_section_end|>"
        let r = ToolCallRecovery.recover(text: text, knownTools: known)
        #expect(r.calls.isEmpty)
        #expect(r.errors.count == 1)
        #expect(r.errors[0].contains("read_file"))
        #expect(r.errors[0].contains("not valid JSON"))
        let hermes = ToolCallRecovery.recover(text: "<tool_call>{\"name\": read_file}</tool_call>", knownTools: known)
        #expect(hermes.calls.isEmpty && hermes.errors.count == 1)
    }

    // Through the client: calls left in content or reasoning come back as tool calls.

    @Test func clientRecoversHermesCallFromContent() async throws {
        let script = ChatScript(content: "Reading.\n<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"a\"}}\n</tool_call>")
        let server = try LoopbackServer { req, _ in script.reply(to: req) }
        let r = try await client(server).complete(request()) { _ in }
        #expect(r.recoveredFromText)
        #expect(r.message.toolCalls.first?.name == "read_file")
        #expect(r.message.content == "Reading.")
    }

    @Test func clientRecoversKimiMarkersFromReasoning() async throws {
        let script = ChatScript(content: "", reasoning: "I should read it.<|tool_calls_section_begin|><|tool_call_begin|>functions.read_file:0<|tool_call_argument_begin|>{\"path\":\"b\"}<|tool_call_end|><|tool_calls_section_end|>")
        let server = try LoopbackServer { req, _ in script.reply(to: req) }
        let r = try await client(server).complete(request(stream: false)) { _ in }
        #expect(r.recoveredFromText)
        #expect(r.message.toolCalls == [ToolCall(id: "functions.read_file:0", name: "read_file", arguments: "{\"path\":\"b\"}")])
        #expect(r.message.reasoning == "I should read it.")
    }

    /// What the embedded Qwen2.5-Coder-0.5B sends on llama-server: a fenced object as content.
    @Test func clientRecoversFencedObjectOnlyForKnownTools() async throws {
        let script = ChatScript(content: "```json\n{\"name\": \"submit\", \"arguments\": {\"summary\": \"fixed\"}}\n```")
        let server = try LoopbackServer { req, _ in script.reply(to: req) }
        let r = try await client(server).complete(request()) { _ in }
        #expect(r.recoveredFromText)
        #expect(r.message.toolCalls.first?.name == "submit")
        #expect(r.message.content == nil)
        let unknown = try await client(server, knownTools: ["read_file"]).complete(request()) { _ in }
        #expect(!unknown.recoveredFromText)
        #expect(unknown.message.toolCalls.isEmpty)
    }

    @Test func clientReportsUnrecoverableCallsAsFormatErrors() async throws {
        let script = ChatScript(content: "<tool_call>{\"name\": \"read_file\", \"arguments\": {\"path\": \"x}</tool_call>")
        let server = try LoopbackServer { req, _ in script.reply(to: req) }
        let r = try await client(server).complete(request()) { _ in }
        #expect(!r.recoveredFromText)
        #expect(r.message.toolCalls.isEmpty)
        #expect(r.formatErrors.count == 1)
    }
}

@Suite struct ConstrainedActionTests {
    @Test func responseFormatHasOneBranchPerToolWithItsSchema() throws {
        let format = ConstrainedAction.responseFormat(for: [readFileTool, submitTool])
        #expect(format["type"] == "json_schema")
        let schema = try #require(format["json_schema"]?["schema"])
        let branches = try #require(schema["anyOf"]?.arrayValue)
        #expect(branches.count == 2)
        #expect(branches[0]["properties"]?["action"]?["enum"] == ["read_file"])
        #expect(branches[0]["properties"]?["tool_args"] == readFileTool.parameters)
        #expect(branches[0]["properties"]?["thought"]?["type"] == "string")
        #expect(branches[0]["required"] == ["action", "thought", "tool_args"])
        // Grammar builders follow the serialized (sorted) key order: the tool name must come first.
        let keys = try #require(branches[0]["properties"]?.objectValue).keys.sorted()
        #expect(keys == ["action", "thought", "tool_args"])
        // Deterministic bytes: the same tools give the same request body.
        #expect(format.serialized() == ConstrainedAction.responseFormat(for: [readFileTool, submitTool]).serialized())
    }

    @Test func parsesAnAction() throws {
        let (thought, call) = try ConstrainedAction.parse("{\"thought\": \"look\", \"tool\": \"read_file\", \"arguments\": {\"path\": \"a\"}}",
                                                          knownTools: ["read_file"]).get()
        #expect(thought == "look")
        #expect(call.name == "read_file")
        #expect(call.arguments == "{\"path\":\"a\"}")
        #expect(call.id.hasPrefix("call_"))
        let current = try ConstrainedAction.parse(#"{"action":"read_file","thought":"t","tool_args":{"path":"b"}}"#, knownTools: ["read_file"]).get()
        #expect(current.call.name == "read_file" && current.call.arguments == #"{"path":"b"}"# && current.thought == "t")
        let noArgs = try ConstrainedAction.parse("```json\n{\"thought\":\"\",\"tool\":\"git_diff\"}\n```", knownTools: ["git_diff"]).get()
        #expect(noArgs.call.arguments == "{}")
    }

    @Test func rejectsUnknownToolsAndNonJSON() {
        guard case .failure(let e) = ConstrainedAction.parse("{\"thought\":\"\",\"tool\":\"rm\",\"arguments\":{}}", knownTools: ["read_file"]) else {
            Issue.record("accepted an unknown tool"); return
        }
        #expect(e.description.contains("unknown tool \"rm\""))
        #expect(e.description.contains("read_file"))
        guard case .failure(let e2) = ConstrainedAction.parse("I think I should read", knownTools: ["read_file"]) else {
            Issue.record("accepted prose"); return
        }
        #expect(e2.description.contains("not valid JSON"))
    }
}
