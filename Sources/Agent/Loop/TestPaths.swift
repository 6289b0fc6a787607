/// Which files are tests, by the usual naming conventions: test/, tests/, spec/, __tests__/,
/// test_*.py, *_test.*, *.test.*, *.spec.*, *Tests.swift. Small models fix the tests instead of the
/// code when they can't tell them apart, so the orientation marks them and the loop watches edits.
enum TestPaths {
    static func isTest(_ path: String) -> Bool {
        let parts = path.split(separator: "/").map { $0.lowercased() }
        if parts.dropLast().contains(where: { ["test", "tests", "spec", "specs", "__tests__"].contains($0) }) { return true }
        guard let name = parts.last else { return false }
        return name.hasPrefix("test_") || name.contains("_test.") || name.contains(".test.") || name.contains(".spec.")
            || name.hasSuffix("tests.swift") || name.hasSuffix("test.swift")
    }
}
