import ArgumentParser

struct FixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix", abstract: "Fix an issue in a repository and hand back a verified patch.")

    func run() async throws { throw notLandedYet("fix") }
}
