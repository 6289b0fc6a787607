import Testing
@testable import LSP

@Suite struct DocumentURITests {
    @Test func equalFilesHaveEqualURIs() {
        let forms = ["file:///tmp/a%20b/c.swift", "file:///tmp/a b/c.swift", "file://localhost/tmp/a%20b/c.swift", "file:///tmp//a%20b/./x/../c.swift", "FILE:///tmp/a%20b/c.swift"]
        let uris = Set(forms.map { DocumentURI($0) })
        #expect(uris.count == 1)
        #expect(uris.first?.path == "/tmp/a b/c.swift")
        #expect(uris.first?.stringValue == "file:///tmp/a%20b/c.swift")
    }

    @Test func nonASCIIPathsArePercentEncodedAsUTF8() {
        let uri = DocumentURI(path: "/tmp/héllo/日本.txt")
        #expect(uri.stringValue == "file:///tmp/h%C3%A9llo/%E6%97%A5%E6%9C%AC.txt")
        #expect(DocumentURI(uri.stringValue) == uri)
        #expect(DocumentURI("file:///tmp/h%c3%a9llo/%e6%97%a5%e6%9c%ac.txt") == uri)
    }

    @Test func otherSchemesAreKeptVerbatim() {
        let uri = DocumentURI("untitled:Untitled-1")
        #expect(uri.path == nil)
        #expect(uri.stringValue == "untitled:Untitled-1")
        #expect(DocumentURI("file://server/share/x").path == nil)  // remote authority: not a local file
    }
}
