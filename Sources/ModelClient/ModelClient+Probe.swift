import JSONValue

extension ModelClient {
    /// Asks the server what it is: `/health`, `/v1/models`, and llama.cpp's `/props` (context size,
    /// slots, chat template). Throws only when the server can't be reached at all.
    public func probe() async throws(ModelError) -> ServerInfo {
        let h = headers(accept: "application/json")
        func get(_ url: String) async -> HTTPTransport.Buffered {
            await transport.fetch(HTTPRequest(url: url, headers: h, connectTimeout: endpoint.connectTimeout, firstByteTimeout: 30, idleTimeout: 30))
        }
        let health = await get(endpoint.healthURL)
        if Task.isCancelled { throw .cancelled }
        if health.status == 0, let error = ErrorMapping.error(for: health.end, url: endpoint.healthURL, receivedBytes: false) {
            throw error
        }
        var info = ServerInfo(healthy: health.status == 200)
        let models = await get(endpoint.modelsURL)
        if models.status == 200, let json = try? JSON.parse(models.body) {
            for entry in json["data"]?.arrayValue ?? [] {
                if let id = entry["id"]?.stringValue { info.models.append(id) }
                // vLLM reports the served context length here.
                if info.contextSize == nil, let n = entry["max_model_len"]?.intValue { info.contextSize = n }
                // llama-server: meta.n_ctx is the served context per slot; n_ctx_train only what the
                // model was trained for (often far more than the server was started with).
                if info.contextSize == nil, let n = entry["meta"]?["n_ctx"]?.intValue ?? entry["meta"]?["n_ctx_train"]?.intValue { info.contextSize = n }
            }
            if health.status == 404 { info.healthy = true }  // hosted APIs have no /health
        } else if [401, 403].contains(models.status) {
            throw ErrorMapping.error(status: models.status, headers: models.headers, body: models.body, apiKeyEnv: endpoint.apiKeyEnv)
        }
        let props = await get(endpoint.propsURL)
        if props.status == 200, let json = try? JSON.parse(props.body) {
            if let n = json["default_generation_settings"]?["n_ctx"]?.intValue ?? json["n_ctx"]?.intValue { info.contextSize = n }
            info.slots = json["total_slots"]?.intValue
            info.chatTemplate = json["chat_template"]?.stringValue
            let settings = json["default_generation_settings"]
            info.samplers = (settings?["params"]?["samplers"] ?? settings?["samplers"])?.arrayValue?.compactMap(\.stringValue)
            if let path = json["model_path"]?.stringValue, info.models.isEmpty { info.models = [path] }
        }
        return info
    }
}
