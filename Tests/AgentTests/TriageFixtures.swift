/// Realistic outputs of each test runner, as Fixpoint sees them (no TTY, so mostly uncoloured).
enum TriageFixtures {
    static let pytest = """
        ============================= test session starts ==============================
        platform linux -- Python 3.11.2, pytest-7.2.1, pluggy-1.0.0
        rootdir: /tmp/fixpoint-snap-1a2b
        collected 5 items

        tests/test_calc.py ..F.F                                                 [100%]

        =================================== FAILURES ===================================
        _________________________________ test_divide __________________________________

            def test_divide():
        >       assert divide(6, 4) == 1.5
        E       assert 1 == 1.5
        E        +  where 1 = divide(6, 4)

        tests/test_calc.py:12: AssertionError
        ____________________________ TestParse.test_empty _____________________________

        self = <tests.test_calc.TestParse object at 0x7f3b2c1d0e50>

            def test_empty(self):
        >       assert parse("") == []

        tests/test_calc.py:30: 
        _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ 

        text = ''

            def parse(text):
                if not text:
        >           raise ValueError("empty input")
        E           ValueError: empty input

        src/calc.py:20: ValueError
        =========================== short test summary info ============================
        FAILED tests/test_calc.py::test_divide - assert 1 == 1.5
        FAILED tests/test_calc.py::TestParse::test_empty - ValueError: empty input
        ========================= 2 failed, 3 passed in 0.05s ==========================
        """

    static let pytestColored =
        "\u{1B}[1m============================= test session starts ==============================\u{1B}[0m\n"
        + "collected 1 item\n\n"
        + "\u{1B}[31mFAILED\u{1B}[0m tests/test_a.py::\u{1B}[1mtest_a\u{1B}[0m - assert False\n"
        + "\u{1B}[31m============================== \u{1B}[31m\u{1B}[1m1 failed\u{1B}[0m\u{1B}[31m in 0.01s\u{1B}[0m\u{1B}[31m ===============================\u{1B}[0m\n"

    static let pytestPassing = """
        ============================= test session starts ==============================
        collected 3 items

        tests/test_calc.py ...                                                   [100%]

        ============================== 3 passed in 0.02s ===============================
        """

    static let nodeTAP = """
        TAP version 13
        # Subtest: /tmp/snap/test/math.test.js
            # Subtest: adds numbers
            ok 1 - adds numbers
              ---
              duration_ms: 0.512
              ...
            # Subtest: subtracts numbers
            not ok 2 - subtracts numbers
              ---
              duration_ms: 0.733
              location: '/tmp/snap/test/math.test.js:8:3'
              failureType: 'testCodeFailure'
              error: |-
                Expected values to be strictly equal:
                
                1 !== -1
                
              code: 'ERR_ASSERTION'
              name: 'AssertionError'
              expected: -1
              actual: 1
              operator: 'strictEqual'
              stack: |-
                TestContext.<anonymous> (file:///tmp/snap/test/math.test.js:9:10)
                Test.runInAsyncScope (node:async_hooks:206:9)
              ...
            # Subtest: parses input
            not ok 3 - parses input
              ---
              duration_ms: 0.2
              failureType: 'testCodeFailure'
              error: 'Cannot read properties of undefined (reading ''split'')'
              code: 'ERR_TEST_FAILURE'
              ...
            1..3
        not ok 1 - /tmp/snap/test/math.test.js
          ---
          duration_ms: 45.1
          failureType: 'subtestsFailed'
          exitCode: 1
          error: '2 subtests failed'
          code: 'ERR_TEST_FAILURE'
          ...
        1..1
        # tests 3
        # suites 0
        # pass 1
        # fail 2
        # cancelled 0
        # skipped 0
        # todo 0
        # duration_ms 60.2
        """

    static let nodeSpec = """
        ▶ math
          ✔ adds numbers (0.4ms)
          ✖ subtracts numbers (0.9ms)
            AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:
            
            1 !== -1
            
                at TestContext.<anonymous> (file:///tmp/snap/test/math.test.js:9:12)
                at Test.runInAsyncScope (node:async_hooks:206:9) {
              generatedMessage: true,
              code: 'ERR_ASSERTION',
              actual: 1,
              expected: -1,
              operator: 'strictEqual'
            }

        ✖ math (2.1ms)
        ℹ tests 2
        ℹ suites 1
        ℹ pass 1
        ℹ fail 1
        ℹ cancelled 0
        ℹ skipped 0
        ℹ todo 0
        ℹ duration_ms 45.6

        ✖ failing tests:

        test at test/math.test.js:8:3
        ✖ subtracts numbers (0.9ms)
          AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:
          
          1 !== -1
          
              at TestContext.<anonymous> (file:///tmp/snap/test/math.test.js:9:12)
              at Test.runInAsyncScope (node:async_hooks:206:9) {
            generatedMessage: true,
            code: 'ERR_ASSERTION'
          }
        """

