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
}
