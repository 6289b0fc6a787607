import Agent
import Config
import Testing

@Suite struct FixPlanTests {
    @Test func everySettingReachesTheRun() throws {
        var settings = Settings()
        settings.testCommand = "make test"
        settings.modelURL = "http://127.0.0.1:9/v1"
        settings.model = "kimi"
        settings.apiKeyEnv = "KIMI_KEY"
        settings.maxSteps = 12
        settings.heavy = 3
        settings.timeout = 90
        settings.tokenBudget = 5_000
        settings.maxStepTokens = 512
        settings.commandTimeout = 30
        settings.actionMode = "native"
        settings.contextSize = 8_192
        settings.allowRunCommand = true
        let plan = try FixPlan(repository: "/repo", issue: "bug", settings: settings, location: "/repo/fixpoint.toml")
        let r = plan.request
        #expect((r.testCommand, r.maxSteps, r.heavy, r.timeLimit, r.tokenBudget) == ("make test", 12, 3, 90, 5_000))
        #expect((r.maxTokensPerStep, r.commandTimeout, r.allowRunCommand) == (512, 30, true))
        #expect(plan.model == .remote(baseURL: "http://127.0.0.1:9/v1", model: "kimi", apiKeyEnv: "KIMI_KEY"))
        let options = plan.options()
        #expect(options.actionMode == .native)
        #expect(options.contextSize == 8_192)
    }

    @Test func defaultsComeFromConfig() throws {
        var settings = Settings()
        settings.testCommand = "true"
        let plan = try FixPlan(repository: "/repo", issue: "bug", settings: settings, location: "x")
        #expect(plan.request.maxSteps == Defaults.maxSteps)
        #expect(plan.request.heavy == Defaults.heavy)
        #expect(plan.model == .embedded(modelPath: nil))
    }

    @Test func failToPassComesFromTheFileAndTheCommandArguments() throws {
        let file = try ConfigFile.parse("testCommand = \"pytest\"\nfailToPass = [\"tests/test_a.py::test_x\", \"test_y (m.T)\"]\n", path: "fixpoint.toml")
        let plan = try FixPlan(repository: "/repo", issue: "bug", settings: file.settings, location: "x")
        #expect(plan.request.failToPass == ["tests/test_a.py::test_x", "test_y (m.T)"])
        let arguments = try Settings(object: ["failToPass": ["t::z"]], layer: .commandArguments, location: "arguments[0]")
        let overridden = try FixPlan(repository: "/repo", issue: "bug", settings: file.settings.overlaid(by: arguments), location: "x")
        #expect(overridden.request.failToPass == ["t::z"])
        #expect(throws: ConfigError.self) { try Settings(object: ["failToPass": "t::z"], layer: .editor, location: "init") }
    }

    @Test func aMissingTestCommandSaysWhereToSetIt() {
        do {
            _ = try FixPlan(repository: "/repo", issue: "bug", settings: Settings(), location: "/repo/fixpoint.toml")
            Issue.record("planned a run without a test command")
        } catch {
            #expect(error.problem == .missingTestCommand)
            #expect(error.description.contains("set testCommand in /repo/fixpoint.toml"))
        }
    }
}
