import JSONValue
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import JSONRPC

/// Reads frames the far end wrote, as raw JSON.
struct RawPeer {
    let transport: InMemoryTransport
    var iterator: AsyncStream<[UInt8]>.Iterator
    var decoder = FrameDecoder()

    init(_ transport: InMemoryTransport) { self.transport = transport; iterator = transport.input.makeAsyncIterator() }

    func send(_ text: String) { transport.write(frame(Array(text.utf8))) }
    func sendBytes(_ text: String) { transport.write(Array(text.utf8)) }

    mutating func next() async throws -> JSON? {
        while true {
            if let event = decoder.next() {
                guard case .frame(let body) = event else { Issue.record("bad frame \(event)"); return nil }
                return try JSON.parse(body)
            }
            guard let chunk = await iterator.next() else { return nil }
            decoder.push(chunk)
        }
    }
}

@Suite struct ConnectionTests {
    @Test func answersMalformedInputAndKeepsGoing() async throws {
        let (mine, theirs) = InMemoryTransport.pair()
        // Ends both inputs, so the connection's read task ends with the test (no task left waiting).
        defer { mine.close(); theirs.close() }
        let connection = Connection(transport: theirs)
        await connection.start()
        var peer = RawPeer(mine)
        peer.send("{not json")
        let parseError = try #require(try await peer.next())
        #expect(parseError["id"] == .null)
        #expect(parseError["error"]?["code"] == -32700)

        peer.sendBytes("Content-Length: nope\r\n\r\n")
        #expect(try await peer.next()?["error"]?["code"] == -32700)

        peer.send(#"{"jsonrpc":"2.0","id":9,"method":5}"#)
        let invalid = try #require(try await peer.next())
        #expect(invalid["id"] == 9)
        #expect(invalid["error"]?["code"] == -32600)

        peer.send(#"{"jsonrpc":"2.0","id":10,"method":"ping"}"#)
        var incoming = connection.incoming.makeAsyncIterator()
        #expect(await incoming.next() == .request(id: .int(10), method: "ping", params: nil))
    }

    @Test func matchesResponsesToRequestsBothWays() async throws {
        let (a, b) = InMemoryTransport.pair()
        let server = Connection(transport: a), client = Connection(transport: b)
        await server.start(); await client.start()
        // The client answers whatever the server asks, echoing the params.
        let answering = Task {
            for await message in client.incoming {
                if case .request(let id, let method, let params) = message {
                    if method == "fail" { client.reply(to: id, .failure(.requestFailed("declined"))) }
                    else { client.reply(to: id, .success(params ?? .null)) }
                }
            }
        }
        async let first = server.request("workspace/applyEdit", ["n": 1])
        async let second = server.request("window/workDoneProgress/create", ["n": 2])
        #expect(try await first == ["n": 1])
        #expect(try await second == ["n": 2])
        await #expect(throws: ResponseError.requestFailed("declined")) { try await server.request("fail") }
        b.close(); a.close()
        answering.cancel()
    }

    @Test func cancellingAnOutgoingRequestTellsThePeer() async throws {
        let (mine, theirs) = InMemoryTransport.pair()
        // Ends both inputs, so the connection's read task ends with the test (no task left waiting).
        defer { mine.close(); theirs.close() }
        let connection = Connection(transport: theirs)
        await connection.start()
        var peer = RawPeer(mine)
        let waiting = Task { try await connection.request("window/showMessageRequest", ["message": "?"]) }
        let request = try #require(try await peer.next())
        #expect(request["method"] == "window/showMessageRequest")
        waiting.cancel()
        await #expect(throws: ResponseError.cancelled()) { try await waiting.value }
        let cancel = try #require(try await peer.next())
        #expect(cancel["method"] == "$/cancelRequest")
        #expect(cancel["params"]?["id"] == request["id"])
    }

    @Test func endOfInputFailsPendingRequestsAndEndsIncoming() async throws {
        let (mine, theirs) = InMemoryTransport.pair()
        let connection = Connection(transport: theirs)
        await connection.start()
        let waiting = Task { try await connection.request("workspace/applyEdit") }
        var peer = RawPeer(mine)
        _ = try await peer.next()
        mine.close()
        await #expect(throws: ResponseError.self) { try await waiting.value }
        var incoming = connection.incoming.makeAsyncIterator()
        #expect(await incoming.next() == nil)
    }

    /// `observe` sees notifications and responses in arrival order, and a request resumes only after its
    /// response (and so everything before it) was observed — even when observing is slow.
    @Test func observeSeesEverythingBeforeTheRequestResumes() async throws {
        let (mine, theirs) = InMemoryTransport.pair()
        defer { mine.close(); theirs.close() }
        let log = Mutex<[Message]>([])
        let connection = Connection(transport: theirs, observe: { message in
            // A slow observer: a request that resumed before this returned would find its response missing.
            if case .response = message { usleep(100_000) }
            log.withLock { $0.append(message) }
        })
        await connection.start()
        var peer = RawPeer(mine)
        let waiting = Task { try await connection.request("session/prompt") }
        let request = try #require(try await peer.next())
        peer.send(#"{"jsonrpc":"2.0","method":"session/update","params":{"n":1}}"#)
        peer.send(#"{"jsonrpc":"2.0","method":"session/update","params":{"n":2}}"#)
        #expect(request["id"] == 1)
        peer.send(#"{"jsonrpc":"2.0","id":1,"result":{"stopReason":"end_turn"}}"#)
        #expect(try await waiting.value == ["stopReason": "end_turn"])
        #expect(log.withLock { $0 } == [
            .notification(method: "session/update", params: ["n": 1]),
            .notification(method: "session/update", params: ["n": 2]),
            .response(id: .int(1), result: ["stopReason": "end_turn"]),
        ])
    }
}
