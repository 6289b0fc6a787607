import Testing

@testable import Agent

@Suite struct TriageHeadTailTests {
    @Test func shortTextIsUnchanged() {
        #expect(OutputTriage.headTail("a\nb\n", maxLines: 5, maxBytes: 100) == "a\nb\n")
        #expect(OutputTriage.headTail("", maxLines: 5, maxBytes: 100) == "")
    }

    @Test func keepsHeadAndTailAndCountsWhatWasLeftOut() {
        let text = (1...1000).map { "line \($0)" }.joined(separator: "\n")
        let out = OutputTriage.headTail(text, maxLines: 10, maxBytes: 10_000, moreHint: "use read_file with start_line")
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 11)
        #expect(Array(lines.prefix(4)) == ["line 1", "line 2", "line 3", "line 4"])
        #expect(Array(lines.suffix(6)) == ["line 995", "line 996", "line 997", "line 998", "line 999", "line 1000"])
        // 990 lines of "line 5"... "line 994": 5 lines of 7 bytes, 90 of 8, 895 of 9 (plus newlines).
        let omittedBytes = text.utf8.count - (lines.prefix(4) + lines.suffix(6)).reduce(0) { $0 + $1.utf8.count + 1 }
        #expect(lines[4] == "[… 990 lines (\(omittedBytes) bytes) left out of 1000 lines; use read_file with start_line …]")
    }

    @Test func byteBudgetCutsOnCharacterBoundaries() {
        // One enormous line of multi-byte characters (a minified bundle, a progress bar).
        let text = String(repeating: "é", count: 10_000)
        let out = OutputTriage.headTail(text, maxLines: 50, maxBytes: 1000)
        #expect(out.utf8.count < 1200)
        #expect(out.contains("bytes left out of 1 line;"))
        #expect(out.hasPrefix("éé"))
        #expect(out.hasSuffix("éé"))
        #expect(!out.contains("\u{FFFD}"))
    }

    @Test func byteBudgetAlsoLimitsManyShortLines() {
        let text = (1...100).map { String(repeating: "x", count: 100) + "\($0)" }.joined(separator: "\n")
        let out = OutputTriage.headTail(text, maxLines: 100, maxBytes: 2000)
        #expect(out.utf8.count <= 2000 + 200)
        #expect(out.hasSuffix("x100"))
        #expect(out.contains("lines ("))
    }
}

/// `splitLines` scans bytes; it must split exactly as the Character-based split it replaced.
@Suite struct SplitLinesTests {
    static func characterSplit(_ text: String) -> [Substring] {
        guard !text.isEmpty else { return [] }
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        if text.utf8.last == UInt8(ascii: "\n") { lines.removeLast() }
        return lines.map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    }

    @Test func splitsLikeTheCharacterSplit() {
        let pieces = ["a", "", "\n", "\r\n", "\r", "\r\r\n", "\n\r", "é", "e\u{301}", "\u{301}", "🎉", "\t x ", "\n\n", "\r\r"]
        var texts = pieces
        for a in pieces { for b in pieces { for c in pieces { texts.append(a + b + c) } } }
        for text in texts {
            #expect(splitLines(text) == Self.characterSplit(text), "\(Array(text.unicodeScalars))")
        }
        #expect(splitLines("one\r\ntwo\nthree") == ["one", "two", "three"])
    }
}

