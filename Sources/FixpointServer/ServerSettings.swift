import Agent
import Foundation
import JSONRPC
import JSONValue

/// What the server knows about how to run the agent. Layers, weakest first: built-in defaults,
/// editor settings (`initializationOptions`, then each `workspace/didChangeConfiguration`),
/// the folder's `fixpoint.toml`, then the command's own arguments.
public struct ServerSettings: Sendable, Equatable {
    public var modelURL: String?
    public var model: String?
    public var testCommand: String?
    public var maxSteps: Int?
    public var heavy: Int?
    /// Wall-clock limit for a run, in seconds.
    public var timeout: Int?
    /// Total prompt + completion tokens for a run.
    public var tokenBudget: Int?

    public init(modelURL: String? = nil, model: String? = nil, testCommand: String? = nil, maxSteps: Int? = nil, heavy: Int? = nil) {
        self.modelURL = modelURL; self.model = model; self.testCommand = testCommand; self.maxSteps = maxSteps; self.heavy = heavy
    }

    public static let maxStepsRange = 1...10_000
    public static let heavyRange = 1...16  // the agent runs at most 16 trajectories
    public static let timeoutRange = 1...604_800
    public static let tokenBudgetRange = 1...1_000_000_000
    static let knownKeys = "modelUrl, model, testCommand, maxSteps, heavy, timeout, tokenBudget"

    /// Overlays the keys present in a JSON settings object. `settings` may be the keys themselves or
    /// wrapped as `{"fixpoint": {...}}` (how editors namespace `didChangeConfiguration`).
    public func merging(json: JSON?, path: String) throws(ResponseError) -> ServerSettings {
        guard var value = json, !value.isNull else { return self }
        var path = path
        if let inner = value["fixpoint"], inner.objectValue != nil { value = inner; path += ".fixpoint" }
        guard value.objectValue != nil else { throw .invalidParams(path, "expected an object of Fixpoint settings") }
        let p = Params(value, path: path)
        var merged = self
        if let v = try p.optionalString("modelUrl") { merged.modelURL = v }
        if let v = try p.optionalString("model") { merged.model = v }
        if let v = try p.optionalString("testCommand") { merged.testCommand = v }
        if let v = try p.optionalInt("maxSteps", in: Self.maxStepsRange) { merged.maxSteps = v }
        if let v = try p.optionalInt("heavy", in: Self.heavyRange) { merged.heavy = v }
        if let v = try p.optionalInt("timeout", in: Self.timeoutRange) { merged.timeout = v }
        if let v = try p.optionalInt("tokenBudget", in: Self.tokenBudgetRange) { merged.tokenBudget = v }
        return merged
    }

    /// A settings error that names the file, line and key.
    public struct FileError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Overlays `fixpoint.toml` from `folder`, if there is one.
    public func merging(tomlIn folder: String) throws(FileError) -> ServerSettings {
        let path = (folder as NSString).appendingPathComponent("fixpoint.toml")
        guard let data = FileManager.default.contents(atPath: path) else { return self }
        guard let text = String(data: data, encoding: .utf8) else { throw FileError(path: path, reason: "not UTF-8 text") }
        let table: [String: FixpointTOML.Value]
        do { table = try FixpointTOML.parse(text) } catch { throw FileError(path: path, reason: error.description) }
        var merged = self
        for (key, value) in table {
            switch (key, value) {
            case ("modelUrl", .string(let s)): merged.modelURL = s
            case ("model", .string(let s)): merged.model = s
            case ("testCommand", .string(let s)): merged.testCommand = s
            case ("maxSteps", .int(let i)) where Self.maxStepsRange.contains(i): merged.maxSteps = i
            case ("heavy", .int(let i)) where Self.heavyRange.contains(i): merged.heavy = i
            case ("timeout", .int(let i)) where Self.timeoutRange.contains(i): merged.timeout = i
            case ("tokenBudget", .int(let i)) where Self.tokenBudgetRange.contains(i): merged.tokenBudget = i
            case ("modelUrl", _), ("model", _), ("testCommand", _):
                throw FileError(path: path, reason: "'\(key)' must be a quoted string")
            case ("maxSteps", _), ("heavy", _), ("timeout", _), ("tokenBudget", _):
                let range = ["heavy": Self.heavyRange, "timeout": Self.timeoutRange, "tokenBudget": Self.tokenBudgetRange][key] ?? Self.maxStepsRange
                throw FileError(path: path, reason: "'\(key)' must be an integer in \(range.lowerBound)...\(range.upperBound)")
            default:
                throw FileError(path: path, reason: "unknown key '\(key)' (known: \(Self.knownKeys))")
            }
        }
        return merged
    }

    /// The model a run uses: a remote server when `modelUrl` is set, else the embedded default
    /// (`model`, if set, is then the path of a GGUF file).
    public var modelSelection: ModelSelection {
        if let modelURL { return .remote(baseURL: modelURL, model: model) }
        return .embedded(modelPath: model)
    }
}
