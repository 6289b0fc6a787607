import ArgumentParser
import ChildProcess
import Config
import Foundation
import Git
import ModelClient
import ModelRuntime
import Sandbox

/// One line of `fixpoint doctor`'s table.
struct DoctorCheck {
    enum Verdict: String { case ok = "OK", missing = "MISSING", bad = "BAD", optional = "optional" }
    var name: String
    var verdict: Verdict
    var detail: String
    /// The command that fixes it ("" when nothing to do).
    var fix: String
    /// Whether the main job (`fixpoint fix` on the embedded model) needs it.
    var required: Bool
}

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check what the main job needs; exits 0 only when `fixpoint fix` can run on the embedded model.",
        discussion: """
            With --model-url it checks that server instead of the embedded model: that it answers and that \
            its context (per slot) is at least the minimum a run needs; llama-server and the default model \
            are then optional.
            """)

    @Option(help: "Check this OpenAI-compatible server (its context per slot) instead of the embedded model.") var modelURL: String?
    @Option(help: ConfigKey.apiKeyEnv.help) var apiKeyEnv: String?
    @Option(help: ConfigKey.contextSize.help) var contextSize: Int?

    func validate() throws {
        if let contextSize, !Limits.contextSize.contains(contextSize) {
            throw ValidationError("--context-size must be in \(Limits.contextSize.lowerBound)...\(Limits.contextSize.upperBound) (got \(contextSize))")
        }
    }

    func run() async throws {
        var checks = await Self.checks()
        if let modelURL {
            // The embedded runtime is not what such a run uses.
            for i in checks.indices where ["llama-server", "default model"].contains(checks[i].name) {
                checks[i].required = false
                if checks[i].verdict != .ok { checks[i].verdict = .optional }
            }
            checks.append(await ModelContextCheck.remote(url: modelURL, apiKeyEnv: apiKeyEnv, override: contextSize))
        } else {
            checks.append(ModelContextCheck.embedded(contextSize: contextSize))
        }
        let nameWidth = max(12, checks.map(\.name.count).max() ?? 0)
        for c in checks {
            let name = c.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let verdict = c.verdict.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            printLine("\(name)  \(verdict)  \(c.detail)")
            if c.verdict != .ok, !c.fix.isEmpty { printLine(String(repeating: " ", count: nameWidth + 12) + "fix: \(c.fix)") }
        }
        let blocking = checks.filter { $0.required && $0.verdict != .ok }
        if blocking.isEmpty {
            printLine(modelURL.map { "\nready: `fixpoint fix --model-url \($0)` can run." } ?? "\nready: `fixpoint fix` can run on the embedded model.")
        } else {
            printLine("\nnot ready: \(blocking.map(\.name).joined(separator: ", ")) must be fixed first.")
            throw ExitCode(ExitCodes.notVerified)
        }
    }

    static func checks() async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        checks.append(await toolCheck("swift", ["--version"], required: false,
            fix: "install Swift 6 from swift.org (needed to build Fixpoint, not to run it)"))
        checks.append(DoctorCheck(name: "libgit2", verdict: .ok, detail: GitLibraryVersion.description, fix: "", required: true))
        checks.append(DoctorCheck(name: "libcurl", verdict: .ok, detail: CurlVersion.description, fix: "", required: true))

        do {
            let binary = try LocalModelServer.locateBinary()
            let version = await llamaServerVersion(binary)
            let runs = version != "unknown version"
            checks.append(DoctorCheck(name: "llama-server", verdict: runs ? .ok : .bad, detail: "\(binary) (\(version))",
                fix: runs ? "" : "scripts/setup --only llama", required: true))
        } catch {
            checks.append(DoctorCheck(name: "llama-server", verdict: .missing, detail: "not built", fix: "scripts/setup --only llama", required: true))
        }

        let modelPath: String
        do { modelPath = try LocalModelServer.locateModel() } catch {
            modelPath = ""
            checks.append(DoctorCheck(name: "default model", verdict: .missing, detail: ModelCatalog.defaultModel.displayName,
                fix: "scripts/setup --only models", required: true))
        }
        if !modelPath.isEmpty {
            do {
                try await ModelVerifier.verify(modelPath: modelPath)
                let known = ModelCatalog.spec(forPath: modelPath) != nil
                checks.append(DoctorCheck(name: "default model", verdict: .ok,
                    detail: "\(modelPath)" + (known ? " (sha256 verified)" : " (not a catalogue model: checksum not checked)"),
                    fix: "", required: true))
            } catch {
                checks.append(DoctorCheck(name: "default model", verdict: .bad, detail: "\(error)",
                    fix: "rm \(modelPath) && scripts/setup --only models", required: true))
            }
        }
        checks.append(await toolCheck("git", ["--version"], required: false, fix: "apt-get install git (only for your own use; Fixpoint uses libgit2)"))
        checks.append(await toolCheck("python3", ["--version"], required: false, fix: "apt-get install python3 (the bundled fixture's tests use it)"))
        checks.append(await sandboxCheck())
        checks.append(await toolCheck("nvim", ["--version"], required: false, fix: "apt-get install neovim (editor tests)"))
        checks.append(await toolCheck("emacs", ["--version"], required: false, fix: "apt-get install emacs-nox (editor tests)"))
        return checks
    }

    /// Whether bubblewrap really confines commands here (it is run once, as a fix run would).
    static func sandboxCheck() async -> DoctorCheck {
        switch await Bubblewrap.probe() {
        case .available(let path):
            return DoctorCheck(name: "sandbox", verdict: .ok,
                               detail: "\(path) works: tests and run_command run sandboxed (no network, read-only system)", fix: "", required: false)
        case .unavailable(let reason, let fix):
            return DoctorCheck(name: "sandbox", verdict: .bad,
                               detail: "\(reason); fix runs tests with the environment allowlist and limits only, refuses run_command, "
                                   + "and --sandbox strict refuses to run", fix: fix, required: false)
        }
    }

    static func toolCheck(_ tool: String, _ args: [String], required: Bool, fix: String) async -> DoctorCheck {
        guard let out = try? await ChildProcess.run(ProcessSpec(executable: tool, arguments: args)), out.status == .exited(0) else {
            return DoctorCheck(name: tool, verdict: required ? .missing : .optional, detail: "not found", fix: fix, required: required)
        }
        let first = (out.stdoutText + out.stderrText).split(separator: "\n").first.map(String.init) ?? ""
        return DoctorCheck(name: tool, verdict: .ok, detail: first, fix: "", required: required)
    }
}
