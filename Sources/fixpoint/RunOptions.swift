import ArgumentParser
import Config
import JSONValue

/// The settings every command that runs fixes takes on its command line (`fix`, `acp`): the test
/// command, the model, and the run's budgets. Each is a `ConfigKey`, so it is checked against the same
/// limits as fixpoint.toml and the editor settings.
struct RunOptions: ParsableArguments {
    @Option(name: .customLong("test-cmd"), help: ConfigKey.testCommand.help) var testCmd: String?
    @Option(help: ConfigKey.modelUrl.help) var modelURL: String?
    @Option(help: ConfigKey.model.help) var model: String?
    @Option(help: ConfigKey.apiKeyEnv.help) var apiKeyEnv: String?
    @Option(help: ConfigKey.maxSteps.help) var maxSteps: Int?
    @Option(help: ConfigKey.heavy.help) var heavy: Int?
    @Option(help: ConfigKey.repairSamples.help) var repairSamples: Int?
    @Option(help: ConfigKey.tokenBudget.help) var tokenBudget: Int?
    @Option(help: ConfigKey.timeout.help) var timeout: Double?
    @Option(help: ConfigKey.actionMode.help) var actionMode: String?
    @Option(help: ConfigKey.contextSize.help) var contextSize: Int?

    /// The options given (unset ones are nil), with a command's own settings added.
    func settings(adding own: [(ConfigKey, JSON?)] = []) throws(ConfigError) -> Settings {
        let given: [(ConfigKey, JSON?)] = [
            (.testCommand, testCmd.map(JSON.string)), (.modelUrl, modelURL.map(JSON.string)), (.model, model.map(JSON.string)),
            (.apiKeyEnv, apiKeyEnv.map(JSON.string)), (.maxSteps, maxSteps.map(JSON.int)), (.heavy, heavy.map(JSON.int)),
            (.repairSamples, repairSamples.map(JSON.int)),
            (.tokenBudget, tokenBudget.map(JSON.int)), (.timeout, timeout.map(JSON.double)),
            (.actionMode, actionMode.map(JSON.string)), (.contextSize, contextSize.map(JSON.int)),
        ]
        return try Settings(commandLine: given + own)
    }
}
