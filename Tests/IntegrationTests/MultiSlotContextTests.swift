import Agent
import ChildProcess
import Foundation
import ModelClient
import ModelRuntime
import Locking
import Testing

extension LlamaServerSuites {
    /// A real llama-server with several slots (`-c 8192 -np 4`): `/props` reports the per-slot context,
    /// a `--model-url` run plans for exactly that, not a quarter of it, and `doctor` says it is too small.
    @Suite(.enabled(if: Runtime.shouldRun, Runtime.skipNote))
    struct MultiSlotContextTests {
        @Test func aRemoteRunPlansForTheServersPerSlotContext() async throws {
            var options = LocalModelServer.Options()
            options.modelPath = "small"
            options.contextSize = 2048  // per slot: the server is started with -c 8192 -np 4
            options.slots = 4
            let server = try await LocalModelServer.start(options)
            do {
                let info = try await ModelClient(endpoint: ModelEndpoint(baseURL: server.baseURL)).probe()
                #expect(info.slots == 4)
                #expect(info.contextSize == 2048, "llama-server's /props n_ctx is per slot")

                // doctor reads the same figure from the real server, and says it is below the minimum.
                let doctor = try await ChildProcess.run(ProcessSpec(executable: Runtime.fixpointBinary, arguments: ["doctor", "--model-url", server.baseURL]))
                #expect(doctor.status == .exited(1), "\(doctor.stdoutText)")
                #expect(doctor.stdoutText.contains("2048 tokens per slot (4 slots)"), "\(doctor.stdoutText)")
                #expect(doctor.stdoutText.contains("llama-server -c 32768 -np 4"), "\(doctor.stdoutText)")

                // A remote run over that server. The test command does not exist, so the run stops
                // right after it announced its plan, before any generation (cheap on 2 cores).
                let repo = FileManager.default.temporaryDirectory.appendingPathComponent("fp-slots-\(UUID().uuidString)").path
                try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: repo) }
                _ = try await ChildProcess.shell("git init -q && echo x > a && git add a && git -c user.name=t -c user.email=t@e commit -qm a", in: repo)
                let started = Locked<String?>(nil)
                let outcome = await Fixer.run(FixRequest(repository: repo, issue: "x", testCommand: "no-such-test-command-fixpoint"),
                                              model: .remote(baseURL: server.baseURL, model: nil)) { event in
                    if event.kind == .started { started.withLock { $0 = event.summary } }
                }
                #expect(outcome.failure == .configuration)
                let summary = try #require(started.withLock { $0 })
                #expect(summary.contains("context 2048 tokens"), "\(summary)")
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }
    }
}
