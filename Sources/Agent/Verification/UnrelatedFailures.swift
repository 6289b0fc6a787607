import Foundation

/// Tests that failed before any change and exercise none of the project's own code: a test that
/// needs a printer (`self.fail("no printer attached")`) fails whatever the fix. When the user names
/// no target tests, these are the only failures a verified patch may leave behind: a test that calls
/// the project's code and still fails says the bug is not (all) fixed. (A patch that fixed 1 of 11
/// failing tests was "verified" before this rule, on the real-code benchmark.)
///
/// A test exercises the project's code when its body, or the body of a helper its own file defines
/// and the body calls, calls a function or class defined in a non-test source file. A test whose
/// body cannot be found (an id format not read here, a file not found) counts as exercising it.
enum UnrelatedFailures {
    static func find(failing: Set<String>, root: String) -> Set<String> {
        guard !failing.isEmpty else { return [] }
        var projectNames = Set<String>()
        for path in Localization.sourceFiles(root) where !TestPaths.isTest(path) {
            guard let text = Localization.read(root + "/" + path) else { continue }
            for line in TextFile.lines(text) { if let name = Localization.definedName(line) { projectNames.insert(name) } }
        }
        var files: [String: [Substring]] = [:]
        return failing.filter { id in
            guard let place = location(of: id, root: root) else { return false }
            if files[place.file] == nil, let text = Localization.read(root + "/" + place.file) { files[place.file] = TextFile.lines(text) }
            guard let lines = files[place.file], let called = calledNames(of: place.test, in: lines) else { return false }
            return called.isDisjoint(with: projectNames)
        }
    }

    /// The names a test calls, and those its file's own helpers that it calls call; nil when the
    /// test's definition is not in `lines`.
    static func calledNames(of test: String, in lines: [Substring]) -> Set<String>? {
        func body(of name: String) -> String? { FocusSnippet.body(ofDefinitionNamed: name, in: lines) }
        guard let testBody = body(of: test) else { return nil }
        let own = Set(lines.compactMap { Localization.definedName($0) })
        var called = Localization.calledNames(testBody)
        for helper in called.intersection(own) where helper != test {
            if let helperBody = body(of: helper) { called.formUnion(Localization.calledNames(helperBody)) }
        }
        return called.subtracting(own)
    }

    /// The test file and function a runner's id names: pytest `tests/test_x.py::TestC::test_y[p]`,
    /// unittest `test_y (tests.test_x.TestC.test_y)` or `test_y (test_x.TestC)`.
    static func location(of id: String, root: String) -> (file: String, test: String)? {
        if id.contains("::") { return Localization.pytestLocation(of: id) }
        guard let open = id.firstIndex(of: "("), id.hasSuffix(")") else { return nil }
        let name = id[..<open].trimmingCharacters(in: .whitespaces)
        let dotted = id[id.index(after: open)..<id.index(before: id.endIndex)].split(separator: ".").map(String.init)
        guard !name.isEmpty, dotted.count >= 2 else { return nil }
        // The longest prefix of the dotted path that is a file: module.Class[.test].
        for count in stride(from: dotted.count - 1, through: 1, by: -1) {
            let file = dotted.prefix(count).joined(separator: "/") + ".py"
            if FileManager.default.fileExists(atPath: root + "/" + file) { return (file, name) }
        }
        return nil
    }
}
