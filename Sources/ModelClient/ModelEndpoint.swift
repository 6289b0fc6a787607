/// Where a chat-completions server lives and how patiently to talk to it.
public struct ModelEndpoint: Sendable, Hashable {
    /// e.g. `http://127.0.0.1:8080` or `https://api.moonshot.ai/v1`; a trailing `/v1` is optional.
    public var baseURL: String
    /// Sent as `model` when a request names none; `nil` lets single-model servers (llama-server) pick.
    public var model: String?
    /// Name of the environment variable holding the API key. The key itself is read per request and
    /// never stored in this struct, logged, or put into an error message.
    public var apiKeyEnv: String?
    /// Seconds to establish the TCP (and TLS) connection.
    public var connectTimeout: Double = 10
    /// Seconds without a byte once the response has started (between streamed chunks).
    public var idleTimeout: Double = 120
    /// Seconds to wait for the first response byte. Prefill of a long prompt is silent and takes
    /// minutes on CPU offload, so this is much longer than `idleTimeout`.
    public var prefillTimeout: Double = 1800
    /// Retries of transient failures (connection, 408, 429, 5xx, stream cut) after the first attempt.
    public var maxRetries: Int = 4
    /// Total seconds spent across all attempts and backoff sleeps before giving up.
    public var retryBudget: Double = 300
    /// First backoff delay; doubled per retry (capped at `maxRetryDelay`) with jitter.
    public var retryBaseDelay: Double = 0.5
    public var maxRetryDelay: Double = 30
    /// Idle pooled connections kept for reuse (one per concurrent request, e.g. per trajectory).
    public var maxPooledConnections: Int = 8

    public init(baseURL: String, model: String? = nil, apiKeyEnv: String? = nil) {
        self.baseURL = baseURL
        self.model = model
        self.apiKeyEnv = apiKeyEnv
    }

    /// The server root without a trailing `/` or `/v1`: `http://h:8080/v1/` → `http://h:8080`.
    public var rootURL: String {
        var s = baseURL
        while s.hasSuffix("/") { s.removeLast() }
        if s.hasSuffix("/v1") { s.removeLast(3) }
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }

    public var chatCompletionsURL: String { rootURL + "/v1/chat/completions" }
    public var modelsURL: String { rootURL + "/v1/models" }
    public var healthURL: String { rootURL + "/health" }
    public var propsURL: String { rootURL + "/props" }
}
