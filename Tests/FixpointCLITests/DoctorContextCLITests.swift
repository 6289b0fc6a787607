import Foundation
import ModelTestSupport
import Testing

/// `fixpoint doctor --model-url` asks the server for its context per slot (llama-server's `/props`) and
/// says, with the command that fixes it, when that is below the minimum a run needs.
@Suite struct DoctorContextCLITests {
    private func line(_ output: String, _ name: String) -> String {
        output.split(separator: "\n").first { $0.hasPrefix(name) }.map(String.init) ?? ""
    }

    @Test func aSmallPerSlotContextIsBadAndSaysHowToFixIt() async throws {
        // llama-server -c 16384 -np 4: /props reports 4096 per slot.
        let server = try LoopbackServer.chatServer(turns: [], contextSize: 4096, slots: 4)
        let r = try await CLI.run(["doctor", "--model-url", server.baseURL])
        #expect(r.code == 1, "\(r.out)\(r.err)")
        let context = line(r.out, "model context")
        #expect(context.contains("BAD") && context.contains("4096 tokens per slot (4 slots)") && context.contains("8192"), "\(r.out)")
        #expect(r.out.contains("llama-server -c 32768 -np 4"), "the fix names the server's flags: \(r.out)")
        #expect(r.out.contains("not ready: model context"))
    }

    @Test func aLargeEnoughContextIsOKAndTheEmbeddedRuntimeOptional() async throws {
        let server = try LoopbackServer.chatServer(turns: [], contextSize: 16384, slots: 2)
        let r = try await CLI.run(["doctor", "--model-url", server.baseURL + "/v1"])
        #expect(r.code == 0, "\(r.out)\(r.err)")
        #expect(line(r.out, "model context").contains("OK"), "\(r.out)")
        #expect(r.out.contains("ready: `fixpoint fix --model-url \(server.baseURL)/v1` can run."))
    }

    @Test func aContextSizeAboveWhatTheServerServesIsBad() async throws {
        let server = try LoopbackServer.chatServer(turns: [], contextSize: 8192)
        let r = try await CLI.run(["doctor", "--model-url", server.baseURL, "--context-size", "32768"])
        #expect(r.code == 1)
        #expect(line(r.out, "model context").contains("would overflow"), "\(r.out)")
    }

    @Test func anUnreachableServerIsBad() async throws {
        let server = try LoopbackServer.chatServer(turns: [])
        let url = server.baseURL
        server.stop()
        let r = try await CLI.run(["doctor", "--model-url", url])
        #expect(r.code == 1)
        #expect(line(r.out, "model server").contains("cannot reach"), "\(r.out)")
    }

    @Test func theEmbeddedModelsContextIsChecked() async throws {
        let r = try await CLI.run(["doctor", "--context-size", "4096"])
        #expect(r.code == 1)
        let context = line(r.out, "model context")
        #expect(context.contains("BAD") && context.contains("4096"), "\(r.out)")
        #expect(r.out.contains("pass --context-size 8192 or more"))
        // doctor reads no fixpoint.toml: its advice names only what it reads.
        #expect(!r.out.contains("fixpoint.toml"), "\(r.out)")
    }
}
