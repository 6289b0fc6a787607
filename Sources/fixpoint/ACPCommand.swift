import ACPServer
import ArgumentParser
import Config
import Git
import JSONValue

#if canImport(Glibc)
import Glibc
#endif

struct ACPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acp",
        abstract: "Run as an Agent Client Protocol agent on stdin/stdout (for Zed and other ACP clients).",
        discussion: """
            One JSON-RPC 2.0 message per line on stdin/stdout; logs go to stderr only. Each prompt runs one \
            fix on a snapshot of the session's repository. Settings come from these options over \
            fixpoint.toml at the repository root, as for `fix` (docs/configuration.md). See docs/acp.md.
            """)

    @Option(name: .customLong("test-cmd"), help: ConfigKey.testCommand.help) var testCmd: String?
    @Option(help: ConfigKey.modelUrl.help) var modelURL: String?
    @Option(help: ConfigKey.model.help) var model: String?
    @Option(help: ConfigKey.apiKeyEnv.help) var apiKeyEnv: String?
    @Option(help: ConfigKey.maxSteps.help) var maxSteps: Int?
    @Option(help: ConfigKey.heavy.help) var heavy: Int?
    @Option(help: ConfigKey.tokenBudget.help) var tokenBudget: Int?
    @Option(help: ConfigKey.timeout.help) var timeout: Double?
    @Option(help: ConfigKey.actionMode.help) var actionMode: String?
    @Option(help: ConfigKey.contextSize.help) var contextSize: Int?

    func validate() throws {
        do { _ = try commandLineSettings() } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        // Snapshots that killed or crashed processes left behind (never one a live process uses).
        await Snapshot.removeStale()
        let code = await ACPMain.run(settings: try commandLineSettings())
        Glibc.exit(code)
    }

    /// The options given, checked against the same limits as every other layer.
    private func commandLineSettings() throws(ConfigError) -> Settings {
        let given: [(ConfigKey, JSON?)] = [
            (.testCommand, testCmd.map(JSON.string)), (.modelUrl, modelURL.map(JSON.string)), (.model, model.map(JSON.string)),
            (.apiKeyEnv, apiKeyEnv.map(JSON.string)), (.maxSteps, maxSteps.map(JSON.int)), (.heavy, heavy.map(JSON.int)),
            (.tokenBudget, tokenBudget.map(JSON.int)), (.timeout, timeout.map(JSON.double)),
            (.actionMode, actionMode.map(JSON.string)), (.contextSize, contextSize.map(JSON.int)),
        ]
        return try Settings(commandLine: given)
    }
}
