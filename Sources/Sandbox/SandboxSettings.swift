/// Everything a user can set about the sandbox (fixpoint.toml `[sandbox]`, `--sandbox`, LSP settings).
public struct SandboxSettings: Sendable, Equatable {
    public var policy: SandboxPolicy = .default
    public var limits = SandboxLimits()
    /// More places to hide besides `SecretPaths.defaults` (absolute, or `~/`-relative).
    public var hiddenPaths: [String] = []
    /// More environment variables to pass through besides `SandboxEnvironment.passed`.
    public var environment: [String] = []
    /// The bubblewrap executable; nil looks for `bwrap` on PATH (or `FIXPOINT_BWRAP`).
    public var bubblewrapPath: String?
    /// Over LSP: ask the user before each `run_command`.
    public var approveCommands = false

    public init(policy: SandboxPolicy = .default) { self.policy = policy }
}
