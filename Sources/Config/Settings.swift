import JSONValue

/// The settings one layer gives (nil: not set there). Layers are overlaid with `overlaid(by:)`.
public struct Settings: Sendable, Equatable {
    public var testCommand: String?
    public var modelURL: String?
    public var model: String?
    public var apiKeyEnv: String?
    public var maxSteps: Int?
    public var heavy: Int?
    public var repairSamples: Int?
    public var timeout: Double?
    public var tokenBudget: Int?
    public var maxStepTokens: Int?
    public var contextSize: Int?
    public var commandTimeout: Double?
    /// One of `ConfigKey.actionMode`'s choices.
    public var actionMode: String?
    public var allowRunCommand: Bool?
    /// One of `ConfigKey.sandboxPolicy`'s choices.
    public var sandboxPolicy: String?
    public var sandboxApproveCommands: Bool?
    public var sandboxCpuSeconds: Int?
    public var sandboxMemoryMB: Int?
    public var sandboxFileSizeMB: Int?
    public var sandboxProcesses: Int?
    public var sandboxOutputKB: Int?
    public var sandboxHide: [String]?
    public var sandboxEnvironment: [String]?
    /// Test ids that show the fix (FAIL_TO_PASS).
    public var failToPass: [String]?

    public init() {}

    /// These settings with every key `other` sets replaced by its value.
    public func overlaid(by other: Settings) -> Settings {
        var merged = self
        merged.testCommand = other.testCommand ?? testCommand
        merged.modelURL = other.modelURL ?? modelURL
        merged.model = other.model ?? model
        merged.apiKeyEnv = other.apiKeyEnv ?? apiKeyEnv
        merged.maxSteps = other.maxSteps ?? maxSteps
        merged.heavy = other.heavy ?? heavy
        merged.repairSamples = other.repairSamples ?? repairSamples
        merged.timeout = other.timeout ?? timeout
        merged.tokenBudget = other.tokenBudget ?? tokenBudget
        merged.maxStepTokens = other.maxStepTokens ?? maxStepTokens
        merged.contextSize = other.contextSize ?? contextSize
        merged.commandTimeout = other.commandTimeout ?? commandTimeout
        merged.actionMode = other.actionMode ?? actionMode
        merged.allowRunCommand = other.allowRunCommand ?? allowRunCommand
        merged.sandboxPolicy = other.sandboxPolicy ?? sandboxPolicy
        merged.sandboxApproveCommands = other.sandboxApproveCommands ?? sandboxApproveCommands
        merged.sandboxCpuSeconds = other.sandboxCpuSeconds ?? sandboxCpuSeconds
        merged.sandboxMemoryMB = other.sandboxMemoryMB ?? sandboxMemoryMB
        merged.sandboxFileSizeMB = other.sandboxFileSizeMB ?? sandboxFileSizeMB
        merged.sandboxProcesses = other.sandboxProcesses ?? sandboxProcesses
        merged.sandboxOutputKB = other.sandboxOutputKB ?? sandboxOutputKB
        merged.sandboxHide = other.sandboxHide ?? sandboxHide
        merged.sandboxEnvironment = other.sandboxEnvironment ?? sandboxEnvironment
        merged.failToPass = other.failToPass ?? failToPass
        return merged
    }

    /// Sets `key` from a checked value.
    mutating func set(_ key: ConfigKey, _ value: SettingValue) {
        switch (key, value) {
        case (.testCommand, .string(let v)): testCommand = v
        case (.modelUrl, .string(let v)): modelURL = v
        case (.model, .string(let v)): model = v
        case (.apiKeyEnv, .string(let v)): apiKeyEnv = v
        case (.maxSteps, .integer(let v)): maxSteps = v
        case (.heavy, .integer(let v)): heavy = v
        case (.repairSamples, .integer(let v)): repairSamples = v
        case (.timeout, .seconds(let v)): timeout = v
        case (.tokenBudget, .integer(let v)): tokenBudget = v
        case (.maxStepTokens, .integer(let v)): maxStepTokens = v
        case (.contextSize, .integer(let v)): contextSize = v
        case (.commandTimeout, .seconds(let v)): commandTimeout = v
        case (.actionMode, .string(let v)): actionMode = v
        case (.allowRunCommand, .bool(let v)): allowRunCommand = v
        case (.sandboxPolicy, .string(let v)): sandboxPolicy = v
        case (.sandboxApproveCommands, .bool(let v)): sandboxApproveCommands = v
        case (.sandboxCpuSeconds, .integer(let v)): sandboxCpuSeconds = v
        case (.sandboxMemoryMB, .integer(let v)): sandboxMemoryMB = v
        case (.sandboxFileSizeMB, .integer(let v)): sandboxFileSizeMB = v
        case (.sandboxProcesses, .integer(let v)): sandboxProcesses = v
        case (.sandboxOutputKB, .integer(let v)): sandboxOutputKB = v
        case (.sandboxHide, .strings(let v)): sandboxHide = v
        case (.sandboxEnvironment, .strings(let v)): sandboxEnvironment = v
        case (.failToPass, .strings(let v)): failToPass = v
        default: preconditionFailure("\(key) checked as \(key.kind) but got \(value)")
        }
    }
}

