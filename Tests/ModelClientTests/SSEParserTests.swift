import Testing
@testable import ModelClient

@Suite struct SSEParserTests {
    func parseAll(_ text: String) -> [SSEParser.Event] {
        var p = SSEParser()
        let events = p.feed(Array(text.utf8))
        #expect(p.finish() == 0, "the stream ended mid-event")
        return events
    }

    @Test func dataEventsAndDone() {
        #expect(parseAll("data: {\"a\":1}\n\ndata: [DONE]\n\n") == [.data("{\"a\":1}"), .done])
    }

    @Test func crlfAndLoneCRLineEnds() {
        #expect(parseAll("data: one\r\n\r\ndata: two\r\rdata: [DONE]\r\n\r\n") == [.data("one"), .data("two"), .done])
    }

    @Test func multiLineDataIsJoinedWithNewline() {
        #expect(parseAll("data: {\"a\":\ndata: 1}\n\n") == [.data("{\"a\":\n1}")])
    }

    @Test func commentsPingsAndOtherFieldsAreIgnored() {
        let text = ": ping\n\nevent: message\nid: 7\nretry: 100\ndata:x\n: keep-alive\n\n:\n\n"
        #expect(parseAll(text) == [.data("x")])
    }

    /// By the SSE rules an event not ended by a blank line is incomplete: at end of stream it is
    /// discarded, never dispatched (a cut stream must not hand on a JSON fragment).
    @Test func unterminatedEventAtEndIsDiscarded() {
        var p = SSEParser()
        #expect(p.feed(Array("data: {\"a\":1}\n\ndata: {\"choices\":[{\"del".utf8)) == [.data("{\"a\":1}")])
        #expect(p.finish() == 23)
        // A whole line without its blank line is still an unfinished event.
        var q = SSEParser()
        #expect(q.feed(Array("data: [DONE]\n".utf8)).isEmpty)
        #expect(q.finish() == 13)
        // After finish the parser starts clean.
        #expect(q.feed(Array("data: x\n\n".utf8)) == [.data("x")])
    }

    /// Every way of splitting a stream in two (mid-CRLF, mid-UTF-8, mid-field) parses the same.
    @Test func splitAtEveryByteBoundary() {
        let text = ": ping\r\n\r\ndata: {\"content\":\"héllo — 世界\"}\r\n\r\ndata: a\r\ndata: b\r\n\r\ndata: [DONE]\r\n\r\n"
        let bytes = Array(text.utf8)
        let expected = parseAll(text)
        #expect(expected == [.data("{\"content\":\"héllo — 世界\"}"), .data("a\nb"), .done])
        for cut in 0...bytes.count {
            var p = SSEParser()
            let events = p.feed(bytes[..<cut]) + p.feed(bytes[cut...])
            #expect(events == expected, "split at byte \(cut)")
            #expect(p.finish() == 0)
        }
        // And one byte at a time.
        var p = SSEParser()
        var events: [SSEParser.Event] = []
        for b in bytes { events += p.feed([b]) }
        #expect(events == expected)
        #expect(p.finish() == 0)
    }
}
