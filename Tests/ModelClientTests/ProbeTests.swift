import JSONValue
import ModelTestSupport
import Testing
@testable import ModelClient

@Suite struct ProbeTests {
    @Test func llamaServerProbe() async throws {
        let server = try LoopbackServer { req, _ in
            switch req.path {
            case "/health": .json(["status": "ok"])
            case "/v1/models": .json(["object": "list", "data": [["id": "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", "object": "model", "meta": ["n_ctx_train": 32768]]]])
            case "/props": .json(["default_generation_settings": ["n_ctx": 4096], "total_slots": 2, "chat_template": "{% for m in messages %}…"])
            default: .error(status: 404, message: "File Not Found")
            }
        }
        let info = try await client(server).probe()
        #expect(info.healthy)
        #expect(info.models == ["qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"])
        #expect(info.contextSize == 4096)  // the served context, not the trained one
        #expect(info.slots == 2)
        #expect(info.chatTemplate?.hasPrefix("{% for m") == true)
        #expect(server.connectionCount == 1)
    }

    /// Where /props is unavailable, llama-server's /v1/models meta still says the served per-slot
    /// context (n_ctx), which wins over the context the model was trained for (n_ctx_train).
    @Test func llamaServerModelsMetaServedContextWinsOverTrained() async throws {
        let server = try LoopbackServer { req, _ in
            switch req.path {
            case "/health": .json(["status": "ok"])
            case "/v1/models": .json(["object": "list", "data": [["id": "m.gguf", "object": "model", "meta": ["n_ctx": 2048, "n_ctx_train": 32768]]]])
            default: .error(status: 404, message: "File Not Found")
            }
        }
        let info = try await client(server).probe()
        #expect(info.contextSize == 2048)
    }

    /// The scripted llama-server answers /props and /v1/models in the real server's shape (as
    /// measured from llama-server with `-c 8192 -np 4`): per-slot n_ctx in both.
    @Test func scriptedServerProbesLikeTheRealOne() async throws {
        let server = try LoopbackServer.chatServer(turns: [], contextSize: 2048, slots: 4)
        defer { server.stop() }
        let info = try await client(server).probe()
        #expect(info.healthy)
        #expect(info.contextSize == 2048)
        #expect(info.slots == 4)
        #expect(info.chatTemplate != nil)
        #expect(info.models == ["scripted-model"])
        #expect(info.sampling == .llamaCpp, "llama.cpp lists its sampler chain")
    }

    @Test func vllmProbe() async throws {
        let server = try LoopbackServer { req, _ in
            switch req.path {
            case "/health": .text("")
            case "/v1/models": .json(["object": "list", "data": [["id": "moonshotai/Kimi-K2-Thinking", "max_model_len": 262144]]])
            default: .json(["detail": "Not Found"], status: 404)
            }
        }
        let info = try await client(server).probe()
        #expect(info.sampling == .openAI, "no /props: only OpenAI's sampling fields")
        #expect(info.healthy)
        #expect(info.models == ["moonshotai/Kimi-K2-Thinking"])
        #expect(info.contextSize == 262144)
        #expect(info.slots == nil)
    }

    @Test func loadingModelIsUnhealthy() async throws {
        let server = try LoopbackServer(replies: [.error(status: 503, message: "Loading model")])
        let info = try await client(server).probe()
        #expect(!info.healthy)
    }

    @Test func unreachableServerThrows() async throws {
        let c = ModelClient(endpoint: ModelEndpoint(baseURL: "http://127.0.0.1:\(LoopbackServer.closedPort())"))
        do {
            _ = try await c.probe()
            Issue.record("probe of a closed port succeeded")
        } catch {
            guard case .connection = error else { Issue.record("got \(error)"); return }
        }
    }
}
