import JSONValue
import JSONRPC
import Testing
@testable import LSP

private func doc(_ text: String) -> TextDocument {
    TextDocument(uri: DocumentURI(path: "/t/a.txt"), languageID: "plaintext", version: 1, text: text)
}

private func range(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> TextRange {
    TextRange(start: Position(line: l1, character: c1), end: Position(line: l2, character: c2))
}

@Suite struct TextDocumentTests {
    @Test func positionsCountUTF16CodeUnits() {
        // "😀" is two UTF-16 units, "é" one: character 3 on line 0 is right after the emoji.
        var d = doc("a😀é\nnext")
        d.apply(range: range(0, 3, 0, 4), newText: "E")
        #expect(d.text == "a😀E\nnext")
        d.apply(range: range(0, 1, 0, 3), newText: "🎉🎉")
        #expect(d.text == "a🎉🎉E\nnext")
    }

    @Test func crlfAndLoneCREndLines() {
        var d = doc("one\r\ntwo\rthree\nfour")
        d.apply(range: range(1, 0, 1, 3), newText: "TWO")
        d.apply(range: range(2, 0, 2, 5), newText: "THREE")
        d.apply(range: range(3, 4, 3, 4), newText: "!")
        #expect(d.text == "one\r\nTWO\rTHREE\nfour!")
        // Deleting the line break of a CRLF line joins the lines.
        d.apply(range: range(0, 3, 1, 0), newText: " ")
        #expect(d.text == "one TWO\rTHREE\nfour!")
        #expect(d.endPosition == Position(line: 2, character: 5))
    }

    @Test func outOfRangePositionsClamp() {
        var d = doc("ab\ncd")
        d.apply(range: range(0, 99, 0, 99), newText: "X")  // past the line end: the line end
        #expect(d.text == "abX\ncd")
        d.apply(range: range(9, 0, 9, 0), newText: "Y")  // past the last line: the end of the text
        #expect(d.text == "abX\ncdY")
    }

    @Test func anOffsetInsideASurrogatePairMovesBeforeIt() {
        var d = doc("x😀y")
        d.apply(range: range(0, 2, 0, 2), newText: "|")
        #expect(d.text == "x|😀y")
    }

    @Test func storeAppliesIncrementalChangesInOrder() throws {
        var store = DocumentStore()
        let uri = "file:///t/%C3%A9.swift"
        try store.open(["textDocument": ["uri": .string(uri), "languageId": "swift", "version": 1, "text": "let 名前 = 1\r\n"]])
        try store.change([
            "textDocument": ["uri": "file:///t/é.swift", "version": 3],
            "contentChanges": [
                ["range": range(0, 4, 0, 6).json, "text": "name"],
                ["range": range(1, 0, 1, 0).json, "text": "// 👋\n"],
            ],
        ])
        let document = try #require(store[DocumentURI(uri)])
        #expect(document.text == "let name = 1\r\n// 👋\n")
        #expect(document.version == 3)
        try store.change(["textDocument": ["uri": .string(uri), "version": 4], "contentChanges": [["text": "whole"]]])
        #expect(store[DocumentURI(uri)]?.text == "whole")
    }

    @Test func storeErrorsNameTheParameter() throws {
        var store = DocumentStore()
        #expect(throws: ResponseError.invalidParams("params.textDocument.uri", "file:///nope is not open (send didOpen first)")) {
            try store.change(["textDocument": ["uri": "file:///nope", "version": 2], "contentChanges": []])
        }
        try store.open(["textDocument": ["uri": "file:///a", "languageId": "c", "version": 1, "text": ""]])
        do {
            try store.change(["textDocument": ["uri": "file:///a", "version": 2], "contentChanges": [["range": ["start": ["line": 0]], "text": ""]]])
            Issue.record("accepted a range without character")
        } catch {
            #expect(error.message.contains("params.contentChanges[0].range.start.character"))
        }
    }
}

@Suite struct LifecycleTests {
    @Test func gatesRequestsByState() {
        #expect(Lifecycle.waitingForInitialize.refusal(ofRequest: "shutdown")?.code == -32002)
        #expect(Lifecycle.waitingForInitialize.refusal(ofRequest: "initialize") == nil)
        #expect(Lifecycle.running.refusal(ofRequest: "initialize")?.code == -32600)
        #expect(Lifecycle.running.refusal(ofRequest: "textDocument/codeAction") == nil)
        #expect(Lifecycle.shutDown.refusal(ofRequest: "shutdown")?.code == -32600)
        #expect(Lifecycle.shutDown.accepts(notification: "exit"))
        #expect(!Lifecycle.shutDown.accepts(notification: "textDocument/didOpen"))
        #expect(!Lifecycle.waitingForInitialize.accepts(notification: "initialized"))
        #expect(Lifecycle.shutDown.exitCode == 0)
        #expect(Lifecycle.running.exitCode == 1)
    }
}
