import JSONValue

/// llama.cpp's own account of one request (`timings` on the last streamed chunk): how much of the
/// prompt came from the slot's prefix cache, and how long prefill and generation took on the server.
/// With these, a caller can tell server time from transport time (scripts/bench-model.sh does).
public struct ServerTimings: Sendable, Hashable {
    /// Prompt tokens taken from the prefix cache (`cache_n`).
    public var cachedTokens: Int
    /// Prompt tokens evaluated for this request (`prompt_n`).
    public var promptTokens: Int
    /// Milliseconds of prefill (`prompt_ms`).
    public var promptMs: Double
    /// Tokens generated (`predicted_n`).
    public var generatedTokens: Int
    /// Milliseconds of generation (`predicted_ms`).
    public var generationMs: Double

    public init(cachedTokens: Int = 0, promptTokens: Int = 0, promptMs: Double = 0, generatedTokens: Int = 0, generationMs: Double = 0) {
        self.cachedTokens = cachedTokens
        self.promptTokens = promptTokens
        self.promptMs = promptMs
        self.generatedTokens = generatedTokens
        self.generationMs = generationMs
    }

    /// Reads a `timings` object; nil when it has none of the fields (not llama.cpp).
    public init?(_ json: JSON) {
        guard case .object = json else { return nil }
        let fields = ["cache_n", "prompt_n", "prompt_ms", "predicted_n", "predicted_ms"]
        guard fields.contains(where: { json[$0] != nil }) else { return nil }
        self.init(cachedTokens: json["cache_n"]?.intValue ?? 0, promptTokens: json["prompt_n"]?.intValue ?? 0,
                  promptMs: json["prompt_ms"]?.doubleValue ?? 0, generatedTokens: json["predicted_n"]?.intValue ?? 0,
                  generationMs: json["predicted_ms"]?.doubleValue ?? 0)
    }

    /// Generated tokens per second of generation time; nil without generation time.
    public var generationTokensPerSecond: Double? {
        generationMs > 0 ? Double(generatedTokens) / (generationMs / 1000) : nil
    }

    /// Seconds the server spent on the request (prefill plus generation).
    public var serverSeconds: Double { (promptMs + generationMs) / 1000 }
}
