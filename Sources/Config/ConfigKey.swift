/// Every setting Fixpoint reads, with its type, default, limits and where it may be set. The CLI's
/// options, `fixpoint.toml`, the editor's settings and the LSP command's arguments all go through this
/// table, and docs/configuration.md is checked against it by a test.
///
/// Adding a setting: a case here (kind, default, layers, summary), its field in `Settings`, one line in
/// `Settings.set`, and where it takes effect in `FixPlan`; then regenerate the docs table.
public enum ConfigKey: String, CaseIterable, Sendable {
    case testCommand
    case modelUrl
    case model
    case apiKeyEnv
    case maxSteps
    case heavy
    case repairSamples
    case timeout
    case tokenBudget
    case maxStepTokens
    case contextSize
    case commandTimeout
    case actionMode
    case allowRunCommand
    case failToPass
    // The `[sandbox]` table (docs/security.md): in fixpoint.toml a table, in editor settings an object.
    case sandboxPolicy = "sandbox.policy"
    case sandboxApproveCommands = "sandbox.approveCommands"
    case sandboxCpuSeconds = "sandbox.cpuSeconds"
    case sandboxMemoryMB = "sandbox.memoryMB"
    case sandboxFileSizeMB = "sandbox.fileSizeMB"
    case sandboxProcesses = "sandbox.processes"
    case sandboxOutputKB = "sandbox.outputKB"
    case sandboxHide = "sandbox.hide"
    case sandboxEnvironment = "sandbox.environment"

    /// What a value must look like.
    public enum Kind: Sendable, Equatable {
        case string
        case integer(ClosedRange<Int>)
        /// A number of seconds (integer or fraction).
        case seconds(ClosedRange<Double>)
        case bool
        case choice([String])
        case strings
    }

    public var kind: Kind {
        switch self {
        case .testCommand, .modelUrl, .model, .apiKeyEnv: .string
        case .maxSteps: .integer(Limits.maxSteps)
        case .heavy: .integer(Limits.heavy)
        case .repairSamples: .integer(Limits.repairSamples)
        case .timeout: .seconds(Limits.timeout)
        case .tokenBudget: .integer(Limits.tokenBudget)
        case .maxStepTokens: .integer(Limits.maxStepTokens)
        case .contextSize: .integer(Limits.contextSize)
        case .commandTimeout: .seconds(Limits.commandTimeout)
        case .actionMode: .choice(["native", "constrained", "auto"])
        case .allowRunCommand: .bool
        case .sandboxPolicy: .choice(["strict", "standard", "off"])
        case .sandboxApproveCommands: .bool
        case .sandboxCpuSeconds: .integer(Limits.sandboxCpuSeconds)
        case .sandboxMemoryMB: .integer(Limits.sandboxMemoryMB)
        case .sandboxFileSizeMB: .integer(Limits.sandboxFileSizeMB)
        case .sandboxProcesses: .integer(Limits.sandboxProcesses)
        case .sandboxOutputKB: .integer(Limits.sandboxOutputKB)
        case .sandboxHide, .sandboxEnvironment: .strings
        case .failToPass: .strings
        }
    }

    /// Where the key may be set. A repository's `fixpoint.toml` may not name an environment variable
    /// to send to a server (that file could come from anyone), nor switch on shell commands.
    public var layers: Set<SettingsLayer> {
        switch self {
        case .apiKeyEnv, .allowRunCommand: [.commandLine, .editor]
        // Asking before each command is the editor's job; the limits are the project's or the user's.
        case .sandboxApproveCommands: [.commandLine, .editor]
        case .testCommand, .maxSteps, .heavy, .failToPass: [.commandLine, .file, .editor, .commandArguments]
        default: [.commandLine, .file, .editor]
        }
    }

    /// The command-line option that sets it.
    public var option: String {
        switch self {
        case .testCommand: "--test-cmd"
        case .modelUrl: "--model-url"
        case .allowRunCommand: "--allow-run-command"
        case .sandboxPolicy: "--sandbox"
        case .sandboxApproveCommands: "--sandbox-approve-commands"
        case .sandboxCpuSeconds: "--sandbox-cpu-seconds"
        case .sandboxMemoryMB: "--sandbox-memory-mb"
        case .sandboxFileSizeMB: "--sandbox-file-size-mb"
        case .sandboxProcesses: "--sandbox-processes"
        case .sandboxOutputKB: "--sandbox-output-kb"
        case .sandboxHide: "--sandbox-hide"
        case .sandboxEnvironment: "--sandbox-env"
        case .failToPass: "--fail-to-pass"
        default: "--" + rawValue.map { $0.isUppercase ? "-" + $0.lowercased() : String($0) }.joined()
        }
    }

