@testable import Config
import Foundation
import JSONValue
import Testing

@Suite struct ConfigFileTests {
    @Test func readsEveryKindOfValue() throws {
        let file = try ConfigFile.parse("""
            # comment
            testCommand = "swift test --filter \\"A\\""   # trailing
            model = 'C:\\models\\x.gguf'
            maxSteps = 1_000
            timeout = 90.5
            actionMode = "native"
            """, path: "/r/fixpoint.toml")
        #expect(file.settings.testCommand == "swift test --filter \"A\"")
        #expect(file.settings.model == "C:\\models\\x.gguf")
        #expect(file.settings.maxSteps == 1000)
        #expect(file.settings.timeout == 90.5)
        #expect(file.settings.actionMode == "native")
        #expect(file.path == "/r/fixpoint.toml")
    }

    @Test func tablesAndArraysReachTheReaderAsJSON() throws {
        let document = try ConfigFile.document("""
            [section]
            names = ["a", "b"]
            limits = { cpu = 2, fast = true }
            """, path: "/r/fixpoint.toml")
        #expect(document == ["section": ["names": ["a", "b"], "limits": ["cpu": 2, "fast": true]]])
    }

    @Test(arguments: [
        ("x = \"open", "/r/fixpoint.toml: line 1, column"),
        ("a = 1\na = 2", "/r/fixpoint.toml: line 2"),
        ("just words", "/r/fixpoint.toml: line 1"),
        ("maxSteps = 1\nheavy = 99", "/r/fixpoint.toml: heavy: must be an integer in 1...16, got 99"),
        ("testCommand = 3", "testCommand: must be a string, got 3"),
        ("tesCommand = \"x\"", "/r/fixpoint.toml: tesCommand: unknown key (known: testCommand,"),
        ("[server]\nport = 1", "/r/fixpoint.toml: server: unknown key"),
        ("apiKeyEnv = \"AWS_SECRET\"", "apiKeyEnv: cannot be set in fixpoint.toml; set it in editor settings or command line"),
        ("allowRunCommand = true", "allowRunCommand: cannot be set in fixpoint.toml"),
        ("actionMode = \"fast\"", "actionMode: must be native, constrained or auto, got \"fast\""),
    ])
    func rejectsWhatItCannotUseNamingWhere(_ text: String, _ expected: String) {
        do {
            _ = try ConfigFile.parse(text, path: "/r/fixpoint.toml")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test func anAbsentFileIsEmptyAndABinaryOneIsAnError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fp-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try ConfigFile.read(in: folder) == ConfigFile())
        try Data([0xff, 0xfe, 0x00]).write(to: URL(fileURLWithPath: folder + "/fixpoint.toml"))
        #expect(throws: ConfigError.self) { try ConfigFile.read(in: folder) }
    }
}

@Suite struct EditorSettingsTests {
    @Test func readsPlainOrNamespacedKeysAndSkipsOthers() throws {
        let plain = try Settings(editorSettings: ["heavy": 3, "apiKeyEnv": "KEY", "someOtherTool": true], location: "params.settings")
        #expect(plain.heavy == 3)
        #expect(plain.apiKeyEnv == "KEY")
        let wrapped = try Settings(editorSettings: ["fixpoint": ["maxSteps": 9]], location: "params.settings")
        #expect(wrapped.maxSteps == 9)
        #expect(try Settings(editorSettings: nil, location: "x") == Settings())
    }

    @Test func aBadValueNamesItsPath() {
        do {
            _ = try Settings(editorSettings: ["fixpoint": ["heavy": 0]], location: "params.settings")
            Issue.record("accepted heavy 0")
        } catch {
            #expect(error.keyPath == "params.settings.fixpoint.heavy")
            #expect(error.reason == "must be an integer in 1...16, got 0")
        }
        #expect(throws: ConfigError.self) { try Settings(editorSettings: "text", location: "params.settings") }
    }

    @Test func laterLayersWin() throws {
        let editor = try Settings(editorSettings: ["testCommand": "npm test", "heavy": 2], location: "e")
        let file = try ConfigFile.parse("testCommand = \"make test\"", path: "/f/fixpoint.toml").settings
        let merged = editor.overlaid(by: file)
        #expect(merged.testCommand == "make test")
        #expect(merged.heavy == 2)
    }
}

@Suite struct ConfigDocsTests {
    /// docs/configuration.md shows the table the code generates; on failure, paste the printed table.
    @Test func theDocsTableMatchesTheKeys() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let docs = try String(contentsOf: root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        #expect(docs.contains(ConfigDocs.settingsTable), "docs/configuration.md must contain:\n\(ConfigDocs.settingsTable)")
    }

    @Test func everyKeyHasAnOptionAndADefault() {
        for key in ConfigKey.allCases {
            #expect(key.option.hasPrefix("--") && !key.option.contains(where: \.isUppercase))
            #expect(!key.defaultText.isEmpty && !key.summary.isEmpty)
            #expect(key.layers.contains(.commandLine), "\(key) cannot be set on the command line")
        }
    }
}
