import ArgumentParser

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the language server on stdin/stdout (LSP).")

    func run() async throws { throw notLandedYet("serve") }
}
