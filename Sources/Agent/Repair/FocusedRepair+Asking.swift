import Foundation
import Git
import JSONValue
import ModelClient

/// The focused repair's requests to the model, the patch an answer makes, and what it reports.
extension FocusedRepair {
    /// One request: its seed (the sample's index; for the search, pass × 10,000 + the named line),
    /// prompt, response schema and temperature.
    struct Question: Sendable {
        var sample: Int
        var prompt: String
        var format: JSON
        var temperature: Double
        /// Set when the repair named the line (the search, or an unbound name's first use), not the model.
        var line: Int? = nil
        var lineChosenBy: JournalEntry.Repair.LineChooser = .model
    }

    struct Answer: Sendable {
        var fix: LineFix?
        var usage: Usage
        var seconds: Double
        var lineChosenBy: JournalEntry.Repair.LineChooser
    }

    /// One answer per question, asked at once, in the questions' order; empty when the model
    /// could not be reached.
    func ask(_ questions: [Question], about definition: FocusSnippet.Shown) async -> [Answer] {
        let results = await withTaskGroup(of: (Int, Answer?).self) { group in
            for (position, question) in questions.enumerated() {
                group.addTask {
                    var request = ChatRequest(messages: [.system(RepairPrompt.system), .user(question.prompt)])
                    request.model = modelName
                    request.responseFormat = question.format
                    request.maxTokens = Self.maxAnswerTokens
                    request.temperature = question.temperature
                    if question.temperature > 0 { Self.widen(&request, for: sampling) }
                    request.seed = question.sample
                    request.stream = true
                    let asked = Date()
                    guard let response = try? await model.complete(request, onDelta: { _ in }) else { return (position, nil) }
                    var fix = LineFix.decode(response.message.content ?? "", definition: definition, named: question.line)
                    if question.lineChosenBy == .unboundName, let line = question.line,
                       let original = definition.sourceRows.first(where: { $0.number == line })?.text {
                        fix = fix?.insertion(above: original)
                    }
                    return (position, Answer(fix: fix, usage: response.usage, seconds: Date().timeIntervalSince(asked),
                                             lineChosenBy: question.lineChosenBy))
                }
            }
            var all: [(Int, Answer?)] = []
            for await result in group { all.append(result) }
            return all.sorted { $0.0 < $1.0 }
        }
        return results.compactMap(\.1)
    }

    /// The patch that makes `fix` in the base: written in a fork, diffed, the fork removed.
    func patch(for fix: LineFix) async -> String? {
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

    func report(_ record: JournalEntry.Repair, step: Int) {
        journal.record(.repair(record), step: step)
        let place = record.path.map { "\($0):\(record.line ?? 0)" } ?? "no line"
        let said = record.verified.map { $0 ? "verified" : "not verified: \(record.reason ?? "")" } ?? (record.reason ?? "")
        onEvent(AgentEvent(kind: .repair, step: step, maxSteps: maxSteps,
                           summary: "focused repair answer \(step): \(place) → \(said)",
                           promptTokens: record.promptTokens, completionTokens: record.completionTokens,
                           elapsedS: Date().timeIntervalSince(started)))
    }
}