    static let xcTest = """
        Building for debugging...
        [3/5] Compiling CalcTests CalcTests.swift
        Build complete! (1.52s)
        Test Suite 'All tests' started at 2026-11-29 06:40:00.123
        Test Suite 'CalcPackageTests.xctest' started at 2026-11-29 06:40:00.124
        Test Suite 'CalcTests' started at 2026-11-29 06:40:00.124
        Test Case 'CalcTests.testAdd' started at 2026-11-29 06:40:00.124
        Test Case 'CalcTests.testAdd' passed (0.001 seconds)
        Test Case 'CalcTests.testDivide' started at 2026-11-29 06:40:00.125
        /tmp/snap/Tests/CalcTests/CalcTests.swift:12: error: CalcTests.testDivide : XCTAssertEqual failed: ("2") is not equal to ("3") - division
        Test Case 'CalcTests.testDivide' failed (0.002 seconds)
        Test Suite 'CalcTests' failed at 2026-11-29 06:40:00.127
        \t Executed 2 tests, with 1 failure (0 unexpected) in 0.003 (0.003) seconds
        Test Suite 'CalcPackageTests.xctest' failed at 2026-11-29 06:40:00.127
        \t Executed 2 tests, with 1 failure (0 unexpected) in 0.003 (0.003) seconds
        Test Suite 'All tests' failed at 2026-11-29 06:40:00.127
        \t Executed 2 tests, with 1 failure (0 unexpected) in 0.003 (0.003) seconds
        ◇ Test run started.
        ↳ Testing Library Version: 6.3.1 (937120cbc281cf2)
        ↳ Target Platform: x86_64-unknown-linux-gnu
        ✔ Test run with 0 tests in 0 suites passed after 0.001 seconds.
        """

    static let swiftTesting = """
        Build complete! (0.41s)
        Test Suite 'All tests' started at 2026-11-29 06:41:00.001
        Test Suite 'All tests' passed at 2026-11-29 06:41:00.001
        \t Executed 0 tests, with 0 failures (0 unexpected) in 0.0 (0.0) seconds
        ◇ Test run started.
        ↳ Testing Library Version: 6.3.1 (937120cbc281cf2)
        ◇ Suite CalcTests started.
        ◇ Test addition() started.
        ◇ Test division() started.
        ✔ Test addition() passed after 0.001 seconds.
        ✘ Test division() recorded an issue at CalcTests.swift:10:5: Expectation failed: (divide(6, 3) → 2) == 3
        ↳ division must round up
        ✘ Test division() failed after 0.002 seconds with 1 issue.
        ✘ Suite CalcTests failed after 0.002 seconds with 1 issue.
        ✘ Test run with 2 tests in 1 suite failed after 0.003 seconds with 1 issue.
        """

    static let swiftBuildFailure = """
        Building for debugging...
        /tmp/snap/Sources/Calc/Calc.swift:7:16: error: cannot find 'dividend' in scope
         5 | public func divide(_ a: Int, _ b: Int) -> Int {
         6 |     guard b != 0 else { return 0 }
         7 |     return dividend / b
           |                `- error: cannot find 'dividend' in scope
         8 | }
        error: fatalError
        """

    static let cargo = """
           Compiling calc v0.1.0 (/tmp/snap)
            Finished test [unoptimized + debuginfo] target(s) in 0.50s
             Running unittests src/lib.rs (target/debug/deps/calc-3f1e2a9b8c7d6e5f)

        running 3 tests
        test tests::adds ... ok
        test tests::divides ... FAILED
        test tests::parses ... ok

        failures:

        ---- tests::divides stdout ----
        thread 'tests::divides' panicked at src/lib.rs:20:9:
        assertion `left == right` failed
          left: 2
         right: 3
        note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


        failures:
            tests::divides

        test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s

        error: test failed, to rerun pass `--lib`
        """

    static let cargoCompileError = """
           Compiling calc v0.1.0 (/tmp/snap)
        error[E0425]: cannot find value `dividend` in this scope
          --> src/lib.rs:3:5
           |
        3  |     dividend / b
           |     ^^^^^^^^ not found in this scope

        For more information about this error, try `rustc --explain E0425`.
        error: could not compile `calc` (lib test) due to 1 previous error
        """

    static let goTest = """
        --- FAIL: TestDivide (0.00s)
            calc_test.go:12: Divide(6, 3) = 2; want 3
        --- FAIL: TestParse (0.00s)
            --- FAIL: TestParse/empty (0.00s)
                calc_test.go:30: unexpected error: empty input
            --- PASS: TestParse/one (0.00s)
        FAIL
        FAIL\texample.com/calc\t0.002s
        ok  \texample.com/calc/util\t0.001s
        FAIL
        """

    static let goBuildFailure = """
        # example.com/calc [example.com/calc.test]
        ./calc.go:5:9: undefined: dividend
        FAIL\texample.com/calc [build failed]
        FAIL
        """

    static let ctest = """
        Test project /tmp/snap/build
            Start 1: test_add
        1/3 Test #1: test_add .........................   Passed    0.01 sec
            Start 2: test_div
        2/3 Test #2: test_div .........................***Failed    0.01 sec
        test_div.c:9: divide(6, 3) returned 2, expected 3
            Start 3: test_parse
        3/3 Test #3: test_parse .......................   Passed    0.00 sec

        67% tests passed, 1 tests failed out of 3

        Total Test time (real) =   0.03 sec

        The following tests FAILED:
        \t  2 - test_div (Failed)
        Errors while running CTest
        """

    static let make = """
        cc -Wall -o test_calc test_calc.c calc.c
        ./test_calc
        test_calc: test_calc.c:15: test_divide: Assertion `divide(6, 3) == 3' failed.
        make: *** [Makefile:8: test] Aborted (core dumped)
        """

    static let automake = """
        PASS: tests/add.sh
        FAIL: tests/div.sh
        ============================================================================
        Testsuite summary for calc 1.0
        ============================================================================
        # TOTAL: 2
        # PASS:  1
        # SKIP:  0
        # XFAIL: 0
        # FAIL:  1
        # XPASS: 0
        # ERROR: 0
        ============================================================================
        See ./test-suite.log
        ============================================================================
        make[2]: *** [Makefile:1024: test-suite.log] Error 1
        make[1]: *** [Makefile:1132: check-TESTS] Error 2
        make: *** [Makefile:1400: check-am] Error 2
        """
}
