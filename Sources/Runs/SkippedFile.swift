/// A file of a run's changes that was not written (or not offered), and why (said to the user).
public struct SkippedFile: Sendable, Equatable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
}

/// What an apply wrote (repository-relative paths) and what it left out.
public struct AppliedRun: Sendable, Equatable {
    public var id: RunID
    public var applied: [String]
    public var skipped: [SkippedFile]
}
