/// A run's name within one run service: `run-1`, `run-2`, … Faces show it to users and take it back
/// in commands (`fixpoint.cancel`, `fixpoint.applyFix`).
public struct RunID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let number: Int

    public init(number: Int) { self.number = number }

    /// Parses `run-N`; nil for anything else.
    public init?(_ text: String) {
        guard text.hasPrefix("run-"), let number = Int(text.dropFirst("run-".count)), number > 0 else { return nil }
        self.number = number
    }

    public var description: String { "run-\(number)" }

    public static func < (a: RunID, b: RunID) -> Bool { a.number < b.number }
}
