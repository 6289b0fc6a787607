import Synchronization

/// A point in a scripted reply (`ScriptedReply.Part.hold`) where the server holds the rest of the answer
/// until the test opens the gate — say, from the client's delta callback. That proves the client acted
/// on the first bytes before the rest existed, which no timing on a loaded machine can.
public final class ReplyGate: Sendable {
    /// How long the server waits for `open()` before going on anyway (a hang guard: `gaveUp` then says so).
    public let timeout: Double
    private let state = Mutex<(opened: Bool, gaveUp: Bool)>((false, false))

    public init(timeout: Double = 30) { self.timeout = timeout }

    public func open() { state.withLock { $0.opened = true } }
    public var isOpen: Bool { state.withLock { $0.opened } }
    /// True when the server stopped waiting because nobody opened the gate in time.
    public var gaveUp: Bool { state.withLock { $0.gaveUp } }

    func giveUp() { state.withLock { if !$0.opened { $0.gaveUp = true } } }
}
