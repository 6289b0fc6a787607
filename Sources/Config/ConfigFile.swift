import Foundation
import JSONValue
internal import TOMLKit

/// A repository's `fixpoint.toml`, read with TOMLKit (toml++): full TOML 1.0. Top-level keys are the
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
        if let header = TableHeaderCheck.firstNamelessHeader(in: text) {
            throw ConfigError(location: path, problem: .syntax(line: header.line, column: header.column, TableHeaderCheck.message))
        }
        do {
            return try TOMLJSON.object(TOMLTable(string: text))
        } catch let error as TOMLParseError {
            let begin = error.source.begin
            throw ConfigError(location: path, problem: .syntax(line: begin.line, column: begin.column, error.description))
        } catch {
            throw ConfigError(location: path, problem: .unreadable(String(describing: error)))
        }
    }
}

/// TOML values as JSON, so a file and editor settings are checked by one reader.
enum TOMLJSON {
    static func object(_ table: TOMLTable) -> [String: JSON] {
        var out: [String: JSON] = [:]
        for key in table.keys {
            if let value = table[key] { out[key] = json(value.tomlValue) }
        }
        return out
    }

    static func json(_ value: TOMLValue) -> JSON {
        switch value.type {
        case .table: return value.table.map { .object(object($0)) } ?? .null
        case .array: return .array((value.array ?? []).map { json($0.tomlValue) })
        case .string: return value.string.map(JSON.string) ?? .null
        case .int: return value.int.map(JSON.int) ?? .null
        case .double: return value.double.map(JSON.double) ?? .null
        case .bool: return value.bool.map(JSON.bool) ?? .null
        case .date, .time, .dateTime: return .string(value.debugDescription)
        }
    }
}
