import Foundation

/// Where Fixpoint keeps what setup installs and what runs leave behind: `$FIXPOINT_CACHE`, else `~/.cache/fixpoint`.
public enum FixpointPaths {
    public static var cache: String {
        if let dir = ProcessInfo.processInfo.environment["FIXPOINT_CACHE"], !dir.isEmpty { return dir }
        return (ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()) + "/.cache/fixpoint"
    }
    public static var models: String { cache + "/models" }
    public static var logs: String { cache + "/logs" }
    /// Journals of the language server's runs in progress (`<id>.jsonl` + `.checkpoint`): a run
    /// killed with its server leaves them for `fixpoint.resumeFix`, as does a resumed run that fails
    /// before its first step; a run that finishes removes them.
    public static var runJournals: String { cache + "/runs" }
    /// Run snapshots (`$FIXPOINT_SNAPSHOT_DIR` wins, for tests that watch one folder).
    public static var snapshots: String {
        if let configured = ProcessInfo.processInfo.environment["FIXPOINT_SNAPSHOT_DIR"], !configured.isEmpty { return configured }
        return cache + "/snapshots"
    }
    /// The llama-server that `scripts/setup` built (a symlink to the versioned folder).
    public static var cachedLlamaServer: String { cache + "/llama-server/current/bin/llama-server" }
    /// The command that installs what is missing.
    public static let setupCommand = "scripts/setup (in the Fixpoint checkout)"
}
