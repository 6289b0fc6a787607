/// What a tool does to the run. The loop treats tools by role, never by name: the loop guard steers
/// a model that keeps looking towards acting, an edit of a test file gets a reminder, and a call of the
/// submitting tool ends the run (after the submit policy has had its say).
public enum ToolRole: String, Sendable, CaseIterable {
    /// Reads without changing anything: files, listings, searches, the diff so far.
    case looks
    /// Changes files in the snapshot. A `path` argument names the file it changes, when it has one.
    case edits
    /// Runs the project's tests or a command.
    case runs
    /// Ends the run: the model says the work is done.
    case submits
}
