import JSONValue
import ModelClient
import Synchronization

extension LoopbackServer {
    /// A fake OpenAI-compatible model server for agent tests. Chat requests get `turns` in order
    /// (streamed or not, as each request asks); `/health`, `/v1/models` and `/props` answer like
    /// llama-server. `fault` sees each chat request with its 0-based chat number and may return a
    /// reply to send instead (a 503, a cut stream, …); the turn is then kept for the next request.
    /// When the turns run out the server answers 400 "no more scripted turns". `contextSize` is per
    /// slot, as llama-server's `/props` reports it (`-c 32768 -np 4` → 8192).
    public static func chatServer(
        turns: [ChatScript], contextSize: Int = 32768, slots: Int = 1, model: String = "scripted-model",
        fault: (@Sendable (RecordedRequest, Int) -> ScriptedReply?)? = nil
    ) throws -> LoopbackServer {
        let counters = Mutex((chatRequests: 0, turnsUsed: 0))
        return try LoopbackServer { request, _ in
            switch request.path {
            case "/health":
                return .json(["status": "ok"])
            case "/v1/models":
                return .json(["object": "list", "data": [["id": .string(model), "object": "model"]]])
            case "/props":
                return .json(["default_generation_settings": ["n_ctx": .int(contextSize)], "total_slots": .int(slots)])
            case "/v1/chat/completions":
                let chatNumber = counters.withLock { c -> Int in
                    c.chatRequests += 1
                    return c.chatRequests - 1
                }
                if let fault, let reply = fault(request, chatNumber) { return reply }
                let turn = counters.withLock { c -> Int in
                    c.turnsUsed += 1
                    return c.turnsUsed - 1
                }
                guard turn < turns.count else {
                    return .error(status: 400, message: "no more scripted turns (\(turns.count) scripted, this is request \(chatNumber + 1))")
                }
                return turns[turn].reply(to: request)
            default:
                return .error(status: 404, message: "File Not Found: \(request.path)")
            }
        }
    }

    /// The chat-completion requests received so far, in order.
    public var chatRequests: [RecordedRequest] { requests.filter { $0.path.hasSuffix("/chat/completions") } }
}
