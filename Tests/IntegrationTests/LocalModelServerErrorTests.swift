import ChildProcess
import Foundation
import ModelClient
import ModelRuntime
import Testing

/// LocalModelServer's errors, each naming what is missing and how to fix it.
@Suite(.serialized) final class LocalModelServerErrorTests {
    /// The fake servers and models of one test; removed at deinit.
    let scratch: String

    init() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fp-fake-llama-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: scratch) }

    @Test func missingBinaryNamesTheSetupCommand() async throws {
        var options = LocalModelServer.Options()
        options.binaryPath = "/nonexistent/llama-server"
        options.modelPath = try fakeModel(in: scratch)
        await #expect {
            try await LocalModelServer.start(options)
        } throws: { error in
            let text = "\(error)"
            return text.contains("/nonexistent/llama-server") && text.contains("scripts/setup")
        }
    }

    @Test func missingModelNamesTheSetupCommand() async throws {
        var options = LocalModelServer.Options()
        options.binaryPath = try fakeServer("sleep 1", in: scratch)
        options.modelPath = "/nonexistent/model.gguf"
        await #expect {
            try await LocalModelServer.start(options)
        } throws: { error in
            "\(error)".contains("/nonexistent/model.gguf") && "\(error)".contains("scripts/setup")
        }
    }

    @Test func corruptCatalogueModelIsRefused() async throws {
        // A file named like the small model, of the right size but other bytes.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fp-corrupt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/" + ModelCatalog.smallModel.fileName
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(ModelCatalog.smallModel.sizeBytes))
        try handle.close()
        do {
            try await ModelVerifier.verify(modelPath: path)
            Issue.record("a corrupt model was accepted")
        } catch {
            guard case .corruptModel(_, let expected, let actual) = error else { Issue.record("wrong error \(error)"); return }
            #expect(expected == ModelCatalog.smallModel.sha256)
            #expect(actual != expected && actual.count == 64)
            #expect(error.description.contains("scripts/setup"))
        }
    }

    @Test func portInUseIsReported() async throws {
        // Hold a port with a listening socket of our own.
        let holder = try await ChildProcess.launch(
            .shell("exec python3 -c 'import socket,time; s=socket.socket(); s.bind((\"127.0.0.1\",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(30)'"),
            logPath: FileManager.default.temporaryDirectory.appendingPathComponent("port-\(UUID().uuidString).log").path)
        defer { Task { await holder.terminate(grace: 1) } }
        var port = 0
        for _ in 0..<50 where port == 0 {
            try await Task.sleep(for: .milliseconds(100))
            port = Int((try? String(contentsOfFile: holder.logPath, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        }
        try #require(port > 0)
        var options = LocalModelServer.Options()
        options.binaryPath = try fakeServer("sleep 30", in: scratch)
        options.modelPath = try fakeModel(in: scratch)
        options.port = port
        await #expect(throws: LocalModelError.portInUse(port)) { try await LocalModelServer.start(options) }
    }

    @Test func aServerThatNeverBecomesHealthyIsStoppedAndExplained() async throws {
        let marker = "fake-llama-never-healthy-\(UUID().uuidString.prefix(8))"
        let uniqueSleep = "60.\(Int.random(in: 1000...9999))"
        var options = LocalModelServer.Options()
        options.binaryPath = try fakeServer("echo loading \(marker); exec sleep \(uniqueSleep)", in: scratch)
        options.modelPath = try fakeModel(in: scratch)
        options.healthTimeout = 1.5
        await #expect {
            try await LocalModelServer.start(options)
        } throws: { error in
            guard case .neverHealthy(_, let tail) = error as? LocalModelError else { return false }
            return tail.contains(marker)
        }
        // The fake server was killed, not left behind.
        let left = try await ChildProcess.shell("pgrep -f '[s]leep \(uniqueSleep)' | wc -l")
        #expect(left.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test func aServerThatExitsEarlyShowsItsLog() async throws {
        var options = LocalModelServer.Options()
        options.binaryPath = try fakeServer("echo 'error: unknown argument --jinja' >&2; exit 1", in: scratch)
        options.modelPath = try fakeModel(in: scratch)
        options.healthTimeout = 10
        await #expect {
            try await LocalModelServer.start(options)
        } throws: { error in
            guard case .exitedEarly(let status, let tail) = error as? LocalModelError else { return false }
            return status == "exit 1" && tail.contains("unknown argument --jinja")
        }
    }

    @Test func cancellingTheStartStopsTheServerAndSaysCancelled() async throws {
        var options = LocalModelServer.Options()
        options.binaryPath = try fakeServer("exec sleep 61.\(Int.random(in: 1000...9999))", in: scratch)
        options.modelPath = try fakeModel(in: scratch)
        options.healthTimeout = 60
        let started = Date()
        let task = Task { try await LocalModelServer.start(options) }
        try await Task.sleep(for: .milliseconds(600))
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("a cancelled start returned a server")
        } catch {
            #expect(error as? LocalModelError == .cancelled)
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
