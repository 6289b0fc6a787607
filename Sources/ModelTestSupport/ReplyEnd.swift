/// How the loopback server's playing of one reply ended.
public enum ReplyEnd: Sendable, Equatable {
    /// Every part was sent and the scripted ending played.
    case played
    /// The client closed or reset the connection before the reply was over (a `.hang` ending always
    /// ends so): the transfer was aborted, not drained.
    case clientLeft
    /// `stop()` ended it.
    case stopped
}
