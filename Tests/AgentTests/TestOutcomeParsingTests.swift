import Testing

@testable import Agent

/// The triage parsers name passing tests as well as failing ones, in the same ids.
@Suite struct TestOutcomeParsingTests {
    func read(_ output: String) -> TestOutcomes { TestOutcomes.read(output: output, exitCode: 1, timedOut: false) }

    @Test func pytestPassedLinesFromRpAndVerbose() {
        let summary = TriageFixtures.pytest.replacingOccurrences(
            of: "FAILED tests/test_calc.py::test_divide", with: "PASSED tests/test_calc.py::test_add\nFAILED tests/test_calc.py::test_divide")
        let o = read(summary)
        #expect(o.runner == "pytest" && o.listsPassing)
        #expect(o.passed == ["tests/test_calc.py::test_add"])
        #expect(o.failed == ["tests/test_calc.py::test_divide", "tests/test_calc.py::TestParse::test_empty"])
        let verbose = read("""
            ============================= test session starts ==============================
            tests/test_calc.py::test_add PASSED                                      [ 50%]
            tests/test_calc.py::test_div FAILED                                      [100%]
            =========================== short test summary info ============================
            FAILED tests/test_calc.py::test_div - assert 1 == 2
            ========================= 1 failed, 1 passed in 0.05s ==========================
            """)
        #expect(verbose.passed == ["tests/test_calc.py::test_add"] && verbose.failed == ["tests/test_calc.py::test_div"])
        // Default pytest output names no passing test: passes are inferred from a completed run.
        let quiet = read(TriageFixtures.pytest)
        #expect(!quiet.listsPassing && quiet.completed && quiet.passes("tests/test_calc.py::test_add"))
    }

    @Test func unittestVerbose() {
        let o = read("""
            test_add (test_numbers.T.test_add) ... FAIL
            test_sub (test_numbers.T.test_sub) ... ok

            ======================================================================
            FAIL: test_add (test_numbers.T.test_add)
            ----------------------------------------------------------------------
            Traceback (most recent call last):
              File "/tmp/x/test_numbers.py", line 5, in test_add
            AssertionError: -1 != 5

            ----------------------------------------------------------------------
            Ran 2 tests in 0.001s

            FAILED (failures=1)
            """)
        #expect(o.runner == "unittest" && o.listsPassing)
        #expect(o.passed == ["test_sub (test_numbers.T.test_sub)"])
        #expect(o.failed == ["test_add (test_numbers.T.test_add)"])
        #expect(o.passes("test_sub (test_numbers.T)"))  // SWE-bench writes unittest ids without the method repeated
    }

    @Test func cargoGoSwiftNodeCTest() {
        let cargo = read(TriageFixtures.cargo)
        #expect(cargo.passed == ["tests::adds", "tests::parses"] && cargo.failed == ["tests::divides"])
        let go = read(TriageFixtures.goTest)
        #expect(go.passed == ["TestParse/one"] && go.failed == ["TestDivide", "TestParse/empty"])
        let xc = read(TriageFixtures.xcTest)
        #expect(xc.passed == ["CalcTests.testAdd"] && xc.failed == ["CalcTests.testDivide"])
        let st = read(TriageFixtures.swiftTesting)
        #expect(st.passed == ["addition()"] && st.failed == ["division()"])
        let tap = read(TriageFixtures.nodeTAP)
        #expect(tap.passed == ["adds numbers"] && tap.failed == ["subtracts numbers", "parses input"])
        let spec = read(TriageFixtures.nodeSpec)
        #expect(spec.passed == ["adds numbers"] && spec.failed == ["subtracts numbers"])
        let ctest = read(TriageFixtures.ctest)
        #expect(ctest.passed == ["test_add", "test_parse"] && ctest.failed == ["test_div"])
    }

    @Test func absolutePathsOfTheRunFolderAreDropped() {
        let o = TestOutcomes.read(output: "TAP version 13\nok 1 - /tmp/snap-1/test/a.test.js\n# tests 1\n# pass 1\n", exitCode: 0,
                                  timedOut: false, directory: "/tmp/snap-1")
        #expect(o.passed == ["test/a.test.js"])
    }

    @Test func outputNoRunnerWritesIsUnreadable() {
        let o = read("1 passed\n")
        #expect(o.runner == nil && !o.isReadable)
        #expect(!read(TriageFixtures.cargoCompileError).isReadable)
    }
}
