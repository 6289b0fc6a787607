/// Which rule judged a patch.
public enum VerificationMethod: String, Sendable, Codable, Equatable {
    /// Test by test, from Fixpoint's reading of the runner's output before and after.
    case tests
    /// The output could not be read test by test: the command's exit code decided.
    case exitCode = "exit_code"
}

/// The judgement of one patch: whether it is verified and the evidence either way. The report's
/// `tests.*` fields come from here, and `feedback` is what a model can be told when it is not.
public struct Verification: Sendable, Equatable {
    public var verified: Bool
    public var method: VerificationMethod
    /// Target tests that failed before (or were named) and pass now.
    public var failToPass: [String] = []
    /// Target tests that still do not pass (with no targets named: tests that failed before and still fail).
    public var stillFailing: [String] = []
    /// With no targets named: tests that failed before and did not run now (skipped, as pathspec's
    /// tests are when an optional module is missing and the bug no longer fails them first). They
    /// neither show the fix nor block it.
    public var skippedNow: [String] = []
    /// Tests that passed before the change and fail after it.
    public var passToPassBroken: [String] = []
    /// Test files the patch changed; they were restored to the base for the judging run.
    public var testFilesTouched: [String] = []
    /// One sentence saying why, in the user's terms.
    public var reason: String

    public init(verified: Bool, method: VerificationMethod, reason: String) {
        self.verified = verified; self.method = method; self.reason = reason
    }

    /// What to tell a model whose submitted patch was not verified, so it can keep working.
    public var feedback: String {
        var lines = ["Fixpoint ran the tests on a clean copy with your patch and the test files restored: the patch is not verified. \(reason)"]
        if !stillFailing.isEmpty { lines.append("Still failing: " + Self.list(stillFailing)) }
        if !passToPassBroken.isEmpty { lines.append("Passed before, fail now: " + Self.list(passToPassBroken)) }
        if !testFilesTouched.isEmpty {
            lines.append("Your changes to test files (\(Self.list(testFilesTouched))) are not part of the judgement: fix the code under test.")
        }
        return lines.joined(separator: "\n")
    }

    static func list(_ ids: [String], limit: Int = 10) -> String {
        ids.count <= limit ? ids.joined(separator: ", ") : ids.prefix(limit).joined(separator: ", ") + " and \(ids.count - limit) more"
    }
}
