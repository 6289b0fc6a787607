import Foundation
import JSONValue

/// A repository's `fixpoint.toml`, read by `TOMLReader`: full TOML 1.0. Top-level keys are the
/// settings of `ConfigKey`; tables named in `ConfigFile.tables` are kept whole for the module that
/// owns them (read them with `table(_:)`). Anything else is an error naming the file, line or key.
public struct ConfigFile: Sendable, Equatable {
    public static let name = "fixpoint.toml"

    /// Tables other modules read, by name, with what they hold (docs/configuration.md lists them).
    /// Adding one: a line here and its section in the docs.
    public static let tables: [String: String] = [:]

    /// Where it was read from (nil: there is none; every setting is unset).
    public var path: String?
    public var settings: Settings
    private var tableValues: [String: JSON]

    public init(path: String? = nil, settings: Settings = Settings(), tables: [String: JSON] = [:]) {
        self.path = path; self.settings = settings; self.tableValues = tables
    }

    /// A table's contents as JSON (arrays, strings, numbers, booleans, nested tables; dates as text).
    public func table(_ name: String) -> JSON? { tableValues[name] }

    /// Reads `fixpoint.toml` in `folder`; an absent file is an empty one.
    public static func read(in folder: String) throws(ConfigError) -> ConfigFile {
        let path = (folder as NSString).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: path) else { return ConfigFile() }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(location: path, problem: .unreadable("not UTF-8 text; save it as UTF-8"))
        }
        return try parse(text, path: path)
    }

    /// Parses the text of a `fixpoint.toml`; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> ConfigFile {
        let document = try self.document(text, path: path)
        var settingKeys: [String: JSON] = [:]
        var tables: [String: JSON] = [:]
        for (key, value) in document {
            if Self.tables[key] != nil, value.objectValue != nil { tables[key] = value } else { settingKeys[key] = value }
        }
        let settings = try Settings(object: settingKeys, layer: .file, location: path)
        return ConfigFile(path: path, settings: settings, tables: tables)
    }
}

extension ConfigFile {
    /// The whole TOML document as JSON.
    static func document(_ text: String, path: String) throws(ConfigError) -> [String: JSON] {
        do {
            return try TOMLReader.read(text)
        } catch {
            throw ConfigError(location: path, problem: .syntax(line: error.line, column: error.column, error.message))
        }
    }
}
