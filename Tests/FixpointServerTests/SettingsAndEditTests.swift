import Agent
import Foundation
import JSONValue
import LSP
import Testing
@testable import FixpointServer

@Suite struct EditPlannerTests {
    @Test(arguments: [
        ("hello\n", "hello world\n", 0, 5, 0, 5, " world"),
        ("a😀b", "a😁b", 0, 1, 0, 3, "😁"),  // the pair is replaced whole, never split
        ("x\r\ny\r\n", "x\r\nz\r\n", 1, 0, 1, 1, "z"),
        ("same", "same", 0, 4, 0, 4, ""),
        ("a\r\nb", "a\nb", 0, 1, 1, 0, "\n"),  // a CRLF is not split
    ])
    func minimalEditsStayOnBoundaries(_ old: String, _ new: String, _ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int, _ text: String) {
        let (range, newText) = FileEditPlanner.minimalEdit(from: old, to: new)
        #expect(range == TextRange(start: .init(line: l1, character: c1), end: .init(line: l2, character: c2)))
        #expect(newText == text)
        var document = TextDocument(uri: DocumentURI(path: "/x"), languageID: "", version: 1, text: old)
        document.apply(range: range, newText: newText)
        #expect(document.text == new)
    }
}

@Suite struct FileEditPlannerTests {
    @Test func plansEditsAndSkipsWhatChangedOrEscapes() throws {
        let folder = try TempFolder(files: ["a.txt": "a\n", "b.txt": "b on disk\n"])
        let workspace = WorkspaceFolder(uri: DocumentURI(path: folder.path), name: "w", path: folder.path)
        var documents = DocumentStore()
        try documents.open(["textDocument": ["uri": .string(folder.uri("b.txt")), "languageId": "", "version": 4, "text": "b in editor\n"]])
        let start = RunStartState(openVersions: [DocumentURI(path: folder.path + "/b.txt"): 4])
        let (edits, skipped) = FileEditPlanner.plan([
            FileChange(path: "a.txt", before: "a\n", after: "A\n"),
            FileChange(path: "b.txt", before: "b in editor\n", after: "B\n"),
            FileChange(path: "../escape.txt", before: nil, after: "x"),
            FileChange(path: "gone.txt", before: "was here\n", after: "changed\n"),
        ], folder: workspace, start: start, documents: documents)
        #expect(edits.count == 2)
        #expect(edits.first == .modify(uri: DocumentURI(path: folder.path + "/a.txt"), version: nil, range: TextRange(start: .init(line: 0, character: 0), end: .init(line: 0, character: 1)), newText: "A"))
        #expect(edits.last?.uri == DocumentURI(path: folder.path + "/b.txt"))
        if case .modify(_, let version, _, _) = edits.last { #expect(version == 4) } else { Issue.record("not a modification") }
        #expect(skipped.map(\.path) == ["../escape.txt", "gone.txt"])
        #expect(skipped.first?.reason.contains("outside the workspace folder") == true)
        #expect(skipped.last?.reason == "it was deleted since the run started")
    }
}
