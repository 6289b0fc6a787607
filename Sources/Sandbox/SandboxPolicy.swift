/// How much the commands a run starts (the test command, `run_command`) may do.
public enum SandboxPolicy: String, Sendable, CaseIterable, Codable {
    /// Tests only, always inside bubblewrap; `run_command` is refused, and a run where bubblewrap
    /// cannot start fails instead of running anything unconfined.
    case strict
    /// The default: tests, and `run_command` when enabled, inside bubblewrap. Where bubblewrap cannot
    /// start, tests run with the environment allowlist and resource limits only (the report says so)
    /// and `run_command` is refused.
    case standard
    /// The user's own rights: network, devices, the full environment (the model's API key and other
    /// secret-named variables aside), for test suites that need them. The report says so.
    case off

    public static let `default` = SandboxPolicy.standard

    /// Parses a setting, with an error that lists the choices.
    public static func parse(_ text: String) throws(SandboxConfigurationError) -> SandboxPolicy {
        guard let policy = SandboxPolicy(rawValue: text.lowercased()) else {
            throw .unknownPolicy(text)
        }
        return policy
    }
}

public enum SandboxConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownPolicy(String)
    case badLimit(name: String, reason: String)

    public var description: String {
        switch self {
        case .unknownPolicy(let text):
            return "unknown sandbox policy '\(text)': use strict, standard or off"
        case .badLimit(let name, let reason):
            return "sandbox limit \(name): \(reason)"
        }
    }
}
