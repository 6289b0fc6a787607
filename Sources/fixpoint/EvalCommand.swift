import ArgumentParser

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Run Fixpoint over a set of tasks and score the results (not available yet).")

    func run() async throws { throw notLandedYet("eval") }
}
