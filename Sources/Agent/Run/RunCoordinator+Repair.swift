import Foundation
import ModelClient

/// The focused repair's place in a run (docs/architecture.md, "One run, end to end", step 5).
extension RunCoordinator {
    /// The share of the run's time limit the repair may use. Measured on the real-code subset, the
    /// agent loop after a failed repair resolved none of 7 tasks in the half it was left, while
    /// more answers are what the repair's wins came from; the loop keeps the rest (and all of it
    /// when localization found nothing to repair).
    static let repairShareOfTimeLimit = 0.8

    /// Heavy mode asks N questions at once (the search's lines, the unbound-name answers) but not N
    /// times the model-picked answers: on a CPU server parallel answers are no faster in all, and
    /// those long answers used up heavy runs' budgets (docs/evaluation.md, session 10).
    func focusedRepair(verifier: PatchVerifier) -> FocusedRepair {
        FocusedRepair(model: model.model, modelName: model.modelName, base: base, verifier: verifier, journal: journal,
                      onEvent: onEvent, started: started, maxSteps: request.maxSteps,
                      samplesPerDefinition: request.repairSamples, parallel: request.heavy, sampling: model.sampling,
                      stopAt: request.timeLimit.map { started.timeIntervalSinceReferenceDate + $0 * Self.repairShareOfTimeLimit },
                      testsStopAt: request.timeLimit.map { started.timeIntervalSinceReferenceDate + $0 })
    }

    /// The run's one result when the focused repair's patch was verified: the patch made in the
    /// base (where a face applies it from), reported like a trajectory that submitted it.
    func finished(repairedBy verified: (patch: String, judgement: PatchVerifier.Judgement),
                  _ repair: FocusedRepair.Outcome) async -> Finished {
        // It was diffed from a fork of this base a moment ago, so it applies; the report's patch and
        // a face's apply come from `verified.patch` either way.
        _ = try? await base.apply(patch: verified.patch)
        let files = (try? await base.changedFiles()) ?? []
        let changes = await fileChanges(files, in: base)
        var usage = RunReport.UsageTotals()
        usage.promptTokens = repair.usage.promptTokens
        usage.completionTokens = repair.usage.completionTokens
        usage.cachedPromptTokens = repair.usage.cachedPromptTokens
        let outcome = TrajectoryOutcome(endReason: .repaired, steps: repair.answers, toolCalls: 0, usage: usage,
                                        modelSeconds: repair.modelSeconds, toolSeconds: 0, events: [], error: nil,
                                        prefixExtensions: 0, prefixComparisons: 0, submitted: true, modelUnreachable: false)
        return Finished(index: 0, seed: 0, outcome: outcome, patch: verified.patch, files: files, after: verified.judgement.run,
                        verification: verified.judgement.verification, changes: changes, patchSHA256: SHA256.hex(verified.patch),
                        verificationS: repair.verificationSeconds)
    }
}
