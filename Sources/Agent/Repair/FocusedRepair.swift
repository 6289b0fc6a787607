import Foundation
import Git
import ModelClient

/// Before the agent loop, when tests fail and localization found the code they point at: the
/// model is asked, in a short prompt of its own, which line of that code is wrong and what it
/// should say (`RepairPrompt`); each distinct answer is verified exactly as a submitted patch is
/// (a clean copy of the base, the user's tests, compared test by test with the baseline), and the
/// first verified one is the run's result. Several answers are sampled, as Agentless samples
/// repairs and keeps those the tests accept: a 1.5B model rarely gets the line right first time
/// but often within a few samples, and one answer costs seconds where an agent step costs a
/// minute. Nothing verified: the agent loop runs as it would have, with the time that is left.
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
    /// Answers asked about each definition; the first at temperature 0, the rest sampled.
    let samplesPerDefinition: Int
    /// Answers asked at once (heavy mode's slots).
    let parallel: Int
    /// No new answer is asked after this time (reference-date seconds).
    let stopAt: Double?

    static let definitionsTried = 2
    static let sampledTemperature = 0.8
    static let maxAnswerTokens = 300

    func run(failure: String, definitions: [FocusSnippet.Shown]) async -> Outcome {
        var outcome = Outcome()
        var tried = Set<String>()
        for definition in definitions.prefix(Self.definitionsTried) where !RepairPrompt.choices(definition).isEmpty {
            let file = base.directory + "/" + definition.path
            let signatures = await runBlocking {
                (try? String(contentsOfFile: file, encoding: .utf8)).map { CalledSignatures.lines(for: definition, in: $0) } ?? []
            }
            let prompt = RepairPrompt.user(failure: failure, definition: definition, signatures: signatures)
            var sample = 0
            while sample < samplesPerDefinition {
                guard !outOfTime, !Task.isCancelled else { return outcome }
                let batch = Array(sample..<min(sample + parallel, samplesPerDefinition))
                sample += batch.count
                let answers = await ask(prompt, about: definition, samples: batch)
                if answers.isEmpty { return outcome }   // the model could not be reached: the loop will say so
                for answer in answers {
                    outcome.answers += 1
                    outcome.usage = outcome.usage + answer.usage
                    outcome.modelSeconds += answer.seconds
                    var record = JournalEntry.Repair(path: answer.fix?.path, line: answer.fix?.line,
                                                     replacement: answer.fix?.replacement.joined(separator: "\n"),
                                                     diagnosis: answer.fix?.diagnosis, promptTokens: answer.usage.promptTokens,
                                                     completionTokens: answer.usage.completionTokens, wallS: answer.seconds)
                    guard let fix = answer.fix else {
                        record.reason = "no usable line change in the answer"
                        report(record, step: outcome.answers)
                        continue
                    }
                    guard tried.insert(fix.change).inserted else {
                        record.reason = "the same change as an earlier answer"
                        report(record, step: outcome.answers)
                        continue
                    }
                    guard !Task.isCancelled, let patch = await patch(for: fix) else {
                        record.reason = "changes nothing"
                        report(record, step: outcome.answers)
                        continue
                    }
                    outcome.tested += 1
                    let verifying = Date()
                    let judgement = await verifier.verify(patch: patch)
                    outcome.verificationSeconds += Date().timeIntervalSince(verifying)
                    record.verified = judgement.verification.verified
                    record.reason = judgement.verification.reason
                    report(record, step: outcome.answers)
                    if judgement.verification.verified {
                        outcome.verified = (patch, judgement)
                        return outcome
                    }
                }
            }
        }
        return outcome
    }

    private var outOfTime: Bool { stopAt.map { Date().timeIntervalSinceReferenceDate >= $0 } ?? false }

    struct Answer: Sendable {
        var fix: LineFix?
        var usage: Usage
        var seconds: Double
    }

    /// One answer per sample index, asked at once; empty when the model failed to answer.
    private func ask(_ prompt: String, about definition: FocusSnippet.Shown, samples: [Int]) async -> [Answer] {
        let format = RepairPrompt.responseFormat(definition)
        let results = await withTaskGroup(of: (Int, Answer?).self) { group in
            for sample in samples {
                group.addTask {
                    var request = ChatRequest(messages: [.system(RepairPrompt.system), .user(prompt)])
                    request.model = modelName
                    request.responseFormat = format
                    request.maxTokens = Self.maxAnswerTokens
                    request.temperature = sample == 0 ? 0 : Self.sampledTemperature
                    request.seed = sample
                    request.stream = true
                    let asked = Date()
                    guard let response = try? await model.complete(request, onDelta: { _ in }) else { return (sample, nil) }
                    let fix = LineFix.decode(response.message.content ?? "", definition: definition)
                    return (sample, Answer(fix: fix, usage: response.usage, seconds: Date().timeIntervalSince(asked)))
                }
            }
            var all: [(Int, Answer?)] = []
            for await result in group { all.append(result) }
            return all.sorted { $0.0 < $1.0 }
        }
        return results.compactMap(\.1)
    }

    /// The patch that makes `fix` in the base: written in a fork, diffed, the fork removed.
    private func patch(for fix: LineFix) async -> String? {
        guard let fork = try? await base.fork() else { return nil }
        let file = fork.directory + "/" + fix.path
        let written: Bool = await runBlocking {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8), let changed = fix.applied(to: text) else { return false }
            return (try? changed.write(toFile: file, atomically: true, encoding: .utf8)) != nil
        }
        let patch = written ? try? await fork.diff() : nil
        await fork.remove()
        return patch?.isEmpty == false ? patch : nil
    }

    private func report(_ record: JournalEntry.Repair, step: Int) {
        journal.record(.repair(record), step: step)
        let place = record.path.map { "\($0):\(record.line ?? 0)" } ?? "no line"
        let said = record.verified.map { $0 ? "verified" : "not verified: \(record.reason ?? "")" } ?? (record.reason ?? "")
        onEvent(AgentEvent(kind: .repair, step: step, maxSteps: maxSteps,
                           summary: "focused repair answer \(step): \(place) → \(said)",
                           promptTokens: record.promptTokens, completionTokens: record.completionTokens,
                           elapsedS: Date().timeIntervalSince(started)))
    }
}
