import Foundation
import Git
import JSONValue
import ModelClient

/// Before the agent loop, when tests fail and localization found the code they point at: the
/// model is asked, in a short prompt of its own, which line of that code is wrong and what it
/// should say (`RepairPrompt`); each distinct answer is verified exactly as a submitted patch is
/// (a clean copy of the base, the user's tests, compared test by test with the baseline), and the
/// first verified one is the run's result. As Agentless samples repairs and keeps those the tests
/// accept: one answer costs seconds where an agent step costs a minute.
///
/// Two phases. First the model chooses the line, a few answers per definition (the first greedy,
/// the rest sampled), each prompt listing the changes already tested and what the tests said.
/// A 1.5B model mostly chooses the line the error shows, though, and rewrites it again and again;
/// so then the repair searches: it names each other line in turn, most suspect first, and asks
/// the model only how that line should read (greedy, then sampled passes). Nothing verified by
/// the deadline: the agent loop runs with the time that is left.
struct FocusedRepair {
    struct Outcome: Sendable {
        /// The verified patch and its judgement; nil when no answer was verified.
        var verified: (patch: String, judgement: PatchVerifier.Judgement)?
        /// Model answers received, and distinct changes tested.
        var answers = 0
        var tested = 0
        var usage = Usage()
        var modelSeconds = 0.0
        var verificationSeconds = 0.0
    }

    let model: any ChatModel
    let modelName: String?
    let base: Snapshot
    let verifier: PatchVerifier
    let journal: TrajectoryJournal
    let onEvent: @Sendable (AgentEvent) -> Void
    let started: Date
    let maxSteps: Int
    /// Answers where the model chooses the line, per definition; the first at temperature 0.
    let samplesPerDefinition: Int
    /// Answers asked at once (heavy mode's slots).
    let parallel: Int
    /// Which sampling fields the server takes (`widen`).
    let sampling: SamplerDialect
    /// No new answer is asked after this time (reference-date seconds).
    let stopAt: Double?
    /// The run's deadline: a change's tests still running then are stopped (a change can make them
    /// loop: cachetools' `copy`, held-out batch 2, ran 400 s past a 300 s limit under the 600 s
    /// `--command-timeout`).
    var testsStopAt: Double? = nil

    static let definitionsTried = 3
    /// Answers asked for the statement an unbound name lacks, per definition (the first greedy):
    /// session 6's semver answer had the right statement with the wrong slice (`match_expr[0]` for
    /// `match_expr[:2]`), and it was asked once.
    static let unboundNameSamples = 4
    /// Lines the search names per definition in one pass, and its passes (the first greedy, the
    /// rest sampled) at most: a run without a time limit ends too.
    static let searchedLinesPerDefinition = 16
    static let searchPasses = 4
    /// Sampled answers at 1 or hotter: below 1 temperature sharpens the distribution, and the
    /// 1.5B model, sure of most tokens, repeated its greedy answer.
    static let sampledTemperature = 1.0
    /// Each answer that repeats an earlier change raises the next samples' temperature by this much,
    /// up to `hottest`.
    static let temperatureStepPerRepeat = 0.2
    static let hottest = 1.4
    static let maxAnswerTokens = 300
    /// The most earlier results a prompt lists (the latest ones).
    static let triedShown = 6

    /// The temperature of answer `sample` after `repeats` repeated changes about the same definition.
    static func temperature(sample: Int, repeats: Int) -> Double {
        sample == 0 ? 0 : min(hottest, sampledTemperature + temperatureStepPerRepeat * Double(repeats))
    }

    /// A sampled request's cuts turned off. llama.cpp cuts the distribution by top-p (0.95) and
    /// min-p (0.05) *before* temperature reshapes it (its `/props` `samplers`), so wherever the
    /// model is that sure of a token nothing else survives and the temperature changes nothing:
    /// session 6's search repeated an earlier change in 17 of 22 sampled answers on inflection (7 of
    /// 32 without the cuts). Without them, temperature chooses among llama.cpp's top 40 tokens.
    static func widen(_ request: inout ChatRequest, for dialect: SamplerDialect) {
        request.topP = 1
        if dialect == .llamaCpp { request.extra["min_p"] = 0 }
    }

