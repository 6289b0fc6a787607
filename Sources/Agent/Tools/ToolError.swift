/// A tool failure, worded for the model: what went wrong, on which input, and what to do instead.
/// The loop sends `message` back as the tool's observation; it is never a crash.
public struct ToolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether the call was wrong (the model should change it) or refused by the workspace's
    /// confinement (a path outside the snapshot or under `.git`): refusals are reported as such.
    public enum Kind: Sendable, Equatable { case failed, refused }

    public var message: String
    public var kind: Kind

    public init(_ message: String, kind: Kind = .failed) { self.message = message; self.kind = kind }

    /// A path-confinement refusal.
    public static func refused(_ message: String) -> ToolError { ToolError(message, kind: .refused) }

    public var description: String { message }
}
