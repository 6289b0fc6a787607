import Testing
@testable import JSONRPC

private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

private func drain(_ decoder: inout FrameDecoder) -> [FrameDecoder.Event] {
    var events: [FrameDecoder.Event] = []
    while let event = decoder.next() { events.append(event) }
    return events
}

@Suite struct FrameDecoderTests {
    @Test func decodesFramesSplitAnywhere() {
        let stream = bytes("Content-Length: 5\r\n\r\nhelloContent-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 3\r\n\r\nabc")
        var decoder = FrameDecoder()
        var events: [FrameDecoder.Event] = []
        for byte in stream {  // one byte at a time: the worst split there is
            decoder.push([byte])
            events += drain(&decoder)
        }
        #expect(events == [.frame(bytes("hello")), .frame(bytes("abc"))])
    }

    @Test func decodesSeveralFramesInOneChunk() {
        var decoder = FrameDecoder()
        decoder.push(frame(bytes("{}")) + frame(bytes("[1]")) + frame([]))
        #expect(drain(&decoder) == [.frame(bytes("{}")), .frame(bytes("[1]")), .frame([])])
    }

    @Test func recoversAfterAHeaderWithoutContentLength() {
        var decoder = FrameDecoder()
        decoder.push(bytes("X-Junk: 1\r\n\r\n{\"not\":\"framed\"}") + frame(bytes("ok")))
        let events = drain(&decoder)
        #expect(events.count == 2)
        guard case .error(.missingContentLength) = events.first else { Issue.record("got \(events)"); return }
        #expect(events.last == .frame(bytes("ok")))
    }

    @Test(arguments: ["abc", "-1", "1.5", "", "0x10"])
    func rejectsContentLengthThatIsNotAnInteger(_ value: String) {
        var decoder = FrameDecoder()
        decoder.push(bytes("Content-Length: \(value)\r\n\r\n") + frame(bytes("next")))
        let events = drain(&decoder)
        #expect(events == [.error(.invalidContentLength(value)), .frame(bytes("next"))])
    }

    @Test func rejectsAnAbsurdLengthFromTheHeaderAlone() {
        var decoder = FrameDecoder(maxMessageSize: 1024)
        decoder.push(bytes("Content-Length: 99999999999999999999999999\r\n\r\n"))
        #expect(drain(&decoder) == [.error(.messageTooLarge(claimed: "99999999999999999999999999", limit: 1024))])
        // The claimed body is never waited for: the next frame goes through.
        decoder.push(frame(bytes("after")))
        #expect(drain(&decoder) == [.frame(bytes("after"))])
    }

    @Test func acceptsExactlyTheLimitAndRejectsOneMore() {
        var decoder = FrameDecoder(maxMessageSize: 4)
        decoder.push(frame(bytes("abcd")) + frame(bytes("abcde")))
        let events = drain(&decoder)
        #expect(events.first == .frame(bytes("abcd")))
        #expect(events.dropFirst().first == .error(.messageTooLarge(claimed: "5", limit: 4)))
    }

    @Test func skipsTheBodyOfAnOversizedFrameWithoutBufferingIt() {
        var decoder = FrameDecoder(maxMessageSize: 8)
        decoder.push(bytes("Content-Length: 100\r\n\r\n"))
        _ = drain(&decoder)
        decoder.push([UInt8](repeating: UInt8(ascii: "x"), count: 100))
        #expect(drain(&decoder).isEmpty)
        decoder.push(frame(bytes("fine")))
        #expect(drain(&decoder) == [.frame(bytes("fine"))])
    }

    @Test func rejectsAHeaderThatNeverEnds() {
        var decoder = FrameDecoder()
        decoder.push([UInt8](repeating: UInt8(ascii: "a"), count: FrameDecoder.maxHeaderSize + 1))
        #expect(drain(&decoder) == [.error(.headerTooLong(limit: FrameDecoder.maxHeaderSize))])
        decoder.push(frame(bytes("x")))
        #expect(drain(&decoder) == [.frame(bytes("x"))])
    }

    @Test func rejectsAHeaderLineWithoutAColon() {
        var decoder = FrameDecoder()
        decoder.push(bytes("garbage\r\n\r\n") + frame(bytes("y")))
        #expect(drain(&decoder) == [.error(.malformedHeaderLine("garbage")), .frame(bytes("y"))])
    }

    @Test func headerNamesAreCaseInsensitive() {
        var decoder = FrameDecoder()
        decoder.push(bytes("content-length:2\r\n\r\nhi"))
        #expect(drain(&decoder) == [.frame(bytes("hi"))])
    }
}