/// A value that passed its key's check.
enum SettingValue: Sendable {
    case string(String)
    case integer(Int)
    case seconds(Double)
    case bool(Bool)
    case strings([String])
}

extension ConfigKey {
    /// Checks a value against the kind and limits; nil when it does not fit.
    func check(_ value: JSON) -> SettingValue? {
        switch kind {
        case .string: return value.stringValue.map(SettingValue.string)
        case .integer(let range):
            guard let i = value.intValue, range.contains(i) else { return nil }
            return .integer(i)
        case .seconds(let range):
            guard let d = value.doubleValue, range.contains(d) else { return nil }
            return .seconds(d)
        case .bool: return value.boolValue.map(SettingValue.bool)
        case .choice(let names):
            guard let s = value.stringValue, names.contains(s) else { return nil }
            return .string(s)
        case .strings:
            guard let items = value.arrayValue else { return nil }
            let strings = items.compactMap(\.stringValue)
            return strings.count == items.count ? .strings(strings) : nil
        }
    }
}

extension Settings {
    /// Reads a settings object from `layer`. `location` names it in errors (a file path or a JSON path).
    /// Keys in `ignoring` belong to the caller (a command's `issue`); unknown keys are errors in a file
    /// (a typo there should not pass silently) and skipped elsewhere (editors send their own keys).
    public init(object: [String: JSON], layer: SettingsLayer, location: String, ignoring: Set<String> = []) throws(ConfigError) {
        self.init()
        let object = Self.flattened(object)
        for name in object.keys.sorted() where !ignoring.contains(name) {
            let value = object[name]!
            guard let key = ConfigKey(rawValue: name) else {
                if layer == .file { throw ConfigError(location: location, problem: .unknownKey(name)) }
                continue
            }
            if value.isNull, layer != .file { continue }
            guard key.layers.contains(layer) else { throw ConfigError(location: location, problem: .notSettableHere(key, layer)) }
            guard let checked = key.check(value) else {
                throw ConfigError(location: location, problem: .invalidValue(key, got: Self.shown(value)))
            }
            // The repository's own file may tighten the sandbox, never turn it off.
            if key == .sandboxPolicy, layer == .file, case .string("off") = checked {
                throw ConfigError(location: location, problem: .sandboxOffInRepository)
            }
            set(key, checked)
        }
    }

    /// Command-line options (nil: not given), each checked against its key's limits; an error names
    /// the option (`--heavy`).
    public init(commandLine options: [(ConfigKey, JSON?)]) throws(ConfigError) {
        self.init()
        for case let (key, value?) in options {
            self = overlaid(by: try Settings(object: [key.rawValue: value], layer: .commandLine, location: key.option))
        }
    }

    /// Tables whose keys are settings (`[sandbox]`, or `{"sandbox": {...}}` from an editor) become
    /// dotted keys (`sandbox.policy`).
    static func flattened(_ object: [String: JSON]) -> [String: JSON] {
        var flat: [String: JSON] = [:]
        for (name, value) in object {
            if name == "sandbox", let inner = value.objectValue {
                for (innerName, innerValue) in inner { flat["sandbox." + innerName] = innerValue }
            } else {
                flat[name] = value
            }
        }
        return flat
    }

    /// Editor settings: `initializationOptions` or `didChangeConfiguration`'s `settings`, either the
    /// keys themselves or wrapped as `{"fixpoint": {...}}` (how editors namespace them). Null: none.
    public init(editorSettings json: JSON?, location: String) throws(ConfigError) {
        guard var value = json, !value.isNull else { self.init(); return }
        var location = location
        if let inner = value["fixpoint"], inner.objectValue != nil { value = inner; location += ".fixpoint" }
        guard let object = value.objectValue else { throw ConfigError(location: location, problem: .notAnObject) }
        try self.init(object: object, layer: .editor, location: location)
    }

    static func shown(_ value: JSON) -> String {
        switch value {
        case .string(let s): "\"\(s)\""
        case .number(let n): n
        case .bool(let b): String(b)
        case .null: "null"
        case .array: "an array"
        case .object: "a table"
        }
    }
}
