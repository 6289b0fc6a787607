import Foundation
import JSONValue
import Git
import Locking
import ModelClient
import Sandbox
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

    /// The model rewrote the line and went on copying the next one, in spaces, in a tab-indented
    /// file (pathspec, heavy run): the copy is left out; a new continuation line is indented in tabs.
    @Test func aCopiedNextLineIsLeftOutAndTabFilesGetTabs() {
        let file = "def f(lines):\n\tif _is_iterable(lines):\n\t\traise TypeError(lines)\n\treturn lines\n"
        let copied = LineFix(path: "m.py", line: 2, replacement: ["if not _is_iterable(lines):", "    raise TypeError(lines)"], diagnosis: "")
        #expect(copied.applied(to: file) == file.replacingOccurrences(of: "\tif _is_iterable", with: "\tif not _is_iterable"))
        let inserted = LineFix(path: "m.py", line: 4, replacement: ["if lines is None:", "    lines = []", "return lines"], diagnosis: "")
        #expect(inserted.applied(to: file) == "def f(lines):\n\tif _is_iterable(lines):\n\t\traise TypeError(lines)\n\tif lines is None:\n\t\tlines = []\n\treturn lines\n")
        let signature = "def search(format,\n        evaluate_result=False,\n        case_sensitive=False):\n"
        let dropped = LineFix(path: "m.py", line: 2, replacement: ["evaluate_result=True"], diagnosis: "")
        #expect(dropped.applied(to: signature) == signature.replacingOccurrences(of: "=False,\n        case", with: "=True,\n        case"),
                "the comma the answer left off is kept")
        let tuple = "x = 1,\n"
        #expect(LineFix(path: "m.py", line: 1, replacement: ["x = 1"], diagnosis: "").applied(to: tuple) == "x = 1\n", "unless the comma was the bug")
        let onlyTheCopy = LineFix(path: "m.py", line: 2, replacement: ["if _is_iterable(lines):", "    raise TypeError(lines)"], diagnosis: "")
        #expect(onlyTheCopy.applied(to: file) == nil, "without the copy, the line as it is: no change")
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

    /// A model that gives `answers` to the repair's requests in turn, then submits.
    static func answering(_ answers: [String]) -> ScriptedModel {
        ScriptedModel { call, request in
            guard isRepairRequest(request), call < answers.count else { return ScriptedModel.call("submit", ["summary": "x"]) }
            return ScriptedModel.text(answers[call])
        }
    }

    /// Asked freely, the model picks line 2 (wrongly); named line 3, it gets it right.
    static func rightOnlyWhenNamed() -> ScriptedModel {
        ScriptedModel { _, request in
            guard isRepairRequest(request) else { return ScriptedModel.call("submit", ["summary": "x"]) }
            let format = request.responseFormat?.serialized() ?? ""
            if format.contains("\"2: total = a\"") { return ScriptedModel.text(answer(line: "2: total = a", replacement: "total = b")) }
            return ScriptedModel.text(#"{"replacement": "return total + b"}"#)
        }
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
        let model = Self.answering(answers)
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
        // The first answer at temperature 0, the others sampled, each with its own seed; after the
        // repeated change, hotter.
        #expect(model.requests.map(\.temperature) == [0, FocusedRepair.sampledTemperature,
                                                        FocusedRepair.sampledTemperature + FocusedRepair.temperatureStepPerRepeat])
        #expect(model.requests.map(\.seed) == [0, 1, 2])
        // Sampled answers without the top-p cut; the injected model is no llama.cpp, so no `min_p`.
        #expect(model.requests.map(\.topP) == [nil, 1, 1] && model.requests.allSatisfy { $0.extra["min_p"] == nil })
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

    /// A change that makes the tests loop is stopped at the run's deadline, not at
    /// `--command-timeout` (600 s here): cachetools' `copy` ran 400 s past a 300 s limit so.
    @Test func aChangeThatMakesTheTestsLoopIsStoppedAtTheDeadline() async throws {
        let repo = try await Self.project()
        defer { repo.remove() }
        let base = try await Snapshot.create(from: repo.path)
        let sandbox = await Sandbox.standard()
        let baseline = await PatchVerifier.recordBaseline(base: base, testCommand: "python3 -m unittest -v", commandTimeout: 600, sandbox: sandbox)
        let verifier = PatchVerifier(base: base, testCommand: "python3 -m unittest -v", commandTimeout: 600, sandbox: sandbox,
                                     named: [], baseline: baseline)
        let looping = "diff --git a/calc.py b/calc.py\n--- a/calc.py\n+++ b/calc.py\n@@ -3 +3 @@\n-    return total - b\n+    return next(x for x in iter(int, 1) if x)\n"
        let started = Date()
        let judgement = await verifier.verify(patch: looping, until: Date().timeIntervalSinceReferenceDate + 3)
        await base.remove()
        #expect(Date().timeIntervalSince(started) < 60, "stopped near the 3 s deadline, not after 600 s")
        #expect(!judgement.verification.verified)
        #expect(judgement.verification.reason.contains("stopped at the run's time limit"), "\(judgement.verification.reason)")
        let late = await verifier.verify(patch: looping, until: Date().timeIntervalSinceReferenceDate - 1)
        #expect(!late.verification.verified && late.verification.reason.contains("time limit had passed"))
    }

    /// Each prompt after a tested answer lists what was tried and what the tests said; a line two
    /// different changes failed on (no failing test passing) is no longer offered.
    @Test func triedChangesAreListedAndALineThatKeepsFailingLeavesTheChoices() async throws {
        let repo = try await Self.project()
        defer { repo.remove() }
        let answers = [
            Self.answer(line: "2: total = a", replacement: "total = a + 1"),
            Self.answer(line: "2: total = a", replacement: "total = 0"),
            Self.answer(line: "3: return total - b", replacement: "return total + b"),
        ]
        let model = Self.answering(answers)
        let outcome = await Fixer.run(Self.request(repo, samples: 3), model: .embedded(), options: options(model))
        #expect(outcome.report.endReason == .repaired)
        let prompts = model.requests.map { $0.messages.last?.content ?? "" }
        #expect(!prompts[0].contains("already tested"))
        #expect(prompts[1].contains("- line 2 → `total = a + 1`: 1 test that passed before fails now."))
        #expect(prompts[2].contains("- line 2 → `total = 0`: None of the 1 test that failed before passes now."))
        let choices = model.requests.map { $0.responseFormat?.serialized() ?? "" }
        #expect(choices[1].contains("\"2: total = a\""), "one failed change does not rule a line out")
        #expect(!choices[2].contains("\"2: total = a\"") && choices[2].contains("\"3: return total - b\""))
    }

    /// The line copied unchanged, then the same answer again: two answers that fixed nothing, so the
    /// line leaves the choices, and the prompt says why the first was no change.
    @Test func copiedAndRepeatedAnswersAlsoRuleALineOut() async throws {
        let repo = try await Self.project()
        defer { repo.remove() }
        let answers = [
            Self.answer(line: "2: total = a", replacement: "total = a"),
            Self.answer(line: "2: total = a", replacement: "total = a"),
            Self.answer(line: "3: return total - b", replacement: "return total + b"),
        ]
        let model = Self.answering(answers)
        let outcome = await Fixer.run(Self.request(repo, samples: 3), model: .embedded(), options: options(model))
        #expect(outcome.report.endReason == .repaired)
        #expect(outcome.report.repair?.tested == 1)
        #expect(model.requests[1].messages.last?.content?.contains("- line 2 → `total = a`: That is the line as it already is.") == true)
        let choices = model.requests.map { $0.responseFormat?.serialized() ?? "" }
        #expect(choices[1].contains("\"2: total = a\"") && !choices[2].contains("\"2: total = a\""))
    }

    /// After the model's own choices the repair names each line in turn, most suspect first, and
    /// the model only says how that line should read; the schema offers that line alone.
    @Test func theSearchNamesEachLineInTurnAfterTheModelsChoices() async throws {
        let repo = try await Self.project()
        defer { repo.remove() }
        let model = Self.rightOnlyWhenNamed()
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("search-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let outcome = await Fixer.run(Self.request(repo, samples: 1), model: .embedded(), options: options(model, trajectory: journal))
        #expect(outcome.report.endReason == .repaired)
        #expect(outcome.report.patch.contains("+    return total + b"))
        #expect(model.requests.count == 2, "one free answer, then the return line first")
        let named = try #require(model.requests.last)
        let asked = named.messages.last?.content ?? ""
        #expect(asked.contains("The bug is on line 3: `return total - b`. Give that line corrected."))
        #expect(!asked.contains("diagnosis") && !asked.contains("missing statement"), "the search asks for the replacement alone")
        // Named, the line needs no choosing and no diagnosis: the answer is the replacement alone.
        let format = try #require(named.responseFormat)
        #expect(format["json_schema"]?["schema"]?["required"] == ["replacement"])
        #expect(named.temperature == 0)
        let repairs = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONDecoder().decode(JournalRecord.self, from: Data($0.utf8)) }
            .compactMap { record -> JournalEntry.Repair? in if case .repair(let r) = record.entry { r } else { nil } }
        #expect(repairs.map(\.lineChosenBy) == [.model, .search])
        #expect(repairs.map(\.line) == [2, 3] && repairs[1].diagnosis == nil)
    }

    /// Heavy mode asks the search's lines N at once but the model-picked answers only
    /// `repairSamples` times: N long answers at once on a CPU server cost N answers' time and used
    /// up heavy runs' budgets (docs/evaluation.md, session 10).
    @Test func heavyModeAsksTheModelsChoiceOnceAndTheSearchsLinesAtOnce() async throws {
        let repo = try await Self.project()
        defer { repo.remove() }
        let model = Self.rightOnlyWhenNamed()
        var request = Self.request(repo, samples: 1)
        request.heavy = 3
        let outcome = await Fixer.run(request, model: .embedded(), options: options(model))
        #expect(outcome.report.endReason == .repaired)
        let repairs = model.requests.filter(Self.isRepairRequest)
        let searched = repairs.filter { $0.responseFormat?["json_schema"]?["schema"]?["required"] == ["replacement"] }
        #expect(repairs.count - searched.count == 1, "one model-picked answer, as in a single run")
        #expect(searched.count >= 2, "the search's first lines asked together")
    }

    @Test func theSearchAsksAboutReturnsThenConditionsThenTheRestAndWhatWasTriedLast() {
        let definition = FocusSnippet.Shown(path: "m.py", totalLines: 12, rows: [
            .init(number: 1, text: "@cache"),
            .init(number: 2, text: "def pick(items, low=0):"),
            .init(number: 3, text: "    total = low"),
            .init(number: 4, text: "    for item in items:"),
            .init(number: 5, text: "        if item > low:"),
            .init(number: 6, text: "            total += item"),
            .init(number: 7, text: "        else:"),
            .init(number: 8, text: "            raise ValueError(item)"),
            .init(number: 9, text: "    return total"),
            .init(number: 10, text: "    )"),
        ])
        var subject = RepairSubject(definition: definition, signatures: [])
        #expect(subject.searchOrder() == [9, 4, 5, 2, 3, 6, 8])
        subject.tried = [RepairPrompt.Tried(fix: LineFix(path: "m.py", line: 5, replacement: ["if item >= low:"], diagnosis: ""), result: "x")]
        #expect(subject.searchOrder() == [9, 4, 2, 3, 6, 8, 5], "a line already changed comes last")
    }

    @Test func theSearchSkipsTheLinesOfDocstrings() {
        // A class shown whole: its method's docstring lines are numbered rows, but prose.
        let definition = FocusSnippet.Shown(path: "m.py", totalLines: 14, rows: [
            .init(number: 1, text: "class Parser:"),
            .init(number: 2, text: "    def search(self, text, pos=0):"),
            .init(number: 3, text: #"        """Search the text."#),
            .init(number: 4, text: "        Start at 'pos' if it is given."),
            .init(number: 5, text: #"        """"#),
            .init(number: 6, text: "        return self.find(text, pos)"),
            .init(number: 7, text: "    def names(self):"),
            .init(number: 8, text: "        '''One line.'''"),
            .init(number: 9, text: #"        usage = r"""names(x) is"#),
            .init(number: 10, text: #"        a list""".strip()"#),
            .init(number: 11, text: "        if not self.named:"),
            .init(number: 12, text: "            return usage"),
        ])
        #expect(RepairSubject.stringLines(definition.sourceRows) == [3, 4, 5, 8, 10])
        #expect(RepairSubject(definition: definition, signatures: []).searchOrder() == [6, 12, 11, 1, 2, 7, 9],
                "code that opens a string (9) is still asked about; the rest of the string is not")
    }

    @Test func functionsAreSearchedBeforeTheBodyOfAClass() {
        let text = """
            import re

            class Version:
                NAMES = ("major", "minor")
                _REGEX = re.compile(r"[0-9]+")

                def __init__(self, major):
                    self.major = major

                def is_compatible(self, other):
                    return self.major == other.major

            def parse(text):
                return Version(int(text))

            """
        func found(_ lines: ClosedRange<Int>) -> FocusSnippet.Shown {
            let rows = TextFile.lines(text)
            return FocusSnippet.Shown(path: "v.py", totalLines: rows.count, rows: lines.map { .init(number: $0, text: String(rows[$0 - 1])) })
        }
        let classBody = found(3...5), method = found(10...11), function = found(13...14)
        #expect(RepairSubject.showsClassBody(classBody, text: text))
        #expect(!RepairSubject.showsClassBody(method, text: text) && !RepairSubject.showsClassBody(function, text: text))
        #expect(RepairSubject.view(of: classBody, text: text).sourceRows.first?.number == 3, "the class is shown from its header")
        let subjects = [classBody, method, function].map {
            RepairSubject(definition: RepairSubject.view(of: $0, text: text), signatures: [],
                          isClassBody: RepairSubject.showsClassBody($0, text: text))
        }
        #expect(RepairSubject.ordered(subjects).map { $0.definition.sourceRows.first?.number } == [10, 13, 3])
    }

    @Test func aFunctionIsShownWholeNotTheDefinitionNestedInItsMiddle() throws {
        let text = """
            def with_metaclass(meta, *bases):
                class metaclass(type):
                    def __new__(cls, name, this_bases, d):
                        resolved = bases
                        return meta(name, resolved, d)

                    def __prepare__(cls, name, this_bases):
                        return meta.__prepare__(name, bases)
                return type.__new__('temporary_class', metaclass, (), {})

            """
        let found = try #require(FocusSnippet.definition(around: 9, of: text, path: "six.py"))
        #expect(found.sourceRows.map(\.number) == Array(1...9))
        #expect(RepairSubject.anchor(of: found) == 1, "the middle row (5) is in the nested __new__")
        let view = RepairSubject.view(of: found, text: text)
        #expect(view.sourceRows.map(\.number) == Array(1...9), "the last line, where the bug is, is shown")
        #expect(!RepairSubject.showsClassBody(found, text: text))
        // A long definition localization cut has no header in view: its middle row is the anchor.
        var cut = found
        cut.rows = Array(found.rows[3...6])
        #expect(RepairSubject.anchor(of: cut) == 6)
    }

    @Test func aCommentTheModelAddsIsLeftOutButStringsAndExistingCommentsStay() throws {
        let noted = try #require(LineFix.decode(Self.answer(line: "10: return high", replacement: "return low  # Corrected: low, not high"),
                                                definition: Self.definition))
        #expect(noted.replacement == ["return low"])
        let hashInString = try #require(LineFix.decode(Self.answer(line: "10: return high", replacement: "return '#' + low"), definition: Self.definition))
        #expect(hashInString.replacement == ["return '#' + low"])
        let onlyComment = LineFix.decode(Self.answer(line: "10: return high", replacement: "# return low"), definition: Self.definition)
        #expect(onlyComment == nil)
        var commented = Self.definition
        commented.rows[3].text = "        return high  # the upper bound"
        let kept = try #require(LineFix.decode(Self.answer(line: "10: return high  # the upper bound", replacement: "return low  # the lower bound"),
                                               definition: commented))
        #expect(kept.replacement == ["return low  # the lower bound"], "the line had a comment: the model's edit of it is kept")
    }

    @Test func repeatedAnswersRaiseTheTemperatureUpToAMaximum() {
        #expect(FocusedRepair.temperature(sample: 0, repeats: 4) == 0, "the first answer is greedy")
        #expect(FocusedRepair.temperature(sample: 1, repeats: 0) == FocusedRepair.sampledTemperature)
        #expect(FocusedRepair.temperature(sample: 2, repeats: 1) == FocusedRepair.sampledTemperature + FocusedRepair.temperatureStepPerRepeat)
        #expect(FocusedRepair.temperature(sample: 9, repeats: 20) == FocusedRepair.hottest)
        #expect(FocusedRepair.sampledTemperature >= 1, "below 1 temperature sharpens the model's choice")
    }

    /// A sampled request to llama.cpp turns off the cuts its chain makes before temperature.
    @Test func sampledRequestsToLlamaCppTurnOffTopPAndMinP() {
        var request = ChatRequest(messages: [.user("x")])
        FocusedRepair.widen(&request, for: .llamaCpp)
        let body = request.body()
        #expect(body["top_p"]?.doubleValue == 1 && body["min_p"]?.doubleValue == 0)
        var hosted = ChatRequest(messages: [.user("x")])
        FocusedRepair.widen(&hosted, for: .openAI)
        #expect(hosted.body()["min_p"] == nil && hosted.topP == 1)
    }

    /// A one-line function's behaviour is written in its docstring (toolz's `random_sample` takes an
    /// int seed): shown for short definitions, as context, never as a line to choose.
    @Test func aShortDefinitionIsShownWithItsDocstring() throws {
        let file = """
            def sample(prob, seq, state=None):
                \"\"\"Keep each item with probability prob.

                ``state`` may be an int seed or an object with ``random()``.
                \"\"\"
                return filter(lambda _: state.random() < prob, seq)


            def long(x):
                \"\"\"Doc.

                More.
                \"\"\"
            """ + (1...7).map { "\n    x += \($0)" }.joined() + "\n    return x\n"
        let folded = try #require(FocusSnippet.definition(around: 6, of: file, path: "s.py"))
        #expect(folded.rendered.contains("docstring, lines 2-5, not shown"))
        let shown = RepairSubject.view(of: folded, text: file)
        #expect(shown.rendered.contains("     |     ``state`` may be an int seed"))
        #expect(RepairPrompt.choices(shown) == RepairPrompt.choices(folded), "docstring lines are not choices")
        let longFolded = try #require(FocusSnippet.definition(around: 15, of: file, path: "s.py"))
        #expect(RepairSubject.view(of: longFolded, text: file) == longFolded, "eight lines of code: folded")
    }

    /// webcolors: a 139-line function, half of it comments, with the bug in its last line, which the
    /// orientation's 50-line cut leaves out; without comments the repair shows it.
    @Test func aLongDefinitionIsShownWithoutCommentsSoItsEndFits() throws {
        var lines = ["def parse(value):"]
        for step in 1...40 {
            lines += ["    # \(step). The spec's step \(step),", "    #    explained at length.", "    x\(step) = value + \(step)"]
        }
        lines.append("    return Color(x2, x1, x3)")
        let file = lines.joined(separator: "\n") + "\n"
        let found = try #require(FocusSnippet.definition(around: 60, of: file, path: "c.py"))
        #expect(!found.rendered.contains("return Color"), "the orientation's cut")
        let shown = RepairSubject.view(of: found, text: file)
        #expect(shown.rendered.contains("  122|     return Color(x2, x1, x3)"))
        #expect(!shown.rendered.contains("#"), "comments left out")
        #expect(shown.sourceRows.count == 42)
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
        // The same words for every line: the search puts them on each of the three lines in turn,
        // three changes tested, the later passes repeating them.
        #expect(outcome.report.repair == RunReport.RepairSummary(answers: 2 + FocusedRepair.searchPasses * 3, tested: 3, verified: false,
                                                                 modelS: outcome.report.repair?.modelS ?? 0))
        // One definition: two free samples, then each search pass names its three lines.
        #expect(model.requests.filter(Self.isRepairRequest).count == 2 + FocusedRepair.searchPasses * 3)
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
        let model = Self.answering(answers)
        let outcome = await Fixer.run(Self.request(repo, samples: 2), model: .embedded(), options: options(model))
        #expect(outcome.report.status == .verified)
        #expect(outcome.report.patch.contains("+    return total + b\n"))
        #expect(!outcome.report.patch.contains("else"))
        #expect(outcome.report.repair?.tested == 2)
    }

    /// An answer that makes the fix and another change: the two changes are tested alone too,
    /// without asking the model again, and the one the tests accept is the patch.
    @Test func theSeparateChangesOfAnAnswerAreEachTestedAlone() async throws {
        let repo = try await Self.project()
        defer { repo.remove() }
        let model = Self.answering([Self.answer(line: "3: return total - b", replacement: "return total + b + 1")])
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("parts-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let outcome = await Fixer.run(Self.request(repo, samples: 1), model: .embedded(), options: options(model, trajectory: journal))
        #expect(outcome.report.endReason == .repaired, "\(outcome.report.tests.verificationReason ?? "")")
        #expect(outcome.report.patch.contains("-    return total - b\n+    return total + b\n"))
        #expect(outcome.report.repair?.answers == 1 && outcome.report.repair?.tested == 2)
        #expect(model.requests.filter(Self.isRepairRequest).count == 1)
        let repairs = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONDecoder().decode(JournalRecord.self, from: Data($0.utf8)) }
            .compactMap { record -> JournalEntry.Repair? in if case .repair(let r) = record.entry { r } else { nil } }
        #expect(repairs.map(\.replacement) == ["return total + b + 1", "return total + b"])
        #expect(repairs.map(\.verified) == [false, true])
        #expect(repairs.map(\.partOfAnswer) == [nil, 1])
    }

    /// An answer with two changes that fixes nothing, nor do its parts: three failures on one line,
    /// but they are one answer's, so the line is still offered to the next question.
    @Test func thePartsOfOneAnswerDoNotRuleItsLineOut() async throws {
        let repo = try await Self.project()
        defer { repo.remove() }
        let model = Self.answering([Self.answer(line: "3: return total - b", replacement: "return total * b * 2"),
                                    Self.answer(line: "3: return total - b", replacement: "return total + b")])
        let outcome = await Fixer.run(Self.request(repo, samples: 2), model: .embedded(), options: options(model))
        #expect(outcome.report.endReason == .repaired, "\(outcome.report.tests.verificationReason ?? "")")
        #expect(outcome.report.repair?.answers == 2 && outcome.report.repair?.tested == 4, "the answer, its two parts, the fix")
        let asked = model.requests.filter(Self.isRepairRequest)
        try #require(asked.count == 2)
        #expect(asked[1].responseFormat?.serialized().contains("\"3: return total - b\"") == true)
    }

    @Test func anAnswerIsSplitIntoItsSeparateChanges() {
        // session 6's inflection answer: the fix (`and` → `or`) and a change that broke 77 tests.
        #expect(AnswerParts.lines(original: "    if not word and word.lower() in UNCOUNTABLES:",
                                  answer: "if not word or word not in UNCOUNTABLES:")
                == ["if not word or word.lower() in UNCOUNTABLES:", "if not word and word not in UNCOUNTABLES:"])
        // Spacing is the line's own outside the change; a string literal is one token.
        #expect(AnswerParts.lines(original: "x = f(a,b, 'one two')", answer: "x = g(a, c, 'one two')") == ["x = g(a,b, 'one two')", "x = f(a, c, 'one two')"])
        #expect(AnswerParts.lines(original: "return total - b", answer: "total = b") == [], "half the line kept: another line, not an edit")
        #expect(AnswerParts.lines(original: "return 'a b'", answer: "return 'a c'") == [], "one change: nothing to split")
        #expect(AnswerParts.lines(original: "return x", answer: "return x") == [])
        #expect(AnswerParts.lines(original: "a = b + c - d * e + f", answer: "q = b - c + d / e - f") == [], "five changes: a rewrite")
        // A call added around an argument is one change, however the LCS aligns its brackets.
        #expect(AnswerParts.lines(original: "string = transliterate(string)", answer: "string = transliterate(string.lower())") == [])
        #expect(AnswerParts.lines(original: "x = f(a) + g(b)", answer: "x = f(a.lower()) - g(b)") == ["x = f(a.lower()) + g(b)", "x = f(a) - g(b)"])
        #expect(AnswerParts.hunks(["a", "b", "c"], ["a", "x", "c", "y"])
                == [AnswerParts.Hunk(old: 1..<2, new: 1..<2), AnswerParts.Hunk(old: 3..<3, new: 3..<4)])
        // A call wrapped around an argument is one change: `g(` and its `)` are not split.
        #expect(AnswerParts.lines(original: "f(x)", answer: "f(g(x))") == [])
        #expect(AnswerParts.lines(original: "x = f(a) + b", answer: "x = f(g(a)) - b") == ["x = f(g(a)) + b", "x = f(a) - b"])
        let wrap = AnswerParts.hunks(["f", "(", "x", ")"], ["f", "(", "g", "(", "x", ")", ")"])
        #expect(wrap.count == 2, "the LCS sees `g(` and `)` apart")
        #expect(AnswerParts.balanced(wrap, old: ["f", "(", "x", ")"], new: ["f", "(", "g", "(", "x", ")", ")"])
                == [AnswerParts.Hunk(old: 1..<3, new: 1..<6)])
        // Brackets of another kind do not balance a group; a dropped bracket leaves the hunks apart.
        #expect(AnswerParts.lines(original: "a = b(c) + d", answer: "a = b[c] + e") == ["a = b[c] + d", "a = b(c) + e"])
        #expect(AnswerParts.lines(original: "y = h(a) + c * d", answer: "y = h(a + c / d") == ["y = h(a + c * d", "y = h(a) + c / d"])
        #expect(AnswerParts.hunks(["f", "(", "a", ")"], ["f", "(", "a", ".", "lower", "(", ")", ")"])
                == [AnswerParts.Hunk(old: 3..<3, new: 3..<7)], "the inserted call holds its own `)`")
        #expect(AnswerParts.Token.split("if a<=b:").map(\.text) == ["if", "a", "<=", "b", ":"])
    }

    /// The failure names an unbound variable: before any other question the repair names the line
    /// that first uses it and asks for the missing statement, greedy and then sampled; the second
    /// answer inserts it.
    @Test func anUnboundNameIsAskedForAsAMissingStatementFirst() async throws {
        let repo = try await TempRepo(files: [
            "greet.py": "def greet(name):\n    if name:\n        return greeting + \", \" + name\n    greeting = \"Hi\"\n    return greeting\n",
            "test_greet.py": """
                import unittest
                from greet import greet

                class GreetTests(unittest.TestCase):
                    def test_greet(self):
                        self.assertEqual(greet("Bob"), "Hi, Bob")

                """,
        ])
        defer { repo.remove() }
        let model = Self.answering([#"{"replacement": "greeting = \"Hello\"\nreturn greeting + \", \" + name"}"#,
                                    #"{"replacement": "greeting = \"Hi\"\nreturn greeting + name\ngreeting = 1"}"#])
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("unbound-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let outcome = await Fixer.run(Self.request(repo, samples: 1), model: .embedded(), options: options(model, trajectory: journal))
        #expect(outcome.report.endReason == .repaired, "\(outcome.report.tests.verificationReason ?? "")")
        // The second answer rewrote the line and went on: only its statement is inserted.
        #expect(outcome.report.patch.contains("+        greeting = \"Hi\"\n         return greeting + \", \" + name\n"))
        let asked = model.requests.first?.messages.last?.content ?? ""
        #expect(asked.contains("`greeting` is used on line 3 (`return greeting + \", \" + name`) but nothing sets it before that line"))
        #expect(model.requests.first?.responseFormat?["json_schema"]?["schema"]?["required"] == ["replacement"])
        let repairs = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONDecoder().decode(JournalRecord.self, from: Data($0.utf8)) }
            .compactMap { record -> JournalEntry.Repair? in if case .repair(let r) = record.entry { r } else { nil } }
        #expect(repairs.map(\.lineChosenBy) == [.unboundName, .unboundName] && repairs.allSatisfy { $0.line == 3 })
        #expect(repairs.map(\.verified) == [false, true])
        #expect(model.requests.map(\.temperature) == [0, FocusedRepair.sampledTemperature])
        #expect(Set(model.requests.map(\.seed)).count == 2)
    }

    @Test func unboundNamesAreReadFromPythonsErrorsAndTheirFirstUseFound() {
        #expect(MissingAssignment.name(in: "E   UnboundLocalError: cannot access local variable 'prefix' where it is not associated with a value") == "prefix")
        #expect(MissingAssignment.name(in: "UnboundLocalError: local variable 'x_1' referenced before assignment") == "x_1")
        #expect(MissingAssignment.name(in: "E   NameError: name 'greeting' is not defined") == "greeting")
        #expect(MissingAssignment.name(in: "E   AssertionError: 'name' != 'x'") == nil)
        let definition = FocusSnippet.Shown(path: "m.py", totalLines: 9, rows: [
            .init(number: 1, text: "def match(self, prefix_len):"),
            .init(number: 2, text: "    self.prefix = 1"),
            .init(number: 3, text: "    n = prefix_len"),
            .init(number: 4, text: "    if prefix in ('>=', '<='):"),
            .init(number: 5, text: "        prefix = prefix[0]"),
        ])
        #expect(MissingAssignment.firstUse(of: "prefix", in: definition) == 4, "an attribute and a longer name are other names")
        #expect(MissingAssignment.firstUse(of: "absent", in: definition) == nil)
        // The answer as an insertion above the line as it is: the statement ends where the line
        // appears unchanged, or after its first line when the model rewrote the line.
        let block = LineFix(path: "m.py", line: 4, replacement: ["if n:", "    prefix = n", "if prefix in ('>=', '<='):", "x = 1"], diagnosis: "")
        #expect(block.insertion(above: "    if prefix in ('>=', '<='):").replacement == ["if n:", "    prefix = n", "if prefix in ('>=', '<='):"])
        let rewritten = LineFix(path: "m.py", line: 4, replacement: ["prefix = n", "if prefix in ('>',):"], diagnosis: "")
        #expect(rewritten.insertion(above: "    if prefix in ('>=', '<='):").replacement == ["prefix = n", "if prefix in ('>=', '<='):"])
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
