import ACPServer
import ArgumentParser
import Config
import Git

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

    @OptionGroup var runOptions: RunOptions

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
    private func commandLineSettings() throws(ConfigError) -> Settings { try runOptions.settings() }
}
