import Agent

/// Builds a run for a prompt: the face gives the repository root and the issue; the executable decides
/// the rest (its options, `fixpoint.toml`). Keeps settings out of the protocol adapter.
public typealias RunSetup = @Sendable (_ repository: String, _ issue: String) throws(RunSetupError) -> (FixRequest, ModelSelection)

/// Why a prompt could not become a run (a missing test command, a bad `fixpoint.toml`), said so the
/// user can fix it.
public struct RunSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
