import ChildProcess
import Foundation
import ModelClient
import ModelRuntime
import Testing

/// Whether the real model runtime (llama-server + the default model) is installed here.
enum Runtime {
    static var installed: Bool {
        (try? LocalModelServer.locateBinary()) != nil && (try? LocalModelServer.locateModel()) != nil
    }
    /// CI sets FIXPOINT_REQUIRE_MODEL=1: there a missing runtime fails the tests instead of skipping them.
    static var required: Bool { ProcessInfo.processInfo.environment["FIXPOINT_REQUIRE_MODEL"] == "1" }
    static var shouldRun: Bool { installed || required }
    /// The `fixpoint` built next to the test bundle.
    static var fixpointBinary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("fixpoint").path
    }

    static let skipNote: Comment = "the model runtime is not installed (run scripts/setup); these tests start a real llama-server"

    /// Count of llama-server processes that are children of this test process.
    static func ourLlamaServers() async -> Int {
        let me = getpid()
        let r = try? await ChildProcess.shell("pgrep -P \(me) -f [l]lama-server | wc -l")
        return Int(r?.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1
    }
}

/// The suites that start a real llama-server run one after another: two servers at once would share
/// the 2 cores, and RealModelTests' "no llama-server left" check counts this test process's children,
/// so another suite's server would be counted. Declared here, so the rest of the module (and the
/// test run) stays parallel.
@Suite(.serialized) enum LlamaServerSuites {}

/// A fake llama-server: a script in `folder`, for injecting the faults a real one rarely shows.
func fakeServer(_ body: String, in folder: String) throws -> String {
    let path = folder + "/fake-llama-\(UUID().uuidString)"
    try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    return path
}

func fakeModel(bytes: Int = 16, in folder: String) throws -> String {
    let path = folder + "/fake-\(UUID().uuidString).gguf"
    try Data(repeating: 0x47, count: bytes).write(to: URL(fileURLWithPath: path))
    return path
}
