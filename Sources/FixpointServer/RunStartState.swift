import LSP

/// What the editor looked like when a run started, so nothing changed since is overwritten. The run
/// service keeps the run; the server keeps this beside it, by run id.
struct RunStartState: Sendable {
    /// Versions of the documents open in the folder at start.
    var openVersions: [DocumentURI: Int]
    /// The repository root the run works on, as a folder (nil: the run's repository, named by the service).
    var folder: WorkspaceFolder? = nil
}
