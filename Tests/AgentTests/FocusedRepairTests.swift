import Foundation
import JSONValue
import Locking
import ModelClient
import Testing

@testable import Agent

/// The focused repair's pieces: reading the model's one-line answer, the prompt's schema, the
/// failure it quotes, and whole runs through `Fixer.run` with a scripted model and real tests.
@Suite struct FocusedRepairTests {
    static let definition = FocusSnippet.Shown(path: "pkg/calc.py", totalLines: 12, rows: [
        .init(number: 4, text: "def clamp(x, low, high):"),
        .init(number: nil, text: "  … docstring, lines 5-8, not shown …"),
        .init(number: 9, text: "    if x < low:"),
        .init(number: 10, text: "        return high"),
        .init(number: 11, text: ""),
        .init(number: 12, text: "    return min(x, high)"),
    ])

    static func answer(line: String, replacement: String, diagnosis: String = "expected low") -> String {
        JSON.object(["diagnosis": .string(diagnosis), "line": .string(line), "replacement": .string(replacement)]).serialized()
    }

    @Test func anAnswerIsReadAndReindentedToTheLineItReplaces() throws {
        let fix = try #require(LineFix.decode(Self.answer(line: "10: return high", replacement: "return low"), definition: Self.definition))
        #expect(fix == LineFix(path: "pkg/calc.py", line: 10, replacement: ["return low"], diagnosis: "expected low"))
        let file = "a\nb\nc\ndef clamp(x, low, high):\n    '''\n    doc\n    '''\n\n    if x < low:\n        return high\n\n    return min(x, high)\n"
        #expect(fix.applied(to: file) == file.replacingOccurrences(of: "        return high", with: "        return low"))

        // Two lines written from column 0 keep their relative indentation under the replaced line's.
        let two = try #require(LineFix.decode(Self.answer(line: "9: if x < low:", replacement: "if x <= low:\n    pass"), definition: Self.definition))
        #expect(two.applied(to: file)?.contains("    if x <= low:\n        pass\n        return high") == true)

        // CRLF files stay CRLF.
        let crlf = file.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(fix.applied(to: crlf) == crlf.replacingOccurrences(of: "        return high\r", with: "        return low\r"))
    }

    @Test func copiedNumbersAndBackticksAreLeftOutButCodeIsKept() throws {
        let copied = try #require(LineFix.decode(Self.answer(line: "10: return high", replacement: "10: return low"), definition: Self.definition))
        #expect(copied.replacement == ["return low"])
        let numbered = try #require(LineFix.decode(Self.answer(line: "10: return high", replacement: "   10|         return low"), definition: Self.definition))
        #expect(numbered.replacement == ["        return low"])
        let ticked = try #require(LineFix.decode(Self.answer(line: "12: return min(x, high)", replacement: "`return max(low, min(x, high))`"), definition: Self.definition))
        #expect(ticked.replacement == ["return max(low, min(x, high))"])
        // Another number at the start is code: a dict entry `3: 'three',`.
        let dict = try #require(LineFix.decode(Self.answer(line: "10: return high", replacement: "3: 'three',"), definition: Self.definition))
        #expect(dict.replacement == ["3: 'three',"])
    }

    @Test func answersThatNameNoLineOrChangeNothingAreRefused() throws {
        #expect(LineFix.decode(Self.answer(line: "7: doc", replacement: "x"), definition: Self.definition) == nil, "line 7 is folded away")
        #expect(LineFix.decode(Self.answer(line: "10: return high", replacement: "  \n"), definition: Self.definition) == nil)
        #expect(LineFix.decode("not json", definition: Self.definition) == nil)
        let same = try #require(LineFix.decode(Self.answer(line: "10: return high", replacement: "return high"), definition: Self.definition))
        #expect(same.applied(to: "\n\n\n\n\n\n\n\n\n        return high\n") == nil, "the same line again is no change")
        #expect(same.applied(to: "short\n") == nil, "the line is past the end of the file")
    }

    @Test func theSchemaAsksForTheDiagnosisFirstAndALineOfTheCode() throws {
        #expect(RepairPrompt.choices(Self.definition) == ["4: def clamp(x, low, high):", "9: if x < low:", "10: return high", "12: return min(x, high)"])
        let format = RepairPrompt.responseFormat(Self.definition).serialized()
        // llama.cpp's grammar writes properties in the schema's order: the diagnosis before the choice.
        let order = ["\"diagnosis\"", "\"line\"", "\"replacement\""].map { format.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order[0]! < order[1]! && order[1]! < order[2]!)
        #expect(format.contains("\"enum\":[\"4: def clamp(x, low, high):\",\"9: if x < low:\""))
        let prompt = RepairPrompt.user(failure: "test_clamp\nE assert 9 == 0", definition: Self.definition)
        #expect(prompt.contains("E assert 9 == 0") && prompt.contains("   10|         return high"))
    }

