import Foundation
import Testing

@testable import Agent

@Suite struct LocalizationTests {
    @Test func ranksTracebackFramesThenDefinitionsOfCalledNames() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("loc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/pkg", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/tests", withIntermediateDirectories: true)
        try "def helper(x):\n    return x\n\n\ndef camelize(s):\n    return helper(s)\n".write(toFile: root + "/pkg/text.py", atomically: true, encoding: .utf8)
        try "def test_camelize():\n    assert camelize('a_b') == 'AB'\n".write(toFile: root + "/tests/test_text.py", atomically: true, encoding: .utf8)
        let output = """
            tests/test_text.py:2: in test_camelize
                assert camelize('a_b') == 'AB'
            pkg/text.py:6: in camelize
                return helper(s)
            E   AssertionError
            FAILED tests/test_text.py::test_camelize - AssertionError
            """
        let ranked = Localization.rank(root: root, issue: "Calling `camelize('a_b')` gives 'a_b'.", testOutput: output,
                                       failingTests: ["tests/test_text.py::test_camelize"])
        #expect(ranked.map { "\($0.path):\($0.line)" } == ["pkg/text.py:5"], "the frame and the name in one definition; never the test file")
        #expect(ranked.first?.score == 3 + 2 + 1, "a frame, named by the issue and the test id, called in one failing test's body")
        #expect(ranked.first?.anchor == 6, "the snippet is centred on the frame")
        let text = try #require(Localization.render(ranked))
        #expect(text.contains("- pkg/text.py:5  def camelize(s):"))
    }

    @Test func theFailingTestsBodiesNameTheFunctionWhenTheIssueDoesNot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("loc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/pkg", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/tests", withIntermediateDirectories: true)
        try "def parse_color(raw):\n    return (raw, 0)\n\n\ndef other():\n    pass\n".write(toFile: root + "/pkg/colors.py", atomically: true, encoding: .utf8)
        try """
            import pkg

            def helper(x):
                return x

            def test_legacy(raw):
                parsed = pkg.parse_color(helper(raw))
                assert parsed == (0, raw)
            """.write(toFile: root + "/tests/test_colors.py", atomically: true, encoding: .utf8)
        let failing = ["tests/test_colors.py::test_legacy[junk]", "tests/test_colors.py::test_legacy[chuck]"]
        #expect(Localization.testBodyNames(root: root, failingTests: failing) == ["parse_color": 2], "helper is the test file's own")
        let ranked = Localization.rank(root: root, issue: "assert parsed == result fails", testOutput: "", failingTests: failing)
        #expect(ranked.map { "\($0.path):\($0.line)" } == ["pkg/colors.py:1"])
        let focus = try #require(Localization.focus(ranked, root: root))
        #expect(focus.contains("    2|     return (raw, 0)"))
    }

    @Test func namesFromIssuesAndTestIDs() {
        #expect(Localization.calledNames("x = inflection.camelize('a') and len(y)") == ["camelize"])
        #expect(Localization.testNames(["t.py::TestX::test_parse_with_digits[1-2]"]) == ["parse_with_digits", "parse"])
        #expect(Localization.definedName("    async def fetch(url):") == "fetch")
        #expect(Localization.definedName("export const slugify = (s) => s") == "slugify")
        #expect(Localization.definedName("const f=(x)=>x") == "f")
        #expect(Localization.definedName("  let g = function (x) {") == "g")
        #expect(Localization.definedName("const limit = 10") == nil, "not a function")
        #expect(Localization.definedName("    public func run(_ x: Int) {") == "run")
        #expect(Localization.definedName("class Cache(dict):") == "Cache")
        #expect(Localization.definedName("classify = 3") == nil)
        #expect(Localization.definedName("def") == nil)
        #expect(Localization.definedName("    return strip(x)") == nil)
        #expect(Localization.render([]) == nil)
    }

    @Test func focusShowsTheEnclosingDefinitionNumbered() {
        let text = """
            import os


            class Cache:
                def get(self, key):
                    if key in self.data:
                        return self.data[key]
                    return None

                def put(self, key, value):
                    self.data[key] = value
            """
        let snippet = FocusSnippet.enclosingDefinition(line: 7, of: text, path: "pkg/cache.py")
        #expect(snippet == """
            pkg/cache.py lines 5-8 of 11:
                5|     def get(self, key):
                6|         if key in self.data:
                7|             return self.data[key]
                8|         return None
            """)
        #expect(FocusSnippet.enclosingDefinition(line: 12, of: text, path: "x") == nil, "past the end")

        let braces = "function slug(s) {\n  return s.trim();\n}\n\nfunction other() {}\n"
        #expect(FocusSnippet.enclosingDefinition(line: 2, of: braces, path: "s.js") == """
            s.js lines 1-3 of 5:
                1| function slug(s) {
                2|   return s.trim();
                3| }
            """)
    }

    @Test func aLongDefinitionIsCutAroundTheCandidateLine() throws {
        let body = (1...120).map { "    x\($0) = \($0)" }.joined(separator: "\n")
        let snippet = try #require(FocusSnippet.enclosingDefinition(line: 100, of: "def big():\n" + body + "\n", path: "b.py"))
        let lines = snippet.split(separator: "\n")
        #expect(lines.count == FocusSnippet.maxLines + 1)
        #expect(lines.contains("  100|     x99 = 99"))
        #expect(lines.first == "b.py lines 72-121 of 121:")
    }

    @Test func longDocstringsAreFoldedAndMultiLineSignaturesKept() throws {
        let text = """
            def search(
                format,
                string,
            ):
                \"\"\"Search.

                More words.
                \"\"\"
                return find(format, string)
            """
        let snippet = try #require(FocusSnippet.enclosingDefinition(line: 9, of: text, path: "p.py"))
        #expect(snippet == """
            p.py lines 1-9 of 9:
                1| def search(
                2|     format,
                3|     string,
                4| ):
              … docstring, lines 5-8, not shown …
                9|     return find(format, string)
            """)
    }
}
