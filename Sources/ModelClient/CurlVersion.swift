import CCurl
import CCurlShim

/// The libcurl this binary runs with, e.g. "7.88.1 (OpenSSL/3.0.17)".
public enum CurlVersion {
    public static var description: String {
        guard let info = curl_version_info(CURLVERSION_TENTH)?.pointee else { return "unknown" }
        let version = info.version.map { String(cString: $0) } ?? "?"
        let ssl = info.ssl_version.map { String(cString: $0) } ?? "no TLS"
        return "\(version) (\(ssl))"
    }
}
