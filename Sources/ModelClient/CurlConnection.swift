import CCurl
import CCurlShim
import Foundation
import Synchronization

/// One HTTP request for the transport. Never logged: headers may carry the API key.
struct HTTPRequest: Sendable {
    var method: String = "GET"
    var url: String
    var headers: [String] = []
    var body: [UInt8]? = nil
    var connectTimeout: Double = 10
    /// Seconds to wait for the first response byte (long prefill is silent).
    var firstByteTimeout: Double = 600
    /// Seconds allowed between bytes once the response has started.
    var idleTimeout: Double = 120
}

/// How a transfer ended, before any HTTP-level interpretation.
enum TransferEnd: Sendable, Equatable {
    case completed
    case cancelled
    /// `stage` is "connect", "first byte" or "idle".
    case timedOut(stage: String, seconds: Double)
    /// libcurl's error: code, its text and the detail from the error buffer.
    case failed(code: Int, message: String)
}

/// Set from any thread (task cancellation); read by the transfer thread every poll and in the
/// progress callback, which turns it into an abort.
final class CancelFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func cancel() { flag.store(true, ordering: .relaxed) }
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Callbacks' view of the running transfer. Only touched by the thread running `perform`.
final class TransferSink {
    let cancel: CancelFlag
    let onHead: (Int, [(String, String)]) -> Void
    let onData: ([UInt8]) -> Void
    var status = 0
    var headers: [(String, String)] = []
    var headDelivered = false
    var lastByte: ContinuousClock.Instant? = nil
    var bytesReceived = 0

    init(cancel: CancelFlag, onHead: @escaping (Int, [(String, String)]) -> Void, onData: @escaping ([UInt8]) -> Void) {
        self.cancel = cancel
        self.onHead = onHead
        self.onData = onData
    }

    func headerLine(_ raw: String) {
        let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            // A new status line (after 100 Continue or a redirect) starts a new header block.
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = []
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((name, value))
        } else if line.isEmpty, status >= 200 {
            deliverHead()
        }
    }

    func deliverHead() {
        guard !headDelivered, status != 0 else { return }
        headDelivered = true
        onHead(status, headers)
    }

    func data(_ bytes: [UInt8]) {
        lastByte = .now
        bytesReceived += bytes.count
        deliverHead()
        onData(bytes)
    }
}

/// A libcurl easy handle plus the multi handle that drives it. Owns both, the header list and the
/// error buffer. Not Sendable: used by one thread at a time, handed between threads only through
/// `ConnectionPool`. Keeping the pair alive keeps the multi handle's connection cache, so the next
/// request to the same server reuses the TCP/TLS connection.
final class CurlConnection {
    private let easy: UnsafeMutableRawPointer
    private let multi: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>? = nil
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var bodyStorage: UnsafeMutablePointer<UInt8>? = nil

    init?() {
        CurlGlobal.ensureInitialized()
        guard let easy = curl_easy_init() else { return nil }
        guard let multi = curl_multi_init() else {
            curl_easy_cleanup(easy)
            return nil
        }
        self.easy = easy
        self.multi = multi
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_multi_cleanup(multi)
        if let headerList { curl_slist_free_all(headerList) }
        bodyStorage?.deallocate()
        errorBuffer.deallocate()
    }

