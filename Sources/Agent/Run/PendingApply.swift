import Git

/// A finished run's patch with the base it was made on, kept so a face can write it to the user's
/// tree later through the Git layer's safe apply — without holding the snapshot itself. Whoever holds
/// it ends with a successful `apply()` or with `discard()`; both remove the kept folder and return when
/// it is gone.
public final class PendingApply: Sendable {
    private let base: Snapshot
    public let patch: String

    init(base: Snapshot, patch: String) {
        self.base = base; self.patch = patch
    }

    /// Writes the patch into the user's working tree (all files or none, only when every touched file
    /// is unchanged since the run started) and returns the files written. After a successful apply the
    /// base is removed; after a refusal it is kept, so the user can put their files back and try again.
    public func apply() async throws(UserApplyError) -> [String] {
        let written = try await base.applyToUserRepository(patch: patch)
        await base.remove()
        return written
    }

    /// Removes the kept base without applying.
    public func discard() async { await base.remove() }
}
