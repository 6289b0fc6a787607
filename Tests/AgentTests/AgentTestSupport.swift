import Agent
import ChildProcess
import Foundation
import JSONValue
import ModelClient
import Locking
import Testing

/// A real git repository in a temp folder, made with the git CLI (the code under test uses libgit2).
struct TempRepo {
    let path: String

    /// `setUp` runs after `git init`, before the first commit; `commit: false` leaves the files uncommitted.
    init(files: [String: String], commit: Bool = true, setUp: String? = nil) async throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("fp-agent-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files {
            let full = path + "/" + name
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        try await sh("git init -q")
        if let setUp { try await sh(setUp) }
        if commit { try await sh("git add -A && git -c user.name=t -c user.email=t@e commit -qm base") }
    }

    @discardableResult
    func sh(_ command: String) async throws -> String {
        let out = try await ChildProcess.shell(command, in: path)
        #expect(out.status == .exited(0), "\(command): \(out.stdoutText)")
        return out.stdoutText
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: path + "/" + name, encoding: .utf8) }

    /// Everything under the folder (including .git), hashed: to prove a run changed nothing.
    func fingerprint() async throws -> String {
        try await sh("find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum")
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// A tiny Python project whose test fails until `add` adds.
    static func pythonBug() async throws -> TempRepo {
        try await TempRepo(files: [
            "calc.py": "def add(a, b):\n    return a - b\n",
            "test_calc.py": "from calc import add\n\ndef test_add():\n    assert add(2, 3) == 5\n",
            "run_tests.sh": "python3 -c 'import test_calc; test_calc.test_add(); print(\"1 passed\")'\n",
        ])
    }
}

/// A model whose answers a test scripts. The harness under test is real; only the model is fake,
/// and every request it receives is recorded for inspection.
final class ScriptedModel: ChatModel {
    typealias Script = @Sendable (_ call: Int, _ request: ChatRequest) async throws(ModelError) -> ChatResponse
    private let script: Script
    private let recorded = Locked<[ChatRequest]>([])

    init(_ script: @escaping Script) { self.script = script }

    /// Answers with the given turns in order, then keeps submitting.
    convenience init(turns: [ChatResponse]) {
        self.init { call, _ in call < turns.count ? turns[call] : ScriptedModel.call("submit", ["summary": "done"], id: "final") }
    }

    var requests: [ChatRequest] { recorded.withLock { $0 } }

    func complete(_ request: ChatRequest, onDelta: @escaping @Sendable (StreamDelta) -> Void) async throws(ModelError) -> ChatResponse {
        let index = recorded.withLock { r in r.append(request); return r.count - 1 }
        if Task.isCancelled { throw .cancelled }
        return try await script(index, request)
    }

    static func call(_ name: String, _ arguments: JSON, id: String? = nil, reasoning: String? = nil,
                     promptTokens: Int = 100, cached: Int = 0) -> ChatResponse {
        let callID = id ?? "call_\(name)_\(UUID().uuidString.prefix(6))"
        let message = ChatMessage(role: .assistant, content: nil, reasoning: reasoning,
                                  toolCalls: [ToolCall(id: callID, name: name, arguments: arguments.serialized())])
        return ChatResponse(message: message, finishReason: "tool_calls",
                            usage: Usage(promptTokens: promptTokens, completionTokens: 20, cachedPromptTokens: cached))
    }

    static func text(_ content: String) -> ChatResponse {
        ChatResponse(message: ChatMessage(role: .assistant, content: content), finishReason: "stop", usage: Usage(promptTokens: 100, completionTokens: 20))
    }
}

func fixRequest(_ repo: TempRepo, issue: String = "add() subtracts instead of adding", maxSteps: Int = 30) -> FixRequest {
    var request = FixRequest(repository: repo.path, issue: issue, testCommand: "sh run_tests.sh")
    request.maxSteps = maxSteps
    request.commandTimeout = 60
    // These tests script the agent loop; the focused repair before it has its own (FocusedRepairTests).
    request.repairSamples = 0
    return request
}

func options(_ model: ScriptedModel, mode: ActionMode = .native, contextSize: Int = 16_384, trajectory: String? = nil, snapshots: String? = nil) -> RunOptions {
    var o = RunOptions()
    o.snapshotRoot = snapshots
    o.injectedModel = model
    o.actionMode = mode
    o.contextSize = contextSize
    o.trajectoryPath = trajectory
    return o
}

let theFix: [ChatResponse] = [
    ScriptedModel.call("read_file", ["path": "calc.py"]),
    ScriptedModel.call("edit_file", ["path": "calc.py", "old_text": "return a - b", "new_text": "return a + b"]),
    ScriptedModel.call("run_tests", [:]),
    ScriptedModel.call("submit", ["summary": "add adds"]),
]
