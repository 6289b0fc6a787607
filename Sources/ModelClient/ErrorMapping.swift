import Foundation
import JSONValue

/// Turns what a server answered (an HTTP status, its headers and body, or an error object inside a
/// 200 answer or a stream chunk) into a typed `ModelError` that quotes the server.
enum ErrorMapping {
    /// `status` is the HTTP status; `body` the raw response body.
    static func error(status: Int, headers: [HTTPHeader], body: [UInt8], apiKeyEnv: String?) -> ModelError {
        let text = String(decoding: body, as: UTF8.self)
        let json = try? JSON.parse(body)
        let said = json.flatMap(serverMessage) ?? snippet(text)
        let errorObject = json?["error"]
        let code = errorObject?["code"]?.intValue ?? status

        if let overflow = contextOverflow(errorObject: errorObject ?? json, message: said) { return overflow }
        switch status {
        case 429:
            let after = headers.first { $0.name == "retry-after" }.flatMap { retryAfterSeconds($0.value) }
            return .rateLimited(retryAfter: after, message: said)
        case 408:
            return .timeout("server answered HTTP 408 (request timeout): \(said)")
        case 401, 403:
            let hint: String
            if let apiKeyEnv {
                hint = ProcessInfo.processInfo.environment[apiKeyEnv] == nil
                    ? " — environment variable \(apiKeyEnv) (the API key) is not set"
                    : " — check the API key in environment variable \(apiKeyEnv)"
            } else {
                hint = " — the server wants an API key: name its environment variable in the model configuration (apiKeyEnv)"
            }
            return .server(status: status, message: said + hint)
        default:
            if status == 503, said.lowercased().contains("loading") {
                return .server(status: 503, message: "\(said) (the model is still loading)")
            }
            return .server(status: code >= 400 ? code : status, message: said)
        }
    }

    /// An `{"error": …}` object found in a 200 answer or a stream chunk.
    static func error(inBody json: JSON) -> ModelError? {
        guard let errorValue = json["error"], !errorValue.isNull else { return nil }
        let said = serverMessage(json) ?? errorValue.serialized()
        if let overflow = contextOverflow(errorObject: errorValue, message: said) { return overflow }
        let code = errorValue["code"]?.intValue ?? 500
        if code == 429 { return .rateLimited(retryAfter: nil, message: said) }
        return .server(status: code >= 400 ? code : 500, message: said)
    }

    /// The human-readable part of an error body across servers' formats.
    static func serverMessage(_ json: JSON) -> String? {
        if let m = json["error"]?["message"]?.stringValue { return m }
        if let m = json["error"]?.stringValue { return m }
        if let m = json["message"]?.stringValue { return m }
        if let m = json["detail"]?.stringValue { return m }
        if let d = json["detail"]?.arrayValue { return JSON.array(d).serialized() }
        if case .object = json, json["error"] != nil { return json["error"]!.serialized() }
        return nil
    }

    /// Context overflow in the phrasings of llama.cpp, vLLM and SGLang.
    static func contextOverflow(errorObject: JSON?, message: String) -> ModelError? {
        // llama.cpp: {"type":"exceed_context_size_error","n_prompt_tokens":N,"n_ctx":M}
        if let object = errorObject, object["type"]?.stringValue == "exceed_context_size_error" {
            return .contextOverflow(promptTokens: object["n_prompt_tokens"]?.intValue, contextSize: object["n_ctx"]?.intValue, message: message)
        }
        let lower = message.lowercased()
        // vLLM: "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens (39000 in the messages, …)"
        // SGLang: "Requested token count exceeds the model's maximum context length of 4096 tokens. You requested a total of 5000 tokens: 4000 tokens from the input messages …"
        // SGLang: "The input (5000 tokens) is longer than the model's context length (4096 tokens)."
        // llama.cpp (older): "the request exceeds the available context size"
        let markers = ["maximum context length", "context length", "exceeds the available context size", "context window", "too many tokens", "prompt is too long"]
        guard markers.contains(where: lower.contains) else { return nil }
        let context = number(after: "maximum context length is ", in: lower)
            ?? number(after: "maximum context length of ", in: lower)
            ?? number(after: "context length (", in: lower)
            ?? number(after: "n_ctx", in: lower)
        let prompt = number(after: "tokens (", before: " in the messages", in: lower)
            ?? number(after: "tokens: ", before: " tokens from the input", in: lower)
            ?? number(after: "the input (", in: lower)
            ?? number(after: "you requested ", in: lower)
        return .contextOverflow(promptTokens: prompt, contextSize: context, message: message)
    }

    /// The first integer after `marker` (optionally required to be followed by `before`).
    static func number(after marker: String, before: String? = nil, in text: String) -> Int? {
        guard let range = text.range(of: marker) else { return nil }
        let rest = text[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == ":" }
        let digits = rest.prefix { $0.isNumber }
        guard let value = Int(digits) else { return nil }
        if let before, !rest.dropFirst(digits.count).hasPrefix(before) { return nil }
        return value
    }

    /// `Retry-After` as delta seconds or an HTTP-date.
    static func retryAfterSeconds(_ value: String) -> Double? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(v), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: v) { return max(0, date.timeIntervalSinceNow) }
        return nil
    }

    static func snippet(_ text: String, limit: Int = 500) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return "(empty body)" }
        return trimmed.count > limit ? String(trimmed.prefix(limit)) + "…" : trimmed
    }

    /// A transport failure in words that say what to check.
    static func error(for end: TransferEnd, url: String, receivedBytes: Bool) -> ModelError? {
        switch end {
        case .completed: return nil
        case .cancelled: return .cancelled
        case .timedOut(let stage, let seconds):
            switch stage {
            case "connect": return .timeout("could not connect to \(url) within \(seconds)s (connectTimeout)")
            case "first byte": return .timeout("no answer from \(url) within \(seconds)s (prefillTimeout; prefill of a long prompt on CPU can take minutes)")
            default: return .timeout("the answer from \(url) stalled: no byte for \(seconds)s (idleTimeout)")
            }
        case .failed(let code, let message):
            // 18 partial file, 52 got nothing, 55 send error, 56 recv error (reset), 92 HTTP/2 stream error
            if receivedBytes, [18, 56, 92, 52].contains(code) {
                return .streamCut("connection to \(url) broke mid-answer: \(message)")
            }
            if code == 28 { return .timeout("\(url): \(message)") }
            return .connection("\(url): \(message) (curl error \(code)) — is the model server running and reachable?")
        }
    }
}