@Suite struct TriageRunnerTests {
    @Test func pytest() throws {
        let digest = try #require(TestOutputCondenser.digest(TriageFixtures.pytest))
        #expect(digest.runner == "pytest")
        #expect(digest.summary == ["2 failed, 3 passed in 0.05s"])
        #expect(digest.failures == [
            .init(name: "tests/test_calc.py::test_divide",
                  message: ["E assert 1 == 1.5", "E +  where 1 = divide(6, 4)", "tests/test_calc.py:12: AssertionError"]),
            .init(name: "tests/test_calc.py::TestParse::test_empty",
                  message: ["E ValueError: empty input", "src/calc.py:20: ValueError"]),
        ])
        let condensed = TestOutputCondenser.condense(TriageFixtures.pytest, exitCode: 1)
        #expect(condensed.hasPrefix("""
            pytest: exit code 1 — 2 failed, 3 passed in 0.05s
            Failing tests (2):
              ✗ tests/test_calc.py::test_divide
                  E assert 1 == 1.5
            """))
        #expect(condensed.contains("Last 25 of 38 lines of output:"))
        #expect(condensed.hasSuffix("========================= 2 failed, 3 passed in 0.05s =========================="))
    }

    @Test func pytestColouredAndPassing() {
        #expect(TestOutputCondenser.failingTests(TriageFixtures.pytestColored) == ["tests/test_a.py::test_a"])
        #expect(TestOutputCondenser.digest(TriageFixtures.pytestColored)?.summary == ["1 failed in 0.01s"])
        #expect(TestOutputCondenser.failingTests(TriageFixtures.pytestPassing) == [])
        #expect(TestOutputCondenser.condense(TriageFixtures.pytestPassing, exitCode: 0).hasPrefix("pytest: exit code 0 — 3 passed in 0.02s\nOutput:"))
    }

    @Test func nodeTAP() throws {
        let digest = try #require(TestOutputCondenser.digest(TriageFixtures.nodeTAP))
        #expect(digest.runner == "node --test")
        #expect(digest.summary == ["tests 3, pass 1, fail 2, cancelled 0, skipped 0"])
        // The file-level "not ok" (subtestsFailed) is a parent, not a failing test.
        #expect(digest.failures == [
            .init(name: "subtracts numbers", message: [
                "location: '/tmp/snap/test/math.test.js:8:3'", "Expected values to be strictly equal:", "1 !== -1",
                "expected: -1", "actual: 1",
            ]),
            .init(name: "parses input", message: ["Cannot read properties of undefined (reading 'split')"]),
        ])
    }

    @Test func nodeSpecReporter() throws {
        let digest = try #require(TestOutputCondenser.digest(TriageFixtures.nodeSpec))
        #expect(digest.summary == ["tests 2, pass 1, fail 1, cancelled 0, skipped 0"])
        #expect(digest.failures == [
            .init(name: "subtracts numbers", message: [
                "test at test/math.test.js:8:3", "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:", "1 !== -1",
            ])
        ])
    }

    @Test func swiftXCTest() throws {
        let digest = try #require(TestOutputCondenser.digest(TriageFixtures.xcTest))
        #expect(digest.runner == "swift test")
        #expect(digest.summary == ["Executed 2 tests, with 1 failure (0 unexpected) in 0.003 (0.003) seconds"])
        #expect(digest.failures == [
            .init(name: "CalcTests.testDivide", message: [
                #"CalcTests/CalcTests.swift:12: XCTAssertEqual failed: ("2") is not equal to ("3") - division"#
            ])
        ])
        #expect(SwiftTestParser.xcTestName("-[CalcTests.CalcTests testDivide]") == "CalcTests.testDivide")
    }

    @Test func swiftTesting() throws {
        let digest = try #require(TestOutputCondenser.digest(TriageFixtures.swiftTesting))
        #expect(digest.summary == ["Test run with 2 tests in 1 suite failed after 0.003 seconds with 1 issue."])
        #expect(digest.failures == [
            .init(name: "division()", message: [
                "CalcTests.swift:10:5: Expectation failed: (divide(6, 3) → 2) == 3", "↳ division must round up",
            ])
        ])
    }

    @Test func swiftBuildFailureShowsTheCompilerError() throws {
        let digest = try #require(TestOutputCondenser.digest(TriageFixtures.swiftBuildFailure))
        #expect(digest.failures.isEmpty)
        #expect(digest.errors.first == "/tmp/snap/Sources/Calc/Calc.swift:7:16: error: cannot find 'dividend' in scope")
    }

    @Test func cargo() throws {
        let digest = try #require(TestOutputCondenser.digest(TriageFixtures.cargo))
        #expect(digest.runner == "cargo test")
        #expect(digest.summary == ["test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s"])
        #expect(digest.failures == [
            .init(name: "tests::divides", message: [
                "thread 'tests::divides' panicked at src/lib.rs:20:9:", "assertion `left == right` failed", "  left: 2", " right: 3",
            ])
        ])
        let compile = try #require(TestOutputCondenser.digest(TriageFixtures.cargoCompileError))
        #expect(compile.errors == [
            "error[E0425]: cannot find value `dividend` in this scope (src/lib.rs:3:5)",
            "error: could not compile `calc` (lib test) due to 1 previous error",
        ])
    }

    @Test func goTest() throws {
        let digest = try #require(TestOutputCondenser.digest(TriageFixtures.goTest))
        #expect(digest.runner == "go test")
        #expect(digest.summary == ["FAIL example.com/calc 0.002s", "1 package ok"])
        // TestParse failed only through its subtest, which carries the message.
        #expect(digest.failures == [
            .init(name: "TestDivide", message: ["calc_test.go:12: Divide(6, 3) = 2; want 3"]),
            .init(name: "TestParse/empty", message: ["calc_test.go:30: unexpected error: empty input"]),
        ])
        let build = try #require(TestOutputCondenser.digest(TriageFixtures.goBuildFailure))
        #expect(build.errors == ["./calc.go:5:9: undefined: dividend"])
        #expect(build.summary == ["FAIL example.com/calc [build failed]"])
    }

    @Test func ctest() throws {
        let digest = try #require(TestOutputCondenser.digest(TriageFixtures.ctest))
        #expect(digest.runner == "ctest")
        #expect(digest.summary == ["67% tests passed, 1 tests failed out of 3"])
        #expect(digest.failures == [
            .init(name: "test_div", message: ["status: Failed", "test_div.c:9: divide(6, 3) returned 2, expected 3"])
        ])
    }

    @Test func makeAndAutomake() throws {
        let make = try #require(TestOutputCondenser.digest(TriageFixtures.make))
        #expect(make.runner == "make")
        #expect(make.errors == ["test_calc: test_calc.c:15: test_divide: Assertion `divide(6, 3) == 3' failed."])
        #expect(make.summary == ["make: *** [Makefile:8: test] Aborted (core dumped)"])
        let automake = try #require(TestOutputCondenser.digest(TriageFixtures.automake))
        #expect(automake.failures.map(\.name) == ["tests/div.sh"])
        #expect(automake.summary.first == "TOTAL: 2, PASS: 1, FAIL: 1, ERROR: 0")
    }

    @Test func longRunsAreCondensedToTheFailures() throws {
        // `go test -v` over 400 passing tests and one failure.
        var lines: [String] = []
        for i in 1...400 { lines += ["=== RUN   TestCase\(i)", "--- PASS: TestCase\(i) (0.00s)"] }
        lines += ["=== RUN   TestDivide", "    calc_test.go:12: Divide(6, 3) = 2; want 3", "--- FAIL: TestDivide (0.00s)"]
        lines += ["FAIL", "FAIL\texample.com/calc\t0.120s", "FAIL"]
        // In -v mode go prints the log line before the FAIL line; the tail still shows it.
        let output = lines.joined(separator: "\n")
        let condensed = TestOutputCondenser.condense(output, exitCode: 1)
        #expect(condensed.hasPrefix("go test: exit code 1 — FAIL example.com/calc 0.120s\nFailing tests (1):\n  ✗ TestDivide"))
        #expect(condensed.contains("Last 25 of 806 lines of output:"))
        #expect(condensed.contains("calc_test.go:12: Divide(6, 3) = 2; want 3"))
        #expect(condensed.utf8.count < output.utf8.count / 10)
    }

    @Test func manyFailuresAreListedThenCounted() throws {
        var lines = (1...150).map { "test tests::case_\($0) ... FAILED" }
        lines.append("test result: FAILED. 0 passed; 150 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s")
        let condensed = TestOutputCondenser.condense(lines.joined(separator: "\n"), exitCode: 101)
        #expect(condensed.contains("Failing tests (150):"))
        #expect(condensed.contains("  ✗ tests::case_100\n  … and 50 more"))
        #expect(!condensed.contains("✗ tests::case_101"))
    }

    @Test func recognisedButNothingToPointAtShowsTheOutput() {
        let output = (1...30).map { "collecting ... \($0)" }.joined(separator: "\n")
            + "\n==================== 1 error in 0.31s ====================\n"
        let condensed = TestOutputCondenser.condense(output, exitCode: 2)
        #expect(condensed.hasPrefix("pytest: exit code 2 — 1 error in 0.31s\nOutput (31 lines):\ncollecting ... 1"))
    }

    @Test func unrecognisedOutputFallsBackToHeadTail() {
        let output = (1...500).map { "progress \($0)%" }.joined(separator: "\n")
        #expect(TestOutputCondenser.digest(output) == nil)
        #expect(TestOutputCondenser.failingTests(output) == [])
        let condensed = TestOutputCondenser.condense(output, exitCode: 3)
        #expect(condensed.hasPrefix("Exit code 3.\nprogress 1%"))
        #expect(condensed.hasSuffix("progress 500%"))
        #expect(condensed.contains("lines ("))
        #expect(TestOutputCondenser.condense("all good", exitCode: 0) == "Exit code 0.\nall good")
    }
}

@Suite struct UnittestTriageTests {
    static let output = """
        F.
        ======================================================================
        FAIL: test_is_even (test_numbers.NumbersTest.test_is_even)
        ----------------------------------------------------------------------
        Traceback (most recent call last):
          File "/tmp/repo/test_numbers.py", line 8, in test_is_even
            self.assertTrue(is_even(4))
        AssertionError: False is not true

        ----------------------------------------------------------------------
        Ran 2 tests in 0.001s

        FAILED (failures=1)
        """

    @Test func failingTestsAndTheirAssertionsAreFound() {
        #expect(TestOutputCondenser.failingTests(Self.output) == ["test_is_even (test_numbers.NumbersTest.test_is_even)"])
        let condensed = TestOutputCondenser.condense(Self.output, exitCode: 1)
        #expect(condensed.hasPrefix("unittest: exit code 1 — Ran 2 tests in 0.001s; FAILED (failures=1)"))
        let digest = TestOutputCondenser.digest(Self.output)
        #expect(digest?.failures.first?.message.last == "AssertionError: False is not true")
    }
}
