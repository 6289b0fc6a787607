import CGit2

/// A failed libgit2 call: which operation, libgit2's return code, error class and message.
/// Built by `GitError.check` right after the call, because `git_error_last()` is thread-local and is
/// overwritten by the next failing call on the same thread.
public struct GitError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What Fixpoint was doing, with the input it was doing it on ("open repository at /x").
    public var operation: String
    /// libgit2's return code (`git_error_code`, e.g. -3 = GIT_ENOTFOUND); 0 for errors raised by Fixpoint itself.
    public var code: Int32
    /// libgit2's error class (`git_error_t`, e.g. 2 = GIT_ERROR_OS); 0 when libgit2 gave none.
    public var klass: Int32
    public var message: String

    public init(operation: String, code: Int32, klass: Int32, message: String) {
        self.operation = operation
        self.code = code
        self.klass = klass
        self.message = message
    }

    public var description: String {
        "git: \(operation) failed: \(message) (code \(code), class \(klass))"
    }

    /// True when libgit2 said the thing looked for does not exist.
    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }

    /// Reads libgit2's last error for this thread. Call immediately after the failing call.
    static func last(_ operation: String, code: Int32) -> GitError {
        if let error = git_error_last(), let message = error.pointee.message {
            return GitError(operation: operation, code: code, klass: error.pointee.klass, message: String(cString: message))
        }
        return GitError(operation: operation, code: code, klass: 0, message: "libgit2 returned \(code) without a message")
    }

    /// Throws when `code` is negative (libgit2's convention for failure).
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(GitError) {
        if code < 0 { throw last(operation(), code: code) }
    }

    /// An error raised by Fixpoint's own checks (no libgit2 call failed).
    static func fixpoint(_ operation: String, _ message: String) -> GitError {
        GitError(operation: operation, code: 0, klass: 0, message: message)
    }
}
