import CGit2
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// libgit2 must be initialised once per process before any other call; a lazy static does that
/// exactly once, thread-safely (Swift globals are initialised with `swift_once`).
enum LibGit2 {
    private static let initialized: Int32 = git_libgit2_init()

    /// Call at the top of every entry point that touches libgit2.
    static func ensureInitialized() {
        _ = initialized
    }
}

/// Runs `body` with a `git_strarray` view of `strings`; the C strings live only for the call.
func withStrarray<R>(_ strings: [String], _ body: (UnsafeMutablePointer<git_strarray>) throws(GitError) -> R) throws(GitError) -> R {
    var cStrings: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { cStrings.forEach { free($0) } }
    return try cStrings.withUnsafeMutableBufferPointer { (buffer) throws(GitError) -> R in
        var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
        return try body(&array)
    }
}

extension git_oid {
    /// The 40-character hex form.
    var hex: String {
        var copy = self
        return String(cString: git_oid_tostr_s(&copy))
    }

    init(hex: String) throws(GitError) {
        var oid = git_oid()
        try GitError.check(git_oid_fromstr(&oid, hex), "parse object id \(hex)")
        self = oid
    }
}
