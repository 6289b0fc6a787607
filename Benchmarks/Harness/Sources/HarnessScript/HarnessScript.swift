import Foundation
import JSONValue
import ModelClient
import ModelTestSupport

/// The scripted run both agents take in the harness benchmarks: `steps - 1` reads of 45-line windows
/// of 20 modules (each step adds ~2.8 KB to Fixpoint's requests, so 300 steps carry ~250K tokens of
/// history at llama.cpp's ~0.3 tokens per byte), then a submit. The server's context (320K tokens,
/// as `llama-server -c 327680` reports it) leaves that history whole: no compaction. The model server answers each step at once, the way
/// llama-server answers (the same `/health`, `/props`, `/v1/models`, streamed or not as asked, usage
/// counted from the request's size), so what the benchmark times is the agent, not the model.
public enum HarnessScript {
    /// Which agent the answers are for: Fixpoint's tools, or mini-swe-agent's one `bash` tool.
    public enum Flavor: String, Sendable, CaseIterable {
        case fixpoint, peer
    }

    public static let modules = 20
    public static let linesPerModule = 240
    public static let windowLines = 45
    /// Prompt tokens per request byte, as the scripted server counts them.
    public static let tokensPerByte = 0.3

    /// The repository: a module tree, and a passing test so a submit with no change stands.
    public static var repositoryFiles: [String: String] {
        var files = [
            "calc.py": "def add(a, b):\n    return a + b\n",
            "test_calc.py": "from calc import add\n\ndef test_add():\n    assert add(2, 3) == 5\n",
            "run_tests.sh": "python3 -c 'import test_calc; test_calc.test_add(); print(\"1 passed\")'\n",
        ]
        for f in 0..<modules {
            files["pkg/module_\(f).py"] = (1...(linesPerModule / 2)).map {
                "def function_\(f)_\($0)(x):  # helper number \($0) in module \(f), kept for its weight\n    return x * \($0)\n"
            }.joined()
        }
        return files
    }

    public static let testCommand = "sh run_tests.sh"
    public static let issue = "Read through the helper modules in pkg/ and report what they do."

    /// Writes the repository into `folder` and commits it (git must be on PATH).
    public static func makeRepository(at folder: String) throws {
        let fm = FileManager.default
        for (name, text) in repositoryFiles {
            let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        for args in [["init", "-q"], ["add", "-A"],
                     ["-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", "fixture"]] {
            let git = Process()
            git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            git.arguments = ["git", "-C", folder] + args
            try git.run()
            git.waitUntilExit()
            guard git.terminationStatus == 0 else { throw ScriptError("git \(args.joined(separator: " ")) failed in \(folder)") }
        }
    }

    /// The call the model makes at `step` (1-based) of a `steps`-step run.
    public static func call(step: Int, of steps: Int, flavor: Flavor) -> ToolCall {
        let module = "pkg/module_\(step % modules).py"
        let start = 1 + (step / modules * 7) % (linesPerModule - windowLines)
        let end = start + windowLines - 1
        switch (flavor, step >= steps) {
        case (.fixpoint, false):
            return ToolCall(id: "call_\(step)", name: "read_file", arguments: #"{"end_line":\#(end),"path":"\#(module)","start_line":\#(start)}"#)
        case (.fixpoint, true):
            return ToolCall(id: "call_\(step)", name: "submit", arguments: #"{"summary":"read every module"}"#)
        case (.peer, false):
            return ToolCall(id: "call_\(step)", name: "bash", arguments: #"{"command":"sed -n '\#(start),\#(end)p' \#(module)"}"#)
        case (.peer, true):
            return ToolCall(id: "call_\(step)", name: "bash", arguments: #"{"command":"echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT"}"#)
        }
    }

    /// The answer to chat request `index` (0-based): step `index + 1`'s call, with a short thought.
    public static func reply(to request: RecordedRequest, index: Int, steps: Int, flavor: Flavor) -> ScriptedReply {
        let step = index + 1
        guard step <= steps else { return .error(status: 400, message: "the scripted run has \(steps) steps; this is request \(step)") }
        let prompt = Int(Double(request.body.count) * tokensPerByte)
        let script = ChatScript(
            content: "Step \(step): reading the next window of the helpers.", toolCalls: [call(step: step, of: steps, flavor: flavor)],
            usage: Usage(promptTokens: prompt, completionTokens: 24, cachedPromptTokens: max(0, prompt - 900)),
            pieceSize: 64)
        return script.reply(to: request)
    }

    /// A loopback model server for one `steps`-step run (each run needs its own: requests are numbered).
    /// `answerDelay`: seconds before each chat answer (0: at once).
    public static func server(steps: Int, flavor: Flavor, contextSize: Int = 327_680, answerDelay: Double = 0) throws -> LoopbackServer {
        try LoopbackServer.chatServer(turns: [], contextSize: contextSize, model: "scripted-model") { request, index in
            var answer = reply(to: request, index: index, steps: steps, flavor: flavor)
            answer.delayBeforeHead = answerDelay
            return answer
        }
    }

    /// The agent's own time before each request, in nanoseconds: from the moment the previous answer
    /// was sent in full to the moment this request had arrived in full. Element `k` is step `k + 2`'s
    /// (the first request has no previous answer).
    public static func gaps(_ server: LoopbackServer) -> [Int64] {
        let chats = server.requests.enumerated().filter { $0.element.path.hasSuffix("/chat/completions") }
        var out: [Int64] = []
        for (previous, current) in zip(chats, chats.dropFirst()) {
            guard let answered = server.answeredAt(previous.offset) else { continue }
            let gap = current.element.receivedAt - answered
            out.append(gap.components.seconds * 1_000_000_000 + gap.components.attoseconds / 1_000_000_000)
        }
        return out
    }

    /// Median of `values[range]` (steps are 1-based: the gap before step s is `gaps[s - 2]`).
    public static func median(ofSteps steps: ClosedRange<Int>, in gaps: [Int64]) -> Int64? {
        let window = gaps.indices.filter { steps.contains($0 + 2) }.map { gaps[$0] }.sorted()
        return window.isEmpty ? nil : window[window.count / 2]
    }
}

public struct ScriptError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
