/// The repository the long scripted runs work in: a one-line bug with its test, and 20 modules of
/// helpers so listings and reads have weight. Shared by LongRunTests and CompactionBenchmarkTests.
enum LongRunRepository {
    static func make() async throws -> TempRepo {
        var files = [
            "calc.py": "def add(a, b):\n    return a - b\n",
            "test_calc.py": "from calc import add\n\ndef test_add():\n    assert add(2, 3) == 5\n",
            "run_tests.sh": "python3 -c 'import test_calc; test_calc.test_add(); print(\"1 passed\")'\n",
        ]
        for f in 0..<20 {
            files["pkg/module_\(f).py"] = (1...40).map { "def function_\(f)_\($0)(x):  # helper number \($0) in module \(f)\n    return x * \($0)\n" }.joined()
        }
        return try await TempRepo(files: files)
    }
}
