/// The bwrap command line for one confined command. The order matters: later mounts cover earlier ones.
struct BubblewrapArguments {
    /// The folder the command may write (the snapshot).
    var workspace: String
    /// Folders inside it that stay read-only (its `.git`).
    var readOnlyInside: [String]
    var hidden: [SecretPaths.Hidden]
    var tmpBytes: UInt64
    var workingDirectory: String
    /// bubblewrap before 0.8 (Ubuntu 22.04 has 0.6) knows neither `--disable-userns` nor `--size`:
    /// without them nested user namespaces stay possible (still without capabilities outside) and
    /// the private /tmp has no size cap (each file still has the file-size limit).
    var legacy = false
    /// HOME inside the sandbox: a folder in its private /tmp.
    static let home = "/tmp/home"

    func make(command: [String]) -> [String] {
        var args = [
            // Namespaces: a user namespace (so the capabilities bwrap needs never reach the command, also
            // when Fixpoint runs as root), PIDs, IPC, hostname and network (only loopback inside).
            "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--unshare-cgroup-try",
            // The whole tree dies with Fixpoint; a new session so the command can't reach our terminal.
            "--die-with-parent", "--new-session",
            // No capabilities inside, and no nested user namespaces to get new ones from.
            "--cap-drop", "ALL",
        ] + (legacy ? [] : ["--disable-userns"]) + [
            "--ro-bind", "/", "/",
            "--dev", "/dev",
            "--proc", "/proc",
        ] + (legacy ? [] : ["--size", String(tmpBytes)]) + [
            "--tmpfs", "/tmp",
            "--dir", Self.home,
            "--tmpfs", "/var/tmp",
        ]
        for item in hidden {
            if item.isDirectory { args += ["--tmpfs", item.path, "--remount-ro", item.path] } else { args += ["--ro-bind", "/dev/null", item.path] }
        }
        args += ["--bind", workspace, workspace]
        for path in readOnlyInside { args += ["--ro-bind", path, path] }
        args += ["--chdir", workingDirectory, "--"]
        return args + command
    }
}
