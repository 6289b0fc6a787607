import Sandbox

extension RunReport {
    /// The report through the redaction point: test output, events and the error. The patch is left
    /// whole, since it must apply; it holds only repository text and the model's edits, and the model
    /// never saw a secret's value (its observations are redacted).
    func redacted() -> RunReport {
        var report = self
        report.tests.before?.outputTail = Redaction.redact(tests.before?.outputTail ?? "")
        if report.tests.after != nil { report.tests.after?.outputTail = Redaction.redact(tests.after?.outputTail ?? "") }
        report.events = events.map { event in
            var event = event
            event.detail = Redaction.redact(event.detail)
            return event
        }
        report.error = error.map(Redaction.redact)
        return report
    }
}

extension ModelSelection {
    /// Environment variables holding the model's credentials, which no command may see.
    var secretEnvironment: [String] {
        if case .remote(_, _, let apiKeyEnv?) = self { return [apiKeyEnv] }
        return []
    }
}
