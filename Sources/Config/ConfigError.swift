/// A setting that could not be used: where it came from, and what to do about it. Each face turns it
/// into its own kind of error (the CLI: exit 2; the language server: a JSON-RPC error).
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case unreadable(String)
        case syntax(line: Int, column: Int, String)
        case invalidValue(ConfigKey, got: String)
        case unknownKey(String)
        case notSettableHere(ConfigKey, SettingsLayer)
        case notAnObject
        case missingTestCommand
        case sandboxOffInRepository
    }

    /// The file, the JSON path (`params.initializationOptions`) or the option the value came from.
    public var location: String
    public var problem: Problem

    public init(location: String, problem: Problem) {
        self.location = location; self.problem = problem
    }

    /// The setting's own location: `params.settings.heavy`, `/repo/fixpoint.toml: heavy`, `--heavy`.
    public var keyPath: String {
        switch problem {
        case .invalidValue(let key, _), .notSettableHere(let key, _): join(key.rawValue)
        case .sandboxOffInRepository: join(ConfigKey.sandboxPolicy.rawValue)
        case .unknownKey(let name): join(name)
        default: location
        }
    }

    private func join(_ key: String) -> String {
        if location.hasPrefix("--") { return location }
        return location.hasSuffix(".toml") ? "\(location): \(key)" : "\(location).\(key)"
    }

    /// What went wrong, without the location.
    public var reason: String {
        switch problem {
        case .unreadable(let why): return why
        case .syntax(let line, let column, let why): return "line \(line), column \(column): \(why)"
        case .invalidValue(let key, let got): return "must be \(key.expected), got \(got)"
        case .unknownKey:
            return "unknown key (known: \(ConfigKey.allCases.filter { $0.layers.contains(.file) }.map(\.rawValue).joined(separator: ", ")))"
        case .notSettableHere(let key, let layer):
            let allowed = SettingsLayer.allCases.filter { key.layers.contains($0) }.map(\.rawValue).joined(separator: " or ")
            return "cannot be set in \(layer.rawValue); set it in \(allowed)"
        case .notAnObject: return "expected an object of Fixpoint settings"
        case .sandboxOffInRepository:
            return "a repository's fixpoint.toml cannot turn the sandbox off; choose it yourself (--sandbox off, or sandbox.policy in the editor settings)"
        case .missingTestCommand:
            return "no test command: set testCommand in \(location) or the editor settings, or pass it with the run (--test-cmd)"
        }
    }

    public var description: String {
        if case .missingTestCommand = problem { return reason }
        return "\(keyPath): \(reason)"
    }
}