    /// An argument-order bug shows only beside the callee's signature.
    @Test func thePromptShowsTheSignaturesOfWhatTheCodeCallsFromItsFile() throws {
        let file = """
            def strip(iterable, strip_value=None):
                return list(strip_iter(strip_value, iterable))


            def strip_iter(iterable, strip_value=None):
                return helper(iterable)


            def helper(x):
                return x


            def unrelated():
                pass
            """
        let definition = try #require(FocusSnippet.definition(around: 2, of: file, path: "it.py"))
        let signatures = CalledSignatures.lines(for: definition, in: file)
        #expect(signatures == ["5: def strip_iter(iterable, strip_value=None):"], "not itself, not what only the callee calls")
        let prompt = RepairPrompt.user(failure: "E assert [] == [1]", definition: definition, signatures: signatures)
        #expect(prompt.contains("Signatures of functions that code calls (same file):\n```\n5: def strip_iter(iterable, strip_value=None):"))
        #expect(!RepairPrompt.user(failure: "x", definition: definition).contains("Signatures"), "none found, none said")
    }

    @Test func theFailureQuotedIsThePytestBlockNotThePassedRecap() throws {
        let output = """
            ============================= test session starts ==============================
            collected 3 items

            test_calc.py F..                                                          [100%]

            =================================== FAILURES ===================================
            __________________________________ test_clamp __________________________________
            test_calc.py:4: in test_clamp
                assert clamp(-1, 0, 9) == 0
            E   assert 9 == 0
            E    +  where 9 = clamp(-1, 0, 9)
            =========================== short test summary info ============================
            PASSED test_calc.py::test_other
            PASSED test_calc.py::test_more
            FAILED test_calc.py::test_clamp - assert 9 == 0
            ========================= 1 failed, 2 passed in 0.01s ==========================
            """
        #expect(FailureExcerpt.first(in: output) == """
            test_clamp
            test_calc.py:4: in test_clamp
                assert clamp(-1, 0, 9) == 0
            E   assert 9 == 0
            E    +  where 9 = clamp(-1, 0, 9)
            """)
        // The orientation condenses the same output (here with a long recap, as verification's `-rp`
        // makes it): the failure and its message, no PASSED lines.
        let recap = (1...40).map { "PASSED test_calc.py::test_more[\($0)]" }.joined(separator: "\n")
        let long = output.replacingOccurrences(of: "PASSED test_calc.py::test_more", with: recap)
        let before = TestRunner.Result(exitCode: 1, output: long, timedOut: false, durationS: 0.1)
        let message = IssuePrompt.render(issue: "clamp is wrong", fileTree: "", testCommand: "pytest", testsBefore: before,
                                         failingTests: before.failingTests)
        #expect(message.contains("where 9 = clamp(-1, 0, 9)"), "the failure's message")
        #expect(!message.contains("PASSED"))
        #expect(message.contains("1 failed, 2 passed"))
    }

    // MARK: - Whole runs

    /// unittest's traceback names `calc.py` (localization) and its last line is the failure quoted.
    static func project() async throws -> TempRepo {
        try await TempRepo(files: [
            "calc.py": "def add(a, b):\n    total = a\n    return total - b\n",
            "test_calc.py": """
                import unittest
                from calc import add

                class CalcTests(unittest.TestCase):
                    def test_add(self):
                        self.assertEqual(add(2, 3), 5)

                    def test_zero(self):
                        self.assertEqual(add(0, 0), 0)

                """,
        ])
    }

    static func request(_ repo: TempRepo, samples: Int) -> FixRequest {
        var request = FixRequest(repository: repo.path, issue: "add(2, 3) returns -1", testCommand: "python3 -m unittest -v")
        request.maxSteps = 6
        request.commandTimeout = 60
        request.repairSamples = samples
        return request
    }

    static func isRepairRequest(_ request: ChatRequest) -> Bool {
        request.responseFormat?["json_schema"]?["name"]?.stringValue == "line_fix"
    }

    /// A wrong answer, the same wrong answer again, then the right one: two changes tested, the
    /// second verified; the agent loop never asked; the user's files untouched.
    @Test func aVerifiedAnswerEndsTheRunBeforeTheLoop() async throws {
        let repo = try await Self.project()
        defer { repo.remove() }
        let untouched = try await repo.fingerprint()
        let answers = [
            Self.answer(line: "2: total = a", replacement: "total = a + 1"),
            Self.answer(line: "2: total = a", replacement: "total = a + 1", diagnosis: "other words, the same change"),
            Self.answer(line: "3: return total - b", replacement: "return total + b"),
        ]
        let model = ScriptedModel { call, request in
            guard Self.isRepairRequest(request), call < answers.count else { return ScriptedModel.call("submit", ["summary": "x"]) }
            return ScriptedModel.text(answers[call])
        }
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("repair-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let outcome = await Fixer.run(Self.request(repo, samples: 3), model: .embedded(), options: options(model, trajectory: journal))
        let report = outcome.report
        #expect(report.status == .verified, "\(report.tests.verificationReason ?? "") \(report.error ?? "")")
        #expect(report.endReason == .repaired)
        #expect(report.patch.contains("-    return total - b\n+    return total + b"))
        #expect(report.repair == RunReport.RepairSummary(answers: 3, tested: 2, verified: true, modelS: report.repair?.modelS ?? 0))
        #expect(report.tests.failToPass == ["test_add (test_calc.CalcTests.test_add)"])
        #expect(model.requests.count == 3 && model.requests.allSatisfy(Self.isRepairRequest))
        // The first answer at temperature 0, the others sampled, each with its own seed.
        #expect(model.requests.map(\.temperature) == [0, FocusedRepair.sampledTemperature, FocusedRepair.sampledTemperature])
        #expect(model.requests.map(\.seed) == [0, 1, 2])
        let prompt = model.requests[0].messages.last?.content ?? ""
        #expect(prompt.contains("AssertionError: -1 != 5") && prompt.contains("    3|     return total - b"))
        let events = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONDecoder().decode(JournalRecord.self, from: Data($0.utf8)) }
        let repairs = events.compactMap { record -> JournalEntry.Repair? in
            if case .repair(let r) = record.entry { return r } else { return nil }
        }
        #expect(repairs.map(\.verified) == [false, nil, true], "the repeated change is not tested twice")
        #expect(repairs[1].reason == "the same change as an earlier answer")
        #expect(try await repo.fingerprint() == untouched)
    }

    /// No answer verified: the agent loop runs with its own steps and fixes it; the report says
    /// what the repair tried.
    @Test func withNoVerifiedAnswerTheLoopRunsAsBefore() async throws {
        let repo = try await Self.project()
        defer { repo.remove() }
        let loopTurns = [
            ScriptedModel.call("edit_file", ["path": "calc.py", "old_text": "total - b", "new_text": "total + b"]),
            ScriptedModel.call("run_tests", [:]),
            ScriptedModel.call("submit", ["summary": "add adds"]),
        ]
        let loopCalls = Locked(0)
        let model = ScriptedModel { _, request in
            if Self.isRepairRequest(request) { return ScriptedModel.text(Self.answer(line: "2: total = a", replacement: "total = b")) }
            let index = loopCalls.withLock { n in defer { n += 1 }; return n }
            return index < loopTurns.count ? loopTurns[index] : ScriptedModel.call("submit", ["summary": "x"])
        }
        let outcome = await Fixer.run(Self.request(repo, samples: 2), model: .embedded(), options: options(model))
        #expect(outcome.report.status == .verified)
        #expect(outcome.report.endReason == .submitted)
        #expect(outcome.report.repair == RunReport.RepairSummary(answers: 2, tested: 1, verified: false,
                                                                 modelS: outcome.report.repair?.modelS ?? 0))
        #expect(model.requests.filter(Self.isRepairRequest).count == 2, "one definition, two samples")
    }

    /// An answer that makes one failing test pass and leaves another that calls the project's code
    /// failing is a partial fix: not verified, and the repair goes on to the whole fix.
    @Test func aPartialFixIsNotTakenForTheFix() async throws {
        let repo = try await TempRepo(files: [
            "calc.py": "def add(a, b):\n    total = a\n    return total - b\n",
            "test_calc.py": """
                import unittest
                from calc import add

                class CalcTests(unittest.TestCase):
                    def test_add(self):
                        self.assertEqual(add(2, 3), 5)

                    def test_negative(self):
                        self.assertEqual(add(-1, 1), 0)

                """,
        ])
        defer { repo.remove() }
        let answers = [
            Self.answer(line: "3: return total - b", replacement: "return total + b if a > 0 else total - b"),
            Self.answer(line: "3: return total - b", replacement: "return total + b"),
        ]
        let model = ScriptedModel { call, request in
            guard Self.isRepairRequest(request), call < answers.count else { return ScriptedModel.call("submit", ["summary": "x"]) }
            return ScriptedModel.text(answers[call])
        }
        let outcome = await Fixer.run(Self.request(repo, samples: 2), model: .embedded(), options: options(model))
        #expect(outcome.report.status == .verified)
        #expect(outcome.report.patch.contains("+    return total + b\n"))
        #expect(!outcome.report.patch.contains("else"))
        #expect(outcome.report.repair?.tested == 2)
    }

    @Test func zeroSamplesGoStraightToTheLoop() async throws {
        let repo = try await Self.project()
        defer { repo.remove() }
        let model = ScriptedModel(turns: [
            ScriptedModel.call("edit_file", ["path": "calc.py", "old_text": "total - b", "new_text": "total + b"]),
            ScriptedModel.call("submit", ["summary": "add adds"]),
        ])
        let outcome = await Fixer.run(Self.request(repo, samples: 0), model: .embedded(), options: options(model))
        #expect(outcome.report.status == .verified)
        #expect(outcome.report.repair == nil)
        #expect(!model.requests.contains(where: Self.isRepairRequest))
    }
}
