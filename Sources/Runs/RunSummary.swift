import Agent

/// The words every face uses for a run's progress and result, so the editor, ACP and CLI agree.
extension RunReport {
    /// One line: what the run produced.
    public var summaryLine: String {
        switch status {
        case .verified: "verified fix: tests pass (\(filesChanged.count) file(s), \(steps) steps)"
        case .unverified: "unverified patch: tests did not pass (\(steps) steps, ended: \(endReason.rawValue))"
        case .noPatch: "no patch (\(steps) steps, ended: \(endReason.rawValue))"
        case .error: "error: \(error ?? "unknown")"
        }
    }
}

extension AgentEvent {
    /// `step 3/300 · read_file · read a.txt · 120 tok · cache 50%`
    public var progressLine: String {
        var line = "step \(step)/\(maxSteps)"
        if let tool { line += " · \(tool)" }
        line += " · \(summary)"
        if promptTokens + completionTokens > 0 { line += " · \(promptTokens + completionTokens) tok" }
        if let cacheHitRate { line += " · cache \(Int((cacheHitRate * 100).rounded()))%" }
        return line
    }

    /// Share of the step budget used, 0...100.
    public var percentage: Int { maxSteps > 0 ? min(100, step * 100 / maxSteps) : 0 }
}
