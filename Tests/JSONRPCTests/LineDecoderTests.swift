import JSONValue
import Testing
@testable import JSONRPC

/// Newline-delimited framing (ACP): one JSON message per line.
@Suite struct LineDecoderTests {
    private func drain(_ decoder: inout LineDecoder) -> [FrameDecoder.Event] {
        var events: [FrameDecoder.Event] = []
        while let event = decoder.next() { events.append(event) }
        return events
    }

    @Test func splitsLinesArrivingAnyhowAndSkipsBlankOnes() {
        var decoder = LineDecoder()
        var events: [FrameDecoder.Event] = []
        for byte in Array("{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\"".utf8) {  // one byte at a time
            decoder.push([byte])
            events += drain(&decoder)
        }
        #expect(events == [.frame(Array("{\"a\":1}".utf8)), .frame(Array("{\"b\":2}".utf8))])
        decoder.push(Array(":3}\n".utf8))
        #expect(drain(&decoder) == [.frame(Array("{\"c\":3}".utf8))])
    }

    @Test func aTooLongLineIsDroppedOnceAndTheNextLineStillArrives() {
        var decoder = LineDecoder(maxMessageSize: 16)
        decoder.push(Array(String(repeating: "x", count: 40).utf8))
        guard case .error(.messageTooLarge)? = decoder.next() else { Issue.record("no error for the long line"); return }
        decoder.push(Array(String(repeating: "y", count: 40).utf8) + Array("\n{}\n".utf8))
        #expect(drain(&decoder) == [.frame(Array("{}".utf8))])
    }

    @Test func messagesGoOutOnePerLine() {
        let body = JSON.object(["text": .string("two\nlines")]).serializedBytes()
        let wire = Framing.newlineDelimited.encode(body)
        #expect(wire.last == 0x0A)
        #expect(wire.dropLast().contains(0x0A) == false)  // the newline inside the string is escaped
    }

    @Test func aConnectionSpeaksNewlineFramingBothWays() async throws {
        let (a, b) = InMemoryTransport.pair()
        defer { a.close(); b.close() }  // both read tasks end with the test
        let server = Connection(transport: a, framing: .newlineDelimited)
        let client = Connection(transport: b, framing: .newlineDelimited)
        await server.start()
        await client.start()
        Task {
            for await message in server.incoming {
                if case .request(let id, _, let params) = message { server.reply(to: id, .success(params ?? .null)) }
            }
        }
        #expect(try await client.request("echo", ["x": 1]) == ["x": 1])
    }
}
