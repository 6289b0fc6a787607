/// A short GET for liveness checks (the embedded server's `/health`), through the model client's own
/// libcurl transport so there is one HTTP path.
public final class HealthCheck: Sendable {
    private let transport = HTTPTransport(poolCapacity: 1)
    private let request: HTTPRequest

    public init(url: String, timeout: Double) {
        request = HTTPRequest(url: url, connectTimeout: timeout, firstByteTimeout: timeout, idleTimeout: timeout)
    }

    /// The HTTP status, or 0 when nothing answered.
    public func status() async -> Int { await transport.fetch(request).status }
}
