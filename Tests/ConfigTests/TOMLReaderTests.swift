@testable import Config
import JSONValue
import Testing

/// The TOML reader: each malformed input is a syntax error with its line and column (the first ones
/// here are what the Config fuzzer found crashing toml++ inside TOMLKit), and TOML 1.0's rules for
/// values and tables hold. The official toml-test suite runs in TOMLComplianceTests.
@Suite struct TOMLReaderTests {
    @Test(arguments: [
        // Fuzz/Config, CI run of 2026-11-30: a lone `[` ends the line (toml++ asserted in parse_key).
        ("[model]\nurl = \"http://h:1\"\n[\narr = [1, 2, \"x\"]\n", 3, 2),
        // The CI input: `[` then invalid UTF-8, which String(decoding:) turns into U+FFFD.
        (String(decoding: [0x5b, 0xff, 0xff, 0x3a, 0x31, 0x22, 0x0a, 0x5b, 0x61, 0x5d, 0x0a], as: UTF8.self), 1, 2),
        // Fuzz/Config: a byte-order mark, then `[[[`.
        ("\u{FEFF}[[[", 1, 3),
        // Fuzz/Config: `}` inside an array (toml++ asserted in parse_value).
        ("s=[}\n", 1, 4),
        ("[=]", 1, 2),
        ("a = 1\n  [ # comment\n", 2, 5),
        ("[[\n", 1, 3),
        ("[[ +x]]", 1, 4),
        ("x = \"\"\"\n[a]\n\"\"\"\n[\n", 4, 2),
    ])
    func malformedInputIsAnErrorAtItsPlace(_ text: String, _ line: Int, _ column: Int) {
        #expect(throws: TOMLSyntaxError.self) { try TOMLReader.read(text) }
        do {
            _ = try ConfigFile.document(text, path: "/r/fixpoint.toml")
            Issue.record("accepted \(text.debugDescription)")
        } catch {
            guard case .syntax(let gotLine, let gotColumn, _) = error.problem else { Issue.record("\(error)"); return }
            #expect(gotLine == line && gotColumn == column, "\(error)")
            #expect(error.description.hasPrefix("/r/fixpoint.toml: line \(line), column \(column): "))
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
    func validTOMLThatLooksLikeThoseIsRead(_ text: String) throws {
        _ = try TOMLReader.read(text)
    }

    @Test func valuesOfEveryKind() throws {
        let document = try TOMLReader.read("""
            int = +1_000
            hex = 0xDEAD_beef
            oct = 0o755
            bin = 0b1101
            float = -3.5e-2
            exp = 1E6
            inf = -inf
            yes = true
            basic = "tab\\there \\u00e9 \\U0001F600"
            literal = 'C:\\path'
            multi = \"\"\"
            first \\
              joined\"\"\"
            raw = '''
            keep \\n'''
            date = 1979-05-27
            moment = 1979-05-27 07:32:00.5-07:00
            time = 07:32:00
            mixed = [1, "two", [3.0], { four = 4 }]
            """)
        #expect(document["int"]?.intValue == 1000)
        #expect(document["hex"]?.intValue == 0xDEADBEEF)
        #expect(document["oct"]?.intValue == 0o755)
        #expect(document["bin"]?.intValue == 13)
        #expect(document["float"]?.doubleValue == -0.035)
        #expect(document["exp"]?.doubleValue == 1e6)
        #expect(document["inf"]?.doubleValue == -.infinity)
        #expect(document["yes"] == .bool(true))
        #expect(document["basic"] == .string("tab\there é 😀"))
        #expect(document["literal"] == .string("C:\\path"))
        #expect(document["multi"] == .string("first joined"))
        #expect(document["raw"] == .string("keep \\n"))
        #expect(document["date"] == .string("1979-05-27"))
        #expect(document["moment"] == .string("1979-05-27 07:32:00.5-07:00"))
        #expect(document["time"] == .string("07:32:00"))
        #expect(document["mixed"] == [1, "two", [3.0], ["four": 4]])
    }

    @Test func tablesHeadersDottedKeysAndArraysOfTables() throws {
        let document = try TOMLReader.read("""
            top.level = 1
            [a.b]
            c = 1
            [a]
            d.e = 2
            d.f = 3
            [a.d.g]
            h = 4
            [[runs]]
            name = "one"
            [runs.limits]
            cpu = 2
            [[runs]]
            name = "two"
            """)
        #expect(document["top"] == ["level": 1])
        #expect(document["a"] == ["b": ["c": 1], "d": ["e": 2, "f": 3, "g": ["h": 4]]])
        #expect(document["runs"] == [["name": "one", "limits": ["cpu": 2]], ["name": "two"]])
    }

    @Test(arguments: [
        ("a = 1\na = 2", "duplicate key a"),
        ("[a]\n[a]", "[a] appears twice"),
        ("[a]\nb.c = 1\n[a.b]", "already made by dotted keys"),
        ("[a.b]\nc = 1\n[a]\nb.d = 2", "has its own [a.b] header"),
        ("a = {x = 1}\n[a]", "a is a value"),
        ("a = {x = 1}\na.y = 2", "a is a value"),
        ("a = [1]\n[[a]]", "a is a value"),
        ("[a]\n[[a]]", "not an array of tables"),
        ("[[a]]\n[a]", "is an array of tables"),
        ("a = 01", "not a TOML value: 01"),
        ("a = 1__0", "not a TOML value"),
        ("a = 9223372036854775808", "not a TOML value"),
        ("a = 1979-02-30", "not a TOML value"),
        ("a = word", "text needs quotes: \"word\""),
        ("a = \"line\nbreak\"", "cannot span lines"),
        ("a = \"\\q\"", "unknown escape"),
        ("a = \"\\uD800\"", "Unicode scalar value"),
        ("a = {x = 1,}", "expected a key"),
        ("a = {x = 1\n}", "must stay on one line"),
        ("a = 1 b = 2", "expected the end of the line"),
        ("= 1", "expected a key"),
        ("a", "expected '='"),
        ("a = \"\u{7}\"", "control character"),
    ])
    func refusesWhatTOMLForbids(_ text: String, _ expected: String) {
        do {
            let read = try TOMLReader.read(text)
            Issue.record("accepted \(text.debugDescription) as \(read)")
        } catch {
            #expect(error.message.contains(expected), "\(error)")
        }
    }

    @Test func longDottedKeysAndHeadersAreRefusedNotRecursedInto() {
        let parts = Array(repeating: "a", count: 100_000).joined(separator: ".")
        for text in ["\(parts) = 1", "[\(parts)]", "[[\(parts)]]"] {
            #expect(throws: TOMLSyntaxError.self) { try TOMLReader.read(text) }
        }
        let hundred = Array(repeating: "a", count: 100).joined(separator: ".")
        #expect((try? TOMLReader.read("[\(hundred)]\n\(hundred) = 1")) != nil)
    }

    @Test func manyArrayTablesAndAnOversizedFile() throws {
        let document = try TOMLReader.read(String(repeating: "[[a]]\n", count: 20_000))
        #expect(document["a"]?.arrayValue?.count == 20_000)
        let big = "a = \"" + String(repeating: "x", count: TOMLReader.maximumBytes) + "\""
        do {
            _ = try TOMLReader.read(big)
            Issue.record("read a file over the limit")
        } catch {
            #expect(error.message.contains("at most 1048576 (1 MiB)"))
        }
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let deep = "a = " + String(repeating: "[", count: 100_000)
        #expect(throws: TOMLSyntaxError.self) { try TOMLReader.read(deep) }
        let fine = "a = " + String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
        #expect((try? TOMLReader.read(fine)) != nil)
    }
}