    /// Runs the request on the calling thread (which must not be a cooperative-pool thread),
    /// delivering head and body chunks through `sink` as they arrive.
    func perform(_ request: HTTPRequest, sink: TransferSink) -> TransferEnd {
        curl_easy_reset(easy)
        errorBuffer[0] = 0
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        bodyStorage?.deallocate()
        bodyStorage = nil

        _ = fp_curl_setopt_string(easy, CURLOPT_URL, request.url)
        _ = fp_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = fp_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = fp_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1000))
        _ = fp_curl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        _ = fp_curl_setopt_long(easy, CURLOPT_TCP_NODELAY, 1)
        // Compressed SSE would be buffered by the decoder; ask for identity.
        _ = fp_curl_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "identity")
        // Proxies come from http_proxy/https_proxy/no_proxy (libcurl's default); TLS verification stays on.
        // A proxy can't reach our loopback, so a local server is always talked to directly.
        if Self.isLoopback(request.url) { _ = fp_curl_setopt_string(easy, CURLOPT_NOPROXY, "*") }

        var list: UnsafeMutablePointer<curl_slist>? = nil
        for header in request.headers + ["Expect:"] { list = curl_slist_append(list, header) }
        headerList = list
        _ = fp_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, list)

        if let body = request.body {
            let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(body.count, 1))
            storage.initialize(from: body, count: body.count)
            bodyStorage = storage
            _ = fp_curl_setopt_long(easy, CURLOPT_POST, 1)
            _ = fp_curl_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            _ = fp_curl_setopt_pointer(easy, CURLOPT_POSTFIELDS, storage)
        }
        if request.method != "GET" && request.method != "POST" {
            _ = fp_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
        }

        let context = Unmanaged.passUnretained(sink).toOpaque()
        _ = fp_curl_setopt_write_function(easy) { ptr, size, count, userdata in
            let sink = Unmanaged<TransferSink>.fromOpaque(userdata!).takeUnretainedValue()
            let n = size * count
            if sink.cancel.isCancelled { return 0 }  // a short write aborts the transfer
            if let ptr, n > 0 {
                sink.data(Array(UnsafeRawBufferPointer(start: ptr, count: n)))
            }
            return n
        }
        _ = fp_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        _ = fp_curl_setopt_header_function(easy) { ptr, size, count, userdata in
            let sink = Unmanaged<TransferSink>.fromOpaque(userdata!).takeUnretainedValue()
            let n = size * count
            if let ptr, n > 0 {
                let bytes = UnsafeRawBufferPointer(start: ptr, count: n)
                sink.headerLine(String(decoding: bytes, as: UTF8.self))
            }
            return n
        }
        _ = fp_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
        _ = fp_curl_setopt_long(easy, CURLOPT_NOPROGRESS, 0)
        _ = fp_curl_setopt_xferinfo_function(easy) { userdata, _, _, _, _ in
            let sink = Unmanaged<TransferSink>.fromOpaque(userdata!).takeUnretainedValue()
            return sink.cancel.isCancelled ? 1 : 0
        }
        _ = fp_curl_setopt_pointer(easy, CURLOPT_XFERINFODATA, context)

        return drive(request, sink: sink)
    }

    /// The multi loop: poll in short slices so cancellation and our own first-byte/idle deadlines
    /// act within ~50 ms, which libcurl's easy interface (progress callback ~1/s when idle) can't.
    private func drive(_ request: HTTPRequest, sink: TransferSink) -> TransferEnd {
        let start = ContinuousClock.now
        curl_multi_add_handle(multi, easy)
        defer { curl_multi_remove_handle(multi, easy) }
        var ending: TransferEnd? = nil
        while ending == nil {
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var remaining: Int32 = 0
            while let msg = curl_multi_info_read(multi, &remaining) {
                if msg.pointee.msg == CURLMSG_DONE {
                    ending = end(for: msg.pointee.data.result, request: request, sink: sink)
                }
            }
            if ending != nil { break }
            if running == 0 {
                ending = .failed(code: -1, message: "transfer stopped without a result")
                break
            }
            if sink.cancel.isCancelled {
                ending = .cancelled
                break
            }
            let now = ContinuousClock.now
            if let last = sink.lastByte {
                if now - last > .seconds(request.idleTimeout) {
                    ending = .timedOut(stage: "idle", seconds: request.idleTimeout)
                }
            } else if now - start > .seconds(request.firstByteTimeout) {
                ending = .timedOut(stage: "first byte", seconds: request.firstByteTimeout)
            }
            if ending != nil { break }
            curl_multi_poll(multi, nil, 0, 50, nil)
        }
        if case .completed = ending { sink.deliverHead() }
        return ending!
    }

    /// True for http(s) URLs whose host is 127.x.x.x, localhost or [::1].
    static func isLoopback(_ url: String) -> Bool {
        guard let scheme = url.range(of: "://") else { return false }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@").last.map(String.init) ?? ""
        let host: String
        if hostPort.hasPrefix("[") {
            host = String(hostPort.prefix { $0 != "]" }.dropFirst())
        } else {
            host = String(hostPort.prefix { $0 != ":" })
        }
        let lower = host.lowercased()
        return lower == "localhost" || lower.hasSuffix(".localhost") || lower == "::1" || lower.hasPrefix("127.")
    }

    private func end(for code: CURLcode, request: HTTPRequest, sink: TransferSink) -> TransferEnd {
        if code == CURLE_OK { return .completed }
        if sink.cancel.isCancelled { return .cancelled }
        if code == CURLE_OPERATION_TIMEDOUT, sink.status == 0 {
            return .timedOut(stage: "connect", seconds: request.connectTimeout)
        }
        let detail = String(cString: errorBuffer)
        let text = String(cString: curl_easy_strerror(code))
        return .failed(code: Int(code.rawValue), message: detail.isEmpty ? text : "\(text): \(detail)")
    }
}
