@testable import Config
import Foundation
import JSONValue
import Testing

/// The `[sandbox]` table: read from fixpoint.toml and editor settings; the repository's file may make
/// the sandbox stricter but never turn it off.
@Suite struct SandboxSettingsTests {
    @Test func theTableIsRead() throws {
        let file = try ConfigFile.parse("""
            testCommand = "make test"
            [sandbox]
            policy = "strict"
            cpuSeconds = 60
            processes = 256
            hide = ["~/.config/cloud"]
            environment = ["JAVA_TOOL_OPTIONS"]
            """, path: "/r/fixpoint.toml")
        #expect(file.settings.sandboxPolicy == "strict")
        #expect(file.settings.sandboxCpuSeconds == 60)
        #expect(file.settings.sandboxProcesses == 256)
        #expect(file.settings.sandboxHide == ["~/.config/cloud"])
        #expect(file.settings.sandboxEnvironment == ["JAVA_TOOL_OPTIONS"])
    }

    @Test func aRepositoryCannotTurnTheSandboxOff() {
        #expect(throws: ConfigError(location: "/r/fixpoint.toml", problem: .sandboxOffInRepository)) {
            try ConfigFile.parse("[sandbox]\npolicy = \"off\"\n", path: "/r/fixpoint.toml")
        }
        // The user can, from the editor or the command line.
        let editor = try? Settings(editorSettings: ["sandbox": ["policy": "off"]], location: "params.initializationOptions")
        #expect(editor?.sandboxPolicy == "off")
        let cli = try? Settings(object: ["sandbox.policy": "off"], layer: .commandLine, location: "--sandbox")
        #expect(cli?.sandboxPolicy == "off")
    }

    @Test func badValuesAreErrors() {
        #expect(throws: ConfigError.self) { try ConfigFile.parse("[sandbox]\npolicy = \"loose\"\n", path: "/r/fixpoint.toml") }
        #expect(throws: ConfigError.self) { try ConfigFile.parse("[sandbox]\nprocesses = 0\n", path: "/r/fixpoint.toml") }
        #expect(throws: ConfigError.self) { try ConfigFile.parse("[sandbox]\nnetwork = true\n", path: "/r/fixpoint.toml") }
        #expect(throws: ConfigError.self) { try ConfigFile.parse("[sandbox]\napproveCommands = true\n", path: "/r/fixpoint.toml") }
    }
}
