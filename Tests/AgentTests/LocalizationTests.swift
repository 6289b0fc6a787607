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
        #expect(ranked.map { "\($0.path):\($0.line)" } == ["pkg/text.py:6", "pkg/text.py:5"], "the frame first; never the test file")
        let text = try #require(Localization.render(ranked))
        #expect(text.contains("- pkg/text.py:5  def camelize(s):"))
    }

    @Test func namesFromIssuesAndTestIDs() {
        #expect(Localization.calledNames("x = inflection.camelize('a') and len(y)") == ["camelize"])
        #expect(Localization.testNames(["t.py::TestX::test_parse_with_digits[1-2]"]) == ["parse_with_digits", "parse"])
        #expect(Localization.definedName("    async def fetch(url):") == "fetch")
        #expect(Localization.definedName("export const slugify = (s) => s") == "slugify")
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
}
