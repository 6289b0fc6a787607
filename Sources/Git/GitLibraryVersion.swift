import CGit2

/// The libgit2 this binary runs with, e.g. "1.5.1".
public enum GitLibraryVersion {
    public static var description: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        git_libgit2_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}
