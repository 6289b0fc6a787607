import ArgumentParser
import FixpointServer
import Git

#if canImport(Glibc)
import Glibc
#endif

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the language server on stdin/stdout (LSP). Exit code 0 after shutdown, 1 otherwise.")

    func run() async throws {
        // Snapshots that killed or crashed processes left behind (never one a live process uses).
        await Snapshot.removeStale()
        let code = await LanguageServerMain.run()
        Glibc.exit(code)
    }
}
