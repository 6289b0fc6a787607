/// A tool failure, worded for the model: what went wrong, on which input, and what to do instead.
/// The loop sends `message` back as the tool's observation; it is never a crash.
public struct ToolError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
