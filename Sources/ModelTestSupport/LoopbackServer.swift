import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

public struct LoopbackServerError: Error, CustomStringConvertible {
    public var description: String
}

/// A loopback HTTP/1.1 server for tests: it records every request and answers each with a
/// `ScriptedReply` — including slow first bytes, pauses between chunks, cut streams, resets and
/// hangs. Connections are kept alive between requests, so tests can see connection reuse.
/// Each connection is served by its own thread with blocking sockets (never the cooperative pool).
public final class LoopbackServer: Sendable {
    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private struct State {
        var requests: [RecordedRequest] = []
        var connections = 0
        var disconnects: [ContinuousClock.Instant] = []
        /// When the last byte of each request's answer was sent, by request number.
        var answeredAt: [Int: ContinuousClock.Instant] = [:]
        /// How playing each request's answer ended, by request number.
        var ends: [Int: ReplyEnd] = [:]
    }

    private let listenFD: Int32
    /// A pipe whose write end `stop()` closes, waking the accept thread's poll.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let state = Mutex(State())
    private let stopped = Atomic<Bool>(false)
    private let handler: @Sendable (RecordedRequest, Int) -> ScriptedReply

    /// `handler` gets each request and its 0-based number across the server's life.
    public init(handler: @escaping @Sendable (RecordedRequest, Int) -> ScriptedReply) throws {
        signal(SIGPIPE, SIG_IGN)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackServerError(description: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw LoopbackServerError(description: "bind/listen on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        listenFD = fd
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            close(fd)
            throw LoopbackServerError(description: "pipe: \(String(cString: strerror(errno)))")
        }
        wakeRead = pipeFDs[0]
        wakeWrite = pipeFDs[1]
        port = Int(UInt16(bigEndian: addr.sin_port))
        self.handler = handler
        // The accept thread keeps the server alive (a test need not hold it) until `stop()`; it
        // blocks in poll(2) without a timeout, so a server nobody stops costs no CPU.
        let thread = Thread { [self] in
            while acceptOnce() {}
            closeListener()
        }
        thread.name = "loopback-accept"
        thread.start()
    }

    /// Answers requests with `replies` in order; the last one repeats.
    public convenience init(replies: [ScriptedReply]) throws {
        precondition(!replies.isEmpty)
        try self.init { _, n in replies[min(n, replies.count - 1)] }
    }

    /// Stops accepting; open connections end at their next step. Servers that are never stopped
    /// live (idle, blocked) until the test process ends.
    public func stop() {
        if stopped.exchange(true, ordering: .relaxed) { return }
        close(wakeWrite)
    }

    private func closeListener() {
        close(listenFD)
        close(wakeRead)
    }

    public var requests: [RecordedRequest] { state.withLock { $0.requests } }
    /// When the answer to request `index` (0-based, as the handler numbers it) was sent in full.
    public func answeredAt(_ index: Int) -> ContinuousClock.Instant? { state.withLock { $0.answeredAt[index] } }
    /// How playing the answer to request `index` ended; nil while it is still playing.
    public func replyEnd(_ index: Int) -> ReplyEnd? { state.withLock { $0.ends[index] } }
    /// Connections accepted so far.
    public var connectionCount: Int { state.withLock { $0.connections } }
    /// When clients closed their connections (in order), to measure how fast an abort arrives.
    public var disconnectTimes: [ContinuousClock.Instant] { state.withLock { $0.disconnects } }

    /// A port on which nothing listens (connection refused): bound, read, and closed again.
    public static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return 9 }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        return ok ? Int(UInt16(bigEndian: addr.sin_port)) : 9
    }

    // MARK: Accepting

    /// Waits up to 100 ms for a connection and serves it on its own thread; false once stopped.
    private func acceptOnce() -> Bool {
        if stopped.load(ordering: .relaxed) { return false }
        var fds = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        guard poll(&fds, 2, -1) > 0, !stopped.load(ordering: .relaxed) else { return !stopped.load(ordering: .relaxed) }
        guard fds[0].revents & Int16(POLLIN) != 0 else { return true }
        let client = accept(listenFD, nil, nil)
        if client < 0 { return true }
        var one: Int32 = 1
        setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let number = state.withLock { s -> Int in
            s.connections += 1
            return s.connections
        }
        // A connection thread holds the server while its client is connected.
        let thread = Thread { [self] in serve(client, number: number) }
        thread.name = "loopback-conn"
        thread.start()
        return true
    }

    // MARK: One connection

    private func serve(_ fd: Int32, number: Int) {
        var buffer: [UInt8] = []
        var keepOpen = true
        while keepOpen, !stopped.load(ordering: .relaxed) {
            guard let request = readRequest(fd, buffer: &buffer, connection: number) else { break }
            let index = state.withLock { s -> Int in
                s.requests.append(request)
                return s.requests.count - 1
            }
            let end: ReplyEnd
            (end, keepOpen) = respond(fd, reply: handler(request, index))
            let answered = ContinuousClock.now
            state.withLock { $0.answeredAt[index] = answered; $0.ends[index] = end }
        }
        close(fd)
        state.withLock { $0.disconnects.append(.now) }
    }

    /// Reads one request (head + Content-Length body); nil when the client closed or we stopped.
    private func readRequest(_ fd: Int32, buffer: inout [UInt8], connection: Int) -> RecordedRequest? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int? = nil
        while true {
            if headEnd == nil, let r = find(separator, in: buffer) { headEnd = r }
            if let headEnd {
                let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let requestLine = lines.removeFirst().split(separator: " ")
                var headers: [String: String] = [:]
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                let bodyStart = headEnd + separator.count
                if buffer.count >= bodyStart + length {
                    let body = Array(buffer[bodyStart..<bodyStart + length])
                    buffer.removeFirst(bodyStart + length)
                    return RecordedRequest(
                        method: requestLine.first.map(String.init) ?? "", path: requestLine.count > 1 ? String(requestLine[1]) : "",
                        headers: headers, body: body, connectionNumber: connection)
                }
            }
            guard let bytes = readSome(fd) else { return nil }
            buffer += bytes
        }
    }

    /// nil on EOF, error, or stop.
    private func readSome(_ fd: Int32) -> [UInt8]? {
        while !stopped.load(ordering: .relaxed) {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 100)
            if ready == 0 { continue }
            if ready < 0 { return nil }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { return nil }
            return Array(chunk[..<n])
        }
        return nil
    }

    /// Plays the reply; returns how that ended and whether the connection may serve another request.
    private func respond(_ fd: Int32, reply: ScriptedReply) -> (ReplyEnd, keepOpen: Bool) {
        // The client went away (or the server stopped) before the reply was over.
        var interrupted: (ReplyEnd, keepOpen: Bool) { (stopped.load(ordering: .relaxed) ? .stopped : .clientLeft, false) }
        if reply.resetImmediately {
            resetConnection(fd)
            return (.played, false)
        }
        if reply.delayBeforeHead > 0, !sleep(reply.delayBeforeHead, watching: fd) { return interrupted }
        var head = "HTTP/1.1 \(reply.status) \(Self.reason(reply.status))\r\n"
        for (name, value) in reply.headers { head += "\(name): \(value)\r\n" }
        let bodyBytes = reply.parts.reduce(0) { n, part in if case .bytes(let b) = part { return n + b.count }; return n }
        switch reply.framing {
        case .chunked: head += "Transfer-Encoding: chunked\r\n"
        case .contentLength: head += "Content-Length: \(bodyBytes)\r\n"
        case .closeDelimited: head += "Connection: close\r\n"
        }
        head += "\r\n"
        guard send(fd, Array(head.utf8)) else { return interrupted }
        for part in reply.parts {
            switch part {
            case .pause(let seconds):
                guard sleep(seconds, watching: fd) else { return interrupted }
            case .hold(let gate):
                guard hold(gate, watching: fd) else { return interrupted }
            case .bytes(let bytes):
                if bytes.isEmpty { continue }
                let framed = reply.framing == .chunked
                    ? Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + Array("\r\n".utf8)
                    : bytes
                guard send(fd, framed) else { return interrupted }
            }
        }
        switch reply.ending {
        case .complete:
            if reply.framing == .chunked { guard send(fd, Array("0\r\n\r\n".utf8)) else { return interrupted } }
            return (.played, reply.framing != .closeDelimited)
        case .cut:
            shutdown(fd, Int32(SHUT_RDWR))
            return (.played, false)
        case .reset:
            resetConnection(fd)
            return (.played, false)
        case .hang:
            _ = sleep(.infinity, watching: fd)
            return interrupted
        }
    }

    private func resetConnection(_ fd: Int32) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
    }

    /// Sleeps up to `seconds`, returning false early when the client closed or the server stopped.
    private func sleep(_ seconds: Double, watching fd: Int32) -> Bool {
        let deadline = ContinuousClock.now + (seconds.isFinite ? .seconds(seconds) : .seconds(86400))
        while ContinuousClock.now < deadline {
            if stopped.load(ordering: .relaxed) { return false }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN) | pollRDHUP, revents: 0)
            let remaining = deadline - ContinuousClock.now
            let ms = min(20, max(1, Int(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)))
            if poll(&pfd, 1, Int32(ms)) > 0, pfd.revents & (pollRDHUP | Int16(POLLHUP | POLLERR)) != 0 { return false }
        }
        return true
    }

    /// Waits until `gate` opens, returning false early when the client closed or the server stopped.
    /// Past the gate's `timeout` it gives up waiting (a hang guard) and lets the reply go on.
    private func hold(_ gate: ReplyGate, watching fd: Int32) -> Bool {
        let deadline = ContinuousClock.now + .seconds(gate.timeout)
        while !gate.isOpen {
            if ContinuousClock.now >= deadline { gate.giveUp(); return true }
            guard sleep(0.02, watching: fd) else { return false }
        }
        return true
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<i + needle.count]) == needle { return i }
        }
        return nil
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 408: "Request Timeout"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

/// POLLRDHUP (peer closed its side) needs _GNU_SOURCE, so Glibc does not export it.
private let pollRDHUP: Int16 = 0x2000
