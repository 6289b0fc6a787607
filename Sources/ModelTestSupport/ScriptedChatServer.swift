import JSONValue
import ModelClient
import Locking

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
        let counters = Locked((chatRequests: 0, turnsUsed: 0))
        return try LoopbackServer { request, _ in
            switch request.path {
            case "/health":
                return .json(["status": "ok"])
            case "/v1/models":
                return .json(llamaServerModels(model: model, contextSize: contextSize))
            case "/props":
                return .json(llamaServerProps(model: model, contextSize: contextSize, slots: slots))
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

/// `/props` in the shape llama-server answers it (recorded from `llama-server -c 8192 -np 4`, trimmed):
/// `default_generation_settings.n_ctx` is the context of ONE slot.
func llamaServerProps(model: String, contextSize: Int, slots: Int) -> JSON {
    [
        "default_generation_settings": [
            "n_ctx": .int(contextSize),
            "params": ["seed": 4_294_967_295, "temperature": 0.8, "top_k": 40, "top_p": 0.95, "min_p": 0.05, "n_predict": -1,
                       "samplers": ["penalties", "dry", "top_n_sigma", "top_k", "typ_p", "top_p", "min_p", "xtc", "temperature"]],
        ],
        "total_slots": .int(slots),
        "model_alias": .string(model), "model_path": .string(model), "model_ftype": "Q4_K - Medium",
        "modalities": ["vision": false, "video": false, "audio": false],
        "chat_template": "{%- if tools %}{{- '<|im_start|>system' }}{%- endif %}",
        "chat_template_caps": ["supports_tools": true, "supports_tool_calls": true, "supports_system_role": true,
                               "supports_parallel_tool_calls": true],
        "bos_token": "<|endoftext|>", "eos_token": "<|im_end|>", "build_info": "scripted",
        "endpoint_slots": true, "endpoint_props": false, "endpoint_metrics": false, "is_sleeping": false,
    ]
}

/// `/v1/models` as llama-server answers it: `meta.n_ctx` is per slot, `n_ctx_train` what the model
/// was trained for.
func llamaServerModels(model: String, contextSize: Int) -> JSON {
    [
        "object": "list",
        "models": [["name": .string(model), "model": .string(model), "type": "model", "capabilities": ["completion"]]],
        "data": [[
            "id": .string(model), "aliases": [.string(model)], "tags": [], "object": "model", "created": 1, "owned_by": "llamacpp",
            "meta": ["vocab_type": 2, "n_vocab": 151_936, "n_ctx": .int(contextSize), "n_ctx_train": 32_768, "n_embd": 896],
        ]],
    ]
}
