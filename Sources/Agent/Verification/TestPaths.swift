/// Which files are tests. Verification judges a patch by the user's tests, so the patch's changes to
/// them are set aside before the judging run (and a patch that changes nothing else is never
/// verified); small models fix the tests instead of the code when they can't tell them apart, so the
/// orientation marks them and the loop watches edits.
public enum TestPaths {
    /// Test files by the conventions of the runners Fixpoint reads: a `test`/`tests`/`spec`/`__tests__`
    /// folder, `test_*.py`, `*_test.go`, `*.test.js`, `*.spec.ts`, `*Tests.swift`, …
    public static func isTest(_ path: String) -> Bool {
        let parts = path.split(separator: "/").map { $0.lowercased() }
        if parts.dropLast().contains(where: { ["test", "tests", "spec", "specs", "__tests__", "testing"].contains($0) }) { return true }
        guard let name = parts.last else { return false }
        return name.hasPrefix("test_") || name.contains("_test.") || name.contains(".test.") || name.contains(".spec.")
            || name.hasSuffix("tests.swift") || name.hasSuffix("test.swift") || name == "conftest.py"
            || name.hasSuffix("_tests.py") || name.hasSuffix("_spec.rb")
    }

    /// Files the test run itself names as holding tests: pytest node ids start with the file
    /// (`tests/check_calc.py::test_add`), whatever the file is called.
    public static func files(namedBy testIDs: some Sequence<String>) -> Set<String> {
        var files: Set<String> = []
        for id in testIDs {
            guard let range = id.range(of: "::") else { continue }
            let file = String(id[..<range.lowerBound])
            if file.contains(".") { files.insert(file) }
        }
        return files
    }
}
