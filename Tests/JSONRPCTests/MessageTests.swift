import JSONValue
import Testing
@testable import JSONRPC

private func decode(_ text: String) -> Result<Message, Message.DecodingFailure> { Message.decode(Array(text.utf8)) }

@Suite struct MessageTests {
    @Test func decodesEachKind() throws {
        #expect(try decode(#"{"jsonrpc":"2.0","id":1,"method":"m","params":{"a":1}}"#).get() == .request(id: .int(1), method: "m", params: ["a": 1]))
        #expect(try decode(#"{"jsonrpc":"2.0","id":"x","method":"m"}"#).get() == .request(id: .string("x"), method: "m", params: nil))
        #expect(try decode(#"{"jsonrpc":"2.0","method":"n","params":[1]}"#).get() == .notification(method: "n", params: [1]))
        // Emacs 28's jsonrpc.el sends `"params": null` (eglot 1.9's shutdown): the same as no params.
        #expect(try decode(#"{"jsonrpc":"2.0","id":5,"method":"shutdown","params":null}"#).get() == .request(id: .int(5), method: "shutdown", params: nil))
        #expect(try decode(#"{"jsonrpc":"2.0","id":3,"result":null}"#).get() == .response(id: .int(3), result: .null))
        #expect(try decode(#"{"jsonrpc":"2.0","id":4,"error":{"code":-32601,"message":"no"}}"#).get()
            == .errorResponse(id: .int(4), error: ResponseError(code: -32601, message: "no")))
    }

    @Test func roundTripsThroughJSON() throws {
        let messages: [Message] = [
            .request(id: .int(7), method: "a/b", params: ["k": "v"]), .notification(method: "n", params: nil),
            .response(id: .string("s"), result: [1, 2]), .errorResponse(id: nil, error: .parseError("bad")),
        ]
        for message in messages { #expect(try Message.decode(message.json).get() == message) }
        #expect(Message.errorResponse(id: nil, error: .parseError("bad")).json["id"] == .null)
    }

    @Test func malformedJSONIsAParseErrorWithoutID() {
        guard case .failure(let failure) = decode(#"{"jsonrpc":"2.0","id":1,"method":"#) else { Issue.record("decoded"); return }
        #expect(failure.id == nil)
        #expect(failure.error.code == -32700)
    }

    @Test(arguments: [
        (#"[{"jsonrpc":"2.0","method":"m"}]"#, nil as RequestID?),
        (#""text""#, nil),
        (#"{"id":1,"method":"m"}"#, .int(1)),
        (#"{"jsonrpc":"1.0","id":2,"method":"m"}"#, .int(2)),
        (#"{"jsonrpc":"2.0","id":true,"method":"m"}"#, nil),
        (#"{"jsonrpc":"2.0","id":5,"method":7}"#, .int(5)),
        (#"{"jsonrpc":"2.0","id":6,"method":"m","params":3}"#, .int(6)),
        (#"{"jsonrpc":"2.0","id":8}"#, .int(8)),
    ])
    func invalidMessagesAreInvalidRequests(_ text: String, _ id: RequestID?) {
        guard case .failure(let failure) = decode(text) else { Issue.record("decoded \(text)"); return }
        #expect(failure.error.code == -32600, "\(text)")
        #expect(failure.id == id, "\(text)")
    }

    @Test func invalidParamsNamesTheParameter() {
        let p = Params(["textDocument": ["uri": 3]], path: "params")
        #expect(throws: ResponseError.self) { try p.string("textDocument.uri") }
        do { _ = try p.string("textDocument.uri") } catch {
            #expect(error.code == -32602)
            #expect(error.message.contains("params.textDocument.uri"))
        }
        do { _ = try p.int("position.line") } catch {
            #expect(error.message == "invalid parameter 'params.position.line': required but missing")
        }
        do { _ = try p.nested("arguments[0]", ["n": 0]).optionalInt("n", in: 1...3) } catch {
            #expect(error.message.contains("params.arguments[0].n"))
        }
    }
}