    /// The default, as the docs show it.
    public var defaultText: String {
        switch self {
        case .testCommand: "none: required"
        case .modelUrl: "none: the embedded model"
        case .model: "the embedded default model"
        case .apiKeyEnv: "none: no key sent"
        case .maxSteps: String(Defaults.maxSteps)
        case .heavy: String(Defaults.heavy)
        case .repairSamples: String(Defaults.repairSamples)
        case .timeout: "none"
        case .tokenBudget: "none"
        case .maxStepTokens: String(Defaults.maxStepTokens)
        case .contextSize: "what the server reports, else \(Defaults.contextSize)"
        case .commandTimeout: String(Int(Defaults.commandTimeout))
        case .actionMode: "constrained for the embedded model, auto otherwise"
        case .allowRunCommand: "false"
        case .sandboxPolicy: "standard"
        case .sandboxApproveCommands: "false"
        case .sandboxCpuSeconds: "900"
        case .sandboxMemoryMB: "8192"
        case .sandboxFileSizeMB: "1024"
        case .sandboxProcesses: "1024"
        case .sandboxOutputKB: "8192"
        case .sandboxHide: "none (the built-in list is always hidden)"
        case .sandboxEnvironment: "none (the built-in allowlist)"
        case .failToPass: "none: any test that failed before"
        }
    }

    public var summary: String {
        switch self {
        case .testCommand: "Shell command that runs the tests; exit 0 means pass."
        case .modelUrl: "Base URL of an OpenAI-compatible server."
        case .model: "Model name for modelUrl, or a GGUF path / catalogue key for the embedded server."
        case .apiKeyEnv: "Environment variable holding the API key for modelUrl."
        case .maxSteps: "Maximum agent steps."
        case .heavy: "Parallel trajectories; the verified patch most of them agree on wins."
        case .repairSamples: "One-line repairs per likely function where the model picks the line, before the agent loop; then each other line is named in turn, in heavy mode N lines at once (0: no repair)."
        case .timeout: "Wall-clock limit for the run, in seconds (a model request still unanswered then is cut off)."
        case .tokenBudget: "Total token budget for the run (prompt + completion)."
        case .maxStepTokens: "Per-step output budget in tokens (reasoning plus the call)."
        case .contextSize: "Context size per trajectory, in tokens."
        case .commandTimeout: "Timeout for one test or command run, in seconds (cut shorter when less of the run's `timeout` is left; the final verification keeps this one)."
        case .actionMode: "How the model is asked for actions."
        case .allowRunCommand: "Allow the run_command tool (shell commands in the isolated copy)."
        case .sandboxPolicy: "How tests and commands are confined: strict, standard or off (off only from you, never from fixpoint.toml)."
        case .sandboxApproveCommands: "Ask before each run_command: in the editor (window/showMessageRequest), or on the terminal."
        case .sandboxCpuSeconds: "CPU seconds per process of a sandboxed command."
        case .sandboxMemoryMB: "Address space per process of a sandboxed command, in MiB."
        case .sandboxFileSizeMB: "Largest file a sandboxed command may write, in MiB."
        case .sandboxProcesses: "Processes and threads a sandboxed command's whole tree may hold."
        case .sandboxOutputKB: "Output kept per stream, in KiB; the middle beyond it is dropped."
        case .sandboxHide: "More files or folders (absolute or ~/) hidden inside the sandbox."
        case .sandboxEnvironment: "More environment variables passed into the sandbox (never secret-named ones)."
        case .failToPass: "The tests that show the fix, in the runner's ids; all must pass for a verified patch."
        }
    }

    /// The limits as a reader sees them ("1...16", "native, constrained or auto").
    public var expected: String {
        switch kind {
        case .string: "a string"
        case .integer(let r): "an integer in \(r.lowerBound)...\(r.upperBound)"
        case .seconds(let r): "a number of seconds in \(Self.plain(r.lowerBound))...\(Self.plain(r.upperBound))"
        case .bool: "true or false"
        case .choice(let names): names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
        case .strings: "an array of strings"
        }
    }

    private static func plain(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// Where a setting came from. Later layers win: defaults, then the editor's settings, then
/// `fixpoint.toml`, then the command line or the LSP command's arguments.
public enum SettingsLayer: String, Sendable, Hashable, CaseIterable {
    case file = "fixpoint.toml"
    case editor = "editor settings"
    case commandArguments = "fixpoint.fixIssue arguments"
    case commandLine = "command line"
}

/// Built-in defaults.
public enum Defaults {
    public static let maxSteps = 300
    public static let heavy = 1
    public static let maxStepTokens = 24_576
    /// Context per trajectory when the server does not say, and the embedded server's per-slot context.
    public static let contextSize = 16_384
    public static let commandTimeout: Double = 600
    /// Focused-repair answers where the model picks the line, per likely definition, before the search (0 turns the repair off).
    public static let repairSamples = 1
}

/// Limits every layer enforces.
public enum Limits {
    public static let maxSteps = 1...10_000
    /// The agent runs at most 16 trajectories at once.
    public static let heavy = 1...16
    public static let repairSamples = 0...64
    public static let timeout: ClosedRange<Double> = 1...604_800
    public static let tokenBudget = 1...1_000_000_000
    public static let maxStepTokens = 16...1_000_000
    public static let contextSize = 1_024...10_000_000
    public static let commandTimeout: ClosedRange<Double> = 1...86_400
    public static let sandboxCpuSeconds = 1...86_400
    public static let sandboxMemoryMB = 64...1_048_576
    public static let sandboxFileSizeMB = 1...1_048_576
    public static let sandboxProcesses = 8...65_536
    public static let sandboxOutputKB = 16...1_048_576
}

/// Fixpoint's version, reported by `--version`, the LSP `serverInfo` and the trajectory journal.
public enum FixpointVersion {
    public static let string = "0.1.0"
}
