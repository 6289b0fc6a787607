@testable import Config
import Testing

/// toml++ 3.4.0 aborts (or, built with NDEBUG, reads on with undefined behaviour) on a table header
/// with no name. These inputs reach it; each must be a syntax error naming the line, and valid TOML
/// that only looks like such a header must still parse.
@Suite struct TableHeaderCheckTests {
    @Test(arguments: [
        // Found by Fuzz/Config (CI run of 2026-11-30 and a rerun): a lone `[` ends the line.
        ("[model]\nurl = \"http://h:1\"\n[\narr = [1, 2, \"x\"]\n", 3, 2),
        // The CI input: `[` then invalid UTF-8, which String(decoding:) turns into U+FFFD.
        (String(decoding: [0x5b, 0xff, 0xff, 0x3a, 0x31, 0x22, 0x0a, 0x5b, 0x61, 0x5d, 0x0a], as: UTF8.self), 1, 2),
        ("[=]", 1, 2),
        // Found by Fuzz/Config: a byte-order mark, then `[[[`.
        ("\u{FEFF}[[[", 1, 3),
        ("a = 1\n  [ # comment\n", 2, 5),
        ("[[\n", 1, 3),
        ("[[ +x]]", 1, 4),
        ("x = \"\"\"\n[a]\n\"\"\"\n[\n", 4, 2),
    ])
    func aNamelessHeaderIsASyntaxErrorOnItsLine(_ text: String, _ line: Int, _ column: Int) {
        #expect(TableHeaderCheck.firstNamelessHeader(in: text) == .init(line: line, column: column))
        do {
            _ = try ConfigFile.document(text, path: "/r/fixpoint.toml")
            Issue.record("accepted \(text.debugDescription)")
        } catch {
            #expect(error.problem == .syntax(line: line, column: column, TableHeaderCheck.message))
            #expect(error.description.hasPrefix("/r/fixpoint.toml: line \(line), column \(column): a table header needs a name"))
        }
    }

    @Test(arguments: [
        "[model]\nurl = 1",
        "\u{FEFF}[model]\nurl = 1",
        "[[runs]]\nx = 1\n[[runs]]\nx = 2",
        "[ \"quoted key\" ]\nx = 1",
        "['literal']\nx = 1",
        "a = [\n  [\n    1\n  ],\n  [ # comment\n  ],\n]\n[b]\nc = 2",
        "a = [\n  { x = 1 },\n]\n",
        "s = \"[\"\nt = '[='\nu = \"\"\"\n[\n\"\"\"\nv = '''\n[\n'''",
        "s = \"quote \\\" [\"\n[t]",
        "s = \"\"\"\"one\"\"\"\"\n[t]",
        "# [\n[t] # [\n",
        "x = [[1, 2], [3]]\n[t]",
    ])
    func validTOMLThatLooksLikeOneIsNotFlagged(_ text: String) throws {
        #expect(TableHeaderCheck.firstNamelessHeader(in: text) == nil)
        _ = try ConfigFile.document(text, path: "/r/fixpoint.toml")
    }
}