    /// What one run of the repair keeps across definitions.
    struct Progress {
        var outcome = Outcome()
        /// Changes tested (or found to change nothing), by `LineFix.change`.
        var tested = Set<String>()
        /// Of those, the ones after which no failing test passed.
        var fixedNothing = Set<String>()
    }

    func run(failure: String, definitions: [FocusSnippet.Shown]) async -> Outcome {
        var subjects = await subjects(for: Array(definitions.prefix(Self.definitionsTried)))
        var progress = Progress()
        // 0. A name the failure says is unbound: the statement that sets it is missing before its
        // first use, which no rewrite of a line supplies.
        if let name = MissingAssignment.name(in: failure) {
            for index in subjects.indices {
                guard let line = MissingAssignment.firstUse(of: name, in: subjects[index].definition) else { continue }
                var sample = 0
                while sample < Self.unboundNameSamples {
                    guard !outOfTime, !Task.isCancelled else { return progress.outcome }
                    let batch = Array(sample..<min(sample + max(1, parallel), Self.unboundNameSamples))
                    sample += batch.count
                    let subject = subjects[index]
                    let prompt = RepairPrompt.user(failure: failure, definition: subject.definition, signatures: subject.signatures,
                                                   unbound: name, usedOn: line)
                    let questions = batch.map {
                        Question(sample: 20_000 + $0 * 1_000 + line, prompt: prompt, format: RepairPrompt.replacementFormat,
                                 temperature: Self.temperature(sample: $0, repeats: subject.repeats), line: line, lineChosenBy: .unboundName)
                    }
                    if await askAndTest(questions, about: &subjects[index], progress: &progress) { return progress.outcome }
                }
            }
        }
        // 1. The model chooses the line.
        for index in subjects.indices {
            var sample = 0
            while sample < samplesPerDefinition {
                guard !outOfTime, !Task.isCancelled else { return progress.outcome }
                let batch = Array(sample..<min(sample + parallel, samplesPerDefinition))
                sample += batch.count
                let subject = subjects[index]
                let prompt = RepairPrompt.user(failure: failure, definition: subject.definition, signatures: subject.signatures,
                                               tried: subject.tried.suffix(Self.triedShown))
                let format = RepairPrompt.responseFormat(subject.definition, excluding: subject.droppedLines)
                let questions = batch.map {
                    Question(sample: $0, prompt: prompt, format: format, temperature: Self.temperature(sample: $0, repeats: subject.repeats))
                }
                if await askAndTest(questions, about: &subjects[index], progress: &progress) { return progress.outcome }
            }
        }
        // 2. The repair chooses the line, the model says how it should read: greedy first, then
        // sampled passes while there is time.
        for pass in 0..<Self.searchPasses {
            for index in subjects.indices {
                let lines = subjects[index].searchOrder().prefix(Self.searchedLinesPerDefinition)
                for start in stride(from: lines.startIndex, to: lines.endIndex, by: max(1, parallel)) {
                    guard !outOfTime, !Task.isCancelled else { return progress.outcome }
                    let subject = subjects[index]
                    let questions = lines[start..<min(start + max(1, parallel), lines.endIndex)].map { line in
                        Question(sample: pass * 10_000 + line,
                                 prompt: RepairPrompt.user(failure: failure, definition: subject.definition, signatures: subject.signatures,
                                                           line: line, tried: subject.tried.filter { $0.fix.line == line }.suffix(Self.triedShown)),
                                 format: RepairPrompt.replacementFormat,
                                 temperature: Self.temperature(sample: pass, repeats: subject.repeats), line: line, lineChosenBy: .search)
                    }
                    if await askAndTest(questions, about: &subjects[index], progress: &progress) { return progress.outcome }
                }
            }
        }
        return progress.outcome
    }

    private var outOfTime: Bool { stopAt.map { Date().timeIntervalSinceReferenceDate >= $0 } ?? false }

    /// The definitions as the repair shows them (functions before classes), each file read once, off
    /// the cooperative pool.
    private func subjects(for definitions: [FocusSnippet.Shown]) async -> [RepairSubject] {
        let directory = base.directory
        return await runBlocking {
            RepairSubject.ordered(definitions.filter { !RepairPrompt.choices($0).isEmpty }.map { found in
                guard let text = try? String(contentsOfFile: directory + "/" + found.path, encoding: .utf8) else {
                    return RepairSubject(definition: found, signatures: [])
                }
                let view = RepairSubject.view(of: found, text: text)
                return RepairSubject(definition: view, signatures: CalledSignatures.lines(for: view, in: text),
                                     isClassBody: RepairSubject.showsClassBody(found, text: text))
            })
        }
    }

