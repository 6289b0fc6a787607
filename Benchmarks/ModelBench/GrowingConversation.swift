import Foundation
import JSONValue
import ModelClient

/// A scripted agent-like conversation against the real llama-server, for the prefix-cache hit rate
/// over a longer run than the fixture's few steps: a system prompt, tools and an issue, then per
/// step the model's real answer appended verbatim (native or recovered tool calls with their ids,
/// as the agent keeps them) and a tool observation (8 lines of one of this repository's source
/// files), so every request extends the previous one, as the agent's do.
struct GrowingConversation {
    let baseURL: String
    let steps: Int
    let answerTokens: Int
    let sourceFiles: [String]

    static let system = """
        You are a software engineer fixing an issue in a repository. Work in small steps: look at the code \
        with read_file and search, change it with edit_file, and call submit when the fix is done. Call \
        exactly one tool per answer. Paths are relative to the repository root. Keep answers short.
        """

    static let tools: [ToolDefinition] = [
        ToolDefinition(name: "read_file", description: "Read a file, optionally a line range.", parameters: [
            "type": "object", "required": ["path"],
            "properties": ["path": ["type": "string"], "start_line": ["type": "integer"], "end_line": ["type": "integer"]],
        ]),
        ToolDefinition(name: "search", description: "Search the files for a text.", parameters: [
            "type": "object", "required": ["pattern"], "properties": ["pattern": ["type": "string"], "path": ["type": "string"]],
        ]),
        ToolDefinition(name: "edit_file", description: "Replace the one occurrence of old_text with new_text.", parameters: [
            "type": "object", "required": ["path", "old_text", "new_text"],
            "properties": ["path": ["type": "string"], "old_text": ["type": "string"], "new_text": ["type": "string"]],
        ]),
        ToolDefinition(name: "submit", description: "Finish with a summary of the fix.", parameters: [
            "type": "object", "required": ["summary"], "properties": ["summary": ["type": "string"]],
        ]),
    ]

    func run() async -> [RunReading.Request] {
        var endpoint = ModelEndpoint(baseURL: baseURL)
        endpoint.maxRetries = 0
        let client = ModelClient(endpoint: endpoint)
        var messages: [ChatMessage] = [
            .system(Self.system),
            .user("Issue: the SSE parser drops the last event when a stream ends without a blank line. Find where events are dispatched and fix it."),
        ]
        var requests: [RunReading.Request] = []
        for step in 1...steps {
            var request = ChatRequest(messages: messages, tools: Self.tools)
            request.model = "bench"
            request.temperature = 0
            request.seed = 1
            request.maxTokens = answerTokens
            let response: ChatResponse
            do { response = try await client.complete(request) { _ in } } catch { fail("step \(step): \(error)") }
            let usage = response.usage
            requests.append(RunReading.Request(step: step, promptTokens: usage.promptTokens, cachedTokens: usage.cachedPromptTokens,
                                               completionTokens: usage.completionTokens, wallS: response.telemetry.wallS))
            FileHandle.standardError.write(Data("step \(step)/\(steps): prompt \(usage.promptTokens), cached \(usage.cachedPromptTokens), calls \(response.message.toolCalls.map(\.name)), format errors \(response.formatErrors.count), content \(String(reflecting: (response.message.content ?? "").prefix(80)))\n".utf8))
            messages.append(response.message)
            let observation = observation(step)
            if response.message.toolCalls.isEmpty {
                messages.append(.user("Call one of the tools. Meanwhile, here is a file that may help:\n" + observation))
            } else {
                for call in response.message.toolCalls { messages.append(.tool(callID: call.id, name: call.name, content: observation)) }
            }
        }
        return requests
    }

    /// 8 lines of the step's source file, numbered as read_file numbers them.
    func observation(_ step: Int) -> String {
        let path = sourceFiles[step % sourceFiles.count]
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(8)
        return "\(path)\n" + lines.enumerated().map { "\($0.offset + 1)\t\($0.element)" }.joined(separator: "\n")
    }
}
