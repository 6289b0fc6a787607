import CCurl
import CCurlShim
import Foundation

/// One blocking GET with libcurl, for liveness checks; returns the HTTP status (0 when nothing answered).
/// Runs on a thread of its own, off the cooperative pool.
enum HealthCheck {
    static let curlInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    static func status(of url: String, timeout: Double = 2) async -> Int {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: blockingStatus(url, timeout: timeout)) }
            thread.start()
        }
    }

    static func blockingStatus(_ url: String, timeout: Double) -> Int {
        _ = curlInit
        guard let handle = curl_easy_init() else { return 0 }
        defer { curl_easy_cleanup(handle) }
        fp_curl_setopt_string(handle, CURLOPT_URL, url)
        fp_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout * 1000))
        fp_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        fp_curl_setopt_string(handle, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1")
        fp_curl_setopt_write_function(handle) { _, size, count, _ in size * count }
        guard curl_easy_perform(handle) == CURLE_OK else { return 0 }
        var code = 0
        fp_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }
}