    /// Asks `questions` at once and tests each distinct answer; true when one was verified (it is in
    /// `progress.outcome`) or the model could not be reached (the loop will say so).
    private func askAndTest(_ questions: [Question], about subject: inout RepairSubject, progress: inout Progress) async -> Bool {
        let answers = await ask(questions, about: subject.definition)
        if answers.isEmpty { return true }
        for answer in answers {
            progress.outcome.answers += 1
            progress.outcome.usage = progress.outcome.usage + answer.usage
            progress.outcome.modelSeconds += answer.seconds
            var record = JournalEntry.Repair(path: answer.fix?.path, line: answer.fix?.line,
                                             replacement: answer.fix?.replacement.joined(separator: "\n"),
                                             diagnosis: answer.fix?.diagnosis.isEmpty == false ? answer.fix?.diagnosis : nil, promptTokens: answer.usage.promptTokens,
                                             completionTokens: answer.usage.completionTokens, wallS: answer.seconds)
            record.lineChosenBy = answer.lineChosenBy
            guard let fix = answer.fix else {
                record.reason = "no usable line change in the answer"
                report(record, step: progress.outcome.answers)
                continue
            }
            guard progress.tested.insert(fix.change).inserted else {
                record.reason = "the same change as an earlier answer"
                subject.repeats += 1
                if progress.fixedNothing.contains(fix.change) { subject.failuresOnLine[fix.line, default: 0] += 1 }
                report(record, step: progress.outcome.answers)
                continue
            }
            if await test(fix, record: record, step: progress.outcome.answers, about: &subject, progress: &progress) { return true }
            // The answer's separate changes, each alone (`AnswerParts`).
            guard fix.replacement.count == 1, let original = subject.definition.sourceRows.first(where: { $0.number == fix.line })?.text else { continue }
            for part in AnswerParts.lines(original: original, answer: fix.replacement[0]) {
                guard !outOfTime, !Task.isCancelled else { return false }
                let partFix = LineFix(path: fix.path, line: fix.line, replacement: [part], diagnosis: "")
                guard progress.tested.insert(partFix.change).inserted else { continue }
                var partRecord = JournalEntry.Repair(path: fix.path, line: fix.line, replacement: part, promptTokens: 0, completionTokens: 0, wallS: 0)
                partRecord.lineChosenBy = answer.lineChosenBy
                partRecord.partOfAnswer = progress.outcome.answers
                if await test(partFix, record: partRecord, step: progress.outcome.answers, about: &subject, progress: &progress) { return true }
            }
        }
        return false
    }

    /// Verifies `fix` (a change not tested before) and reports it; true when it was verified (it is
    /// in `progress.outcome`).
    private func test(_ fix: LineFix, record: JournalEntry.Repair, step: Int, about subject: inout RepairSubject,
                      progress: inout Progress) async -> Bool {
        var record = record
        guard !Task.isCancelled, let patch = await patch(for: fix) else {
            record.reason = "changes nothing"
            report(record, step: step)
            progress.fixedNothing.insert(fix.change)
            if record.partOfAnswer == nil { subject.failuresOnLine[fix.line, default: 0] += 1 }
            subject.tried.append(RepairPrompt.Tried(fix: fix, result: "That is the line as it already is."))
            return false
        }
        progress.outcome.tested += 1
        let verifying = Date()
        let judgement = await verifier.verify(patch: patch, until: testsStopAt)
        progress.outcome.verificationSeconds += Date().timeIntervalSince(verifying)
        record.verified = judgement.verification.verified
        record.reason = judgement.verification.reason
        report(record, step: step)
        if judgement.verification.verified {
            progress.outcome.verified = (patch, judgement)
            return true
        }
        subject.tried.append(RepairPrompt.Tried(fix: fix, result: judgement.verification.reason))
        if judgement.verification.failToPass.isEmpty {
            progress.fixedNothing.insert(fix.change)
            // One answer's parts count as that answer alone: they must not rule its line out.
            if record.partOfAnswer == nil { subject.failuresOnLine[fix.line, default: 0] += 1 }
        }
        return false
    }
}
