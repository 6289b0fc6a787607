import ACPServer
import Agent
import ArgumentParser
import FixpointServer

#if canImport(Glibc)
import Glibc
#endif

struct ACPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acp",
        abstract: "Run as an Agent Client Protocol agent on stdin/stdout (for Zed and other ACP clients).",
        discussion: """
            One JSON-RPC 2.0 message per line on stdin/stdout; logs go to stderr only. Each prompt runs one \
            fix on a snapshot of the session's repository. Settings come from these options, then from \
            fixpoint.toml at the repository root (testCommand, modelUrl, model, maxSteps, heavy, timeout, \
            tokenBudget); options given here win. See docs/acp.md.
            """)

    @Option(name: .customLong("test-cmd"), help: "Shell command that runs the tests; exit 0 means pass.") var testCmd: String?
    @Option(help: "Base URL of an OpenAI-compatible server (default: the embedded model).") var modelURL: String?
    @Option(help: "Model name for --model-url, or a GGUF path / catalogue key for the embedded server.") var model: String?
    @Option(help: "Environment variable holding the API key for --model-url.") var apiKeyEnv: String?
    @Option(help: "Maximum agent steps per prompt (default 300).") var maxSteps: Int?
    @Option(help: "Parallel trajectories (default 1).") var heavy: Int?
    @Option(help: "Wall-clock limit for a prompt's run, in seconds.") var timeout: Double?
    @Option(help: "Total token budget for a prompt's run (prompt + completion).") var tokenBudget: Int?

    func validate() throws {
        if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
        if let heavy, !(1...16).contains(heavy) { throw ValidationError("--heavy must be between 1 and 16") }
    }

    func run() async throws {
        let options = self
        let code = await ACPMain.run { repository, issue throws(RunSetupError) in try options.request(repository: repository, issue: issue) }
        Glibc.exit(code)
    }

    /// The same layering as `fix`: these options over the repository's fixpoint.toml over the defaults.
    func request(repository: String, issue: String) throws(RunSetupError) -> (FixRequest, ModelSelection) {
        let settings: ServerSettings
        do { settings = try ServerSettings().merging(tomlIn: repository) } catch { throw RunSetupError(error.description) }
        guard let testCommand = testCmd ?? settings.testCommand, !testCommand.isEmpty else {
            throw RunSetupError("no test command: start fixpoint acp with --test-cmd, or set testCommand in \(repository)/fixpoint.toml")
        }
        var request = FixRequest(repository: repository, issue: issue, testCommand: testCommand)
        request.maxSteps = maxSteps ?? settings.maxSteps ?? 300
        request.heavy = heavy ?? settings.heavy ?? 1
        request.tokenBudget = tokenBudget ?? settings.tokenBudget
        request.timeLimit = timeout ?? settings.timeout.map(Double.init)
        let selection: ModelSelection
        if let url = modelURL ?? settings.modelURL {
            selection = .remote(baseURL: url, model: model ?? settings.model, apiKeyEnv: apiKeyEnv)
        } else {
            selection = .embedded(modelPath: model ?? settings.model)
        }
        return (request, selection)
    }
}
