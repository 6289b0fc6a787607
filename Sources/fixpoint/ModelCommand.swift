import Config
import ArgumentParser
import Dispatch
import Foundation
import ModelClient
import ModelRuntime
import ChildProcess

#if canImport(Glibc)
import Glibc
#endif

struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Inspect and serve the embedded model.",
        subcommands: [ModelStatusCommand.self, ModelServeCommand.self])
}

struct ModelStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "What is installed, where, which model is the default, sizes and checksums.")

    @Flag(help: "Compute sha256 of each model now instead of trusting setup's verification stamp.")
    var verify = false

    func run() async throws {
        printLine("cache:        \(FixpointPaths.cache)")
        do {
            let binary = try LocalModelServer.locateBinary()
            printLine("llama-server: \(binary)  (\(await llamaServerVersion(binary)))")
        } catch {
            printLine("llama-server: missing — \(error)")
        }
        for spec in ModelCatalog.all {
            let path = spec.cachedPath
            let isDefault = spec == ModelCatalog.defaultModel ? " [default]" : ""
            printLine("model \(spec.key)\(isDefault): \(spec.displayName)")
            printLine("  path:     \(path)")
            printLine("  source:   PyPI \(spec.pypiPackages)")
            printLine("  expected: \(spec.sizeBytes) bytes, sha256 \(spec.sha256)")
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber else {
                printLine("  state:    missing — run \(FixpointPaths.setupCommand)")
                continue
            }
            if verify { try? FileManager.default.removeItem(atPath: path + ".verified") }
            do {
                try await ModelVerifier.verify(modelPath: path)
                printLine("  state:    OK, \(size.intValue) bytes, checksum verified")
            } catch {
                printLine("  state:    BAD — \(error)")
            }
        }
    }
}

struct ModelServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Start the embedded model on loopback, print its base URL, stop on Ctrl-C or SIGTERM.")

    @Option(help: "A GGUF path or a catalogue key (default, small).") var model: String?
    @Option(help: "Loopback port (default: a free one).") var port: Int?
    @Option(help: "Context size per slot, in tokens.") var contextSize = Defaults.contextSize
    @Option(help: "Parallel slots (one per trajectory).") var slots = 1

    func validate() throws {
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be between 1 and 65535") }
        if contextSize < 512 { throw ValidationError("--context-size must be at least 512") }
        if slots < 1 { throw ValidationError("--slots must be at least 1") }
    }

    func run() async throws {
        var options = LocalModelServer.Options()
        options.modelPath = model
        options.port = port
        options.contextSize = contextSize
        options.slots = slots
        let stop = SignalWaiter(signals: [SIGINT, SIGTERM])
        let server: LocalModelServer
        do { server = try await LocalModelServer.start(options) } catch {
            printError("fixpoint: \(error)")
            throw ExitCode(ExitCodes.unreachable)
        }
        printLine(server.baseURL + "/v1")
        printError("serving \(server.modelPath) on \(server.baseURL) (log: \(server.process.logPath)); Ctrl-C stops it")
        let reason = await stop.wait(orExitOf: server.process)
        printError("stopping (\(reason))")
        await server.stop()
    }
}

func llamaServerVersion(_ binary: String) async -> String {
    guard let out = try? await ChildProcess.run(ProcessSpec(executable: binary, arguments: ["--version"])) else { return "unknown version" }
    let text = out.stdoutText + out.stderrText
    return text.split(separator: "\n").first { $0.hasPrefix("version") }.map(String.init) ?? "unknown version"
}
