import Agent
import Foundation
import JSONRPC
import JSONValue
import Testing
@testable import FixpointServer

private func range(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> JSON {
    ["start": ["line": .int(l1), "character": .int(c1)], "end": ["line": .int(l2), "character": .int(c2)]]
}

@Suite struct CodeActionTests {
    @Test func offersAFixForEachDiagnostic() async throws {
        let folder = try TempFolder(files: ["src/main.c": "int main() {\n  return x;\n}\n"])
        let client = await TestClient()
        try await client.initialize(rootPath: folder.path)
        let diagnostic: JSON = ["range": range(1, 9, 1, 10), "message": "use of undeclared identifier 'x'", "source": "clang", "severity": 1]
        let actions = try await client.request("textDocument/codeAction", [
            "textDocument": ["uri": .string(folder.uri("src/main.c"))], "range": range(1, 9, 1, 10),
            "context": ["diagnostics": [diagnostic]],
        ])
        let action = try #require(actions[0])
        #expect(action["title"]?.stringValue?.hasPrefix("Fixpoint: fix") == true)
        #expect(action["kind"] == "quickfix")
        #expect(action["diagnostics"] == [diagnostic])
        #expect(action["command"]?["command"] == "fixpoint.fixIssue")
        let issue = try #require(action["command"]?["arguments"]?[0]?["issue"]?.stringValue)
        #expect(issue.contains("src/main.c at line 2, column 10 (clang)"))
        #expect(issue.contains("use of undeclared identifier 'x'"))
        #expect(issue.contains("2>   return x;"))  // the surrounding code, with the line marked
        #expect(actions.arrayValue?.count == 1)
    }

    @Test func offersAFixForFixmeCommentsInTheEditedBuffer() async throws {
        let folder = try TempFolder(files: ["a.py": "print('on disk')\n"])
        let client = await TestClient()
        try await client.initialize(rootPath: folder.path)
        let uri = JSON.string(folder.uri("a.py"))
        client.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "python", "version": 1, "text": "x = '😀'  # note\r\ny = 2\r\n"]])
        // Incremental edit after an emoji and a CRLF line: `# note` becomes `# FIXME: handle …`.
        client.notify("textDocument/didChange", [
            "textDocument": ["uri": uri, "version": 2],
            "contentChanges": [["range": range(0, 12, 0, 16), "text": "FIXME: handle empty input"], ["range": range(1, 0, 1, 0), "text": "# TODO(fixpoint) speed up\r\n"]],
        ])
        let actions = try await client.request("textDocument/codeAction", ["textDocument": ["uri": uri], "range": range(0, 0, 1, 0), "context": ["diagnostics": []]])
        let titles = actions.arrayValue?.compactMap { $0["title"]?.stringValue } ?? []
        #expect(titles == ["Fixpoint: fix FIXME “handle empty input”", "Fixpoint: fix TODO(fixpoint) “speed up”"])
        let issue = actions[0]?["command"]?["arguments"]?[0]?["issue"]?.stringValue ?? ""
        #expect(issue.contains("x = '😀'  # FIXME: handle empty input"))

        let none = try await client.request("textDocument/codeAction", ["textDocument": ["uri": uri], "range": range(2, 0, 2, 0), "context": ["diagnostics": []]])
        #expect(none == [])
        let filtered = try await client.request("textDocument/codeAction", ["textDocument": ["uri": uri], "range": range(0, 0, 0, 0), "context": ["diagnostics": [], "only": ["refactor"]]])
        #expect(filtered == [])
    }
}
