import ArgumentParser
import FixpointServer

#if canImport(Glibc)
import Glibc
#endif

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the language server on stdin/stdout (LSP). Exit code 0 after shutdown, 1 otherwise.")

    func run() async throws {
        let code = await LanguageServerMain.run()
        Glibc.exit(code)
    }
}
