import BlockingTestSupport
@testable import Config
import Foundation
import JSONValue
import Testing

/// The official toml-test suite (BurntSushi/toml-test, as shipped in PyPI's tomlkit 0.13.2 sdist;
/// `scripts/setup --only toml-test` puts it in the cache): every `valid/*.toml` reads to the values in
/// its tagged `.json`, and every `invalid/*.toml` is a syntax error, never a crash. It reads a tree of
/// several hundred files synchronously, so it runs off the cooperative pool.
@Suite(.offTheCooperativePool) struct TOMLComplianceTests {
    static let suite: String? = {
        let cache = ProcessInfo.processInfo.environment["FIXPOINT_CACHE"] ?? NSHomeDirectory() + "/.cache/fixpoint"
        let folder = cache + "/toml-test/0.13.2/tests"
        return FileManager.default.fileExists(atPath: folder + "/valid") ? folder : nil
    }()

    static func cases(_ kind: String) -> [String] {
        guard let root = suite.map({ $0 + "/" + kind }),
              let files = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] else { return [] }
        return files.filter { $0.hasSuffix(".toml") }.sorted().map { root + "/" + $0 }
    }

    @Test func theSuiteIsThere() throws {
        // CI (FIXPOINT_REQUIRE_MODEL=1) runs the setup that fetches it; elsewhere its absence is said.
        guard Self.suite != nil else {
            if ProcessInfo.processInfo.environment["FIXPOINT_REQUIRE_MODEL"] == "1" {
                Issue.record("the toml-test suite is missing: run scripts/setup --only toml-test")
            }
            return
        }
        #expect(Self.cases("valid").count >= 90)
        #expect(Self.cases("invalid").count >= 150)
    }

    @Test func everyValidDocumentReadsToItsExpectedValues() throws {
        var failures: [String] = []
        for path in Self.cases("valid") {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let expectedText = try? String(contentsOfFile: path.replacingOccurrences(of: ".toml", with: ".json"), encoding: .utf8),
                  let expected = try? JSON.parse(expectedText) else {
                failures.append("\(path): the case or its expected .json cannot be read")
                continue
            }
            do {
                let read = try TOMLReader.read(text)
                if let difference = Self.difference(.object(read), expected, at: "") { failures.append("\(path): \(difference)") }
            } catch {
                failures.append("\(path): \(error)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) valid documents misread:\n\(failures.joined(separator: "\n"))")
    }

    @Test func everyInvalidDocumentIsAnError() throws {
        var accepted: [String] = []
        for path in Self.cases("invalid") {
            // Invalid UTF-8 never reaches the reader: ConfigFile.read refuses it first.
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { continue }
            if (try? TOMLReader.read(text)) != nil { accepted.append(path) }
        }
        #expect(accepted.isEmpty, "\(accepted.count) invalid documents accepted:\n\(accepted.joined(separator: "\n"))")
    }

    /// Compares what was read with toml-test's tagged JSON (`{"type": "integer", "value": "42"}`).
    static func difference(_ read: JSON, _ expected: JSON, at path: String) -> String? {
        if let tag = expected["type"]?.stringValue, let value = expected["value"]?.stringValue, expected.objectValue?.count == 2 {
            switch tag {
            case "string", "datetime", "datetime-local", "date-local", "time-local":
                guard let got = read.stringValue else { return "\(path): expected a \(tag), got \(read)" }
                if tag == "string", got != value { return "\(path): expected \(value.debugDescription), got \(got.debugDescription)" }
                return nil
            case "integer":
                return read.intValue == Int(value) ? nil : "\(path): expected \(value), got \(read)"
            case "float":
                let want = Double(value.replacingOccurrences(of: "_", with: "")) ?? .nan
                guard let got = read.doubleValue else { return "\(path): expected \(value), got \(read)" }
                return (got == want || (got.isNaN && want.isNaN)) ? nil : "\(path): expected \(value), got \(got)"
            case "bool":
                return read.boolValue == (value == "true") ? nil : "\(path): expected \(value), got \(read)"
            default:
                return "\(path): unknown tag \(tag)"
            }
        }
        if let items = expected.arrayValue {
            guard let got = read.arrayValue, got.count == items.count else { return "\(path): expected \(items.count) items, got \(read)" }
            for (index, pair) in zip(got, items).enumerated() {
                if let difference = difference(pair.0, pair.1, at: "\(path)[\(index)]") { return difference }
            }
            return nil
        }
        guard let members = expected.objectValue, let got = read.objectValue else { return "\(path): expected a table, got \(read)" }
        if Set(members.keys) != Set(got.keys) { return "\(path): expected keys \(members.keys.sorted()), got \(got.keys.sorted())" }
        for (key, value) in members {
            if let difference = difference(got[key]!, value, at: path + "." + key) { return difference }
        }
        return nil
    }
}
