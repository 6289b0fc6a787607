import Foundation
import Testing
@testable import Sandbox
#if canImport(Glibc)
import Glibc
import BlockingTestSupport
#endif

/// Each test is an escape attempt from inside the standard sandbox that must fail, with nothing
/// written outside the snapshot.
@Suite(.serialized, .offTheCooperativePool) struct EscapeTests {
    @Test func networkConnectToAHostListenerFails() async throws {
        try await requireBubblewrap()
        let f = try SandboxFixture(); defer { f.remove() }
        let listener = try LoopbackListener()
        defer { listener.close() }
        let connect = "bash -c 'exec 3<>/dev/tcp/127.0.0.1/\(listener.port) && echo CONNECTED'"
        let inside = await f.run(try await f.sandbox(), connect)
        #expect(!inside.output.contains("CONNECTED"), "\(inside.output)")
        #expect(inside.exitCode != 0)
        // The same command under `off` reaches the listener: the test can fail.
        let outside = await f.run(try await f.sandbox(.off), connect)
        #expect(outside.output.contains("CONNECTED"), "\(outside.output)")
    }

    @Test func dnsFails() async throws {
        try await requireBubblewrap()
        let f = try SandboxFixture(); defer { f.remove() }
        let run = await f.run(try await f.sandbox(), "getent hosts example.com && echo RESOLVED; getent ahosts localhost >/dev/null && echo LOOPBACK-NAME")
        #expect(!run.output.contains("RESOLVED"), "\(run.output)")
    }

    @Test func secretNamedVariablesAreNotInTheEnvironment() async throws {
        try await requireBubblewrap()
        let f = try SandboxFixture(); defer { f.remove() }
        let secrets = ["OPENAI_API_KEY": "sk-test-aaaaaaaa", "GITHUB_TOKEN": "ghp_bbbbbbbbbb", "DB_PASSWORD": "hunter2hunter2",
                       "MY_CLIENT_SECRET": "cccccccccc", "AWS_CREDENTIALS_FILE": "/secret/place", "MODEL_AUTH": "dddddddddd",
                       "UNLISTED_VARIABLE": "eeeeeeeeee"]
        let sandbox = try await f.sandbox(extra: secrets, hiding: ["MODEL_AUTH"])
        let run = await f.run(sandbox, "env")
        for (name, value) in secrets {
            #expect(!run.output.contains(name + "="), "\(name) leaked")
            #expect(!run.output.contains(value), "\(name)'s value leaked")
        }
        #expect(run.output.contains("HOME=\(BubblewrapArguments.home)"))
        #expect(run.output.contains("PATH="))
    }

    @Test func credentialsInTheHomeAreHiddenButToolchainsStayReadable() async throws {
        try await requireBubblewrap()
        let f = try SandboxFixture(); defer { f.remove() }
        let run = await f.run(try await f.sandbox(), """
            H='\(f.home)'; cat "$H/.ssh/id_ed25519" "$H/.aws/credentials" "$H/.netrc"; echo "entries: $(find "$H/.ssh" "$H/.aws" -mindepth 1 | wc -l)"; cat "$H/.pyenv/version"
            """)
        #expect(run.output.contains("entries: 0"), "\(run.output)")
        for material in ["PRIVATE-KEY-MATERIAL", "AWS-SECRET-MATERIAL", "NETRC-MATERIAL"] {
            #expect(!run.output.contains(material), "\(material) visible: \(run.output)")
        }
        #expect(run.output.contains("3.11.7"), "the toolchain folder must stay readable: \(run.output)")
    }

    @Test func theUsersPythonStillRuns() async throws {
        try await requireBubblewrap()
        let f = try SandboxFixture(); defer { f.remove() }
        var sandbox = try await f.sandbox()
        sandbox.parentEnvironment = ProcessInfo.processInfo.environment  // the real home, where pyenv may live
        let run = await f.run(sandbox, "python3 -c 'print(6 * 7)' && python3 main.py")
        #expect(run.exitCode == 0, "\(run.output)")
        #expect(run.output.contains("42") && run.output.contains("hi"))
    }

    @Test func writesOutsideTheSnapshotFail() async throws {
        try await requireBubblewrap()
        let f = try SandboxFixture(); defer { f.remove() }
        let hostTmp = NSTemporaryDirectory() + "/fixpoint-escape-" + UUID().uuidString
        let realHome = NSHomeDirectory() + "/fixpoint-escape-" + UUID().uuidString
        let targets = [f.home + "/written", realHome, hostTmp, f.userRepository + "/written", f.userRepository + "/.git/hooks/post-checkout",
                       f.workspace + "/.git/hooks/pre-commit", f.workspace + "/.git/config"]
        let script = targets.map { "echo pwned > '\($0)' 2>&1 || echo REFUSED" }.joined(separator: "\n") + "\necho ok > in-snapshot.txt"
        let run = await f.run(try await f.sandbox(), script)
        defer { try? FileManager.default.removeItem(atPath: hostTmp); try? FileManager.default.removeItem(atPath: realHome) }
        for path in targets {
            let content = try? String(contentsOfFile: path, encoding: .utf8)
            #expect(content?.contains("pwned") != true, "\(path) was written: \(run.output)")
        }
        #expect(run.output.components(separatedBy: "REFUSED").count - 1 >= targets.count - 1, "\(run.output)")
        #expect(try String(contentsOfFile: f.workspace + "/in-snapshot.txt", encoding: .utf8) == "ok\n", "the snapshot stays writable")
    }

    @Test func aForkedChildIsKilledOnCancellation() async throws {
        try await requireBubblewrap()
        let f = try SandboxFixture(); defer { f.remove() }
        var sandbox = try await f.sandbox()
        sandbox.parentEnvironment = ProcessInfo.processInfo.environment
        // A "test suite" that forks, leaves the process group and outlives its parent.
        try """
            import os, time, sys
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    time.sleep(3)
                    open('grandchild-survived', 'w').write('x')
                    sys.exit(0)
                time.sleep(3)
                open('child-survived', 'w').write('x')
                sys.exit(0)
            print('started', flush=True)
            time.sleep(3)
            open('parent-survived', 'w').write('x')
            """.write(toFile: f.workspace + "/suite.py", atomically: false, encoding: .utf8)
        let task = Task { await f.run(sandbox, "python3 suite.py") }
        try await Task.sleep(for: .milliseconds(1200))
        task.cancel()
        let run = await task.value
        #expect(run.cancelled)
        try await Task.sleep(for: .seconds(4))
        for marker in ["parent-survived", "child-survived", "grandchild-survived"] {
            #expect(!f.exists(f.workspace + "/" + marker), "\(marker): \(run.output)")
        }
    }
}

/// A TCP listener on 127.0.0.1, on a free port, outside any sandbox; accepts in the background.
final class LoopbackListener: @unchecked Sendable {
    let fd: Int32
    let port: UInt16

    init() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socketFD, 16) == 0 else { Glibc.close(socketFD); throw CancellationError() }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) } }
        fd = socketFD
        port = UInt16(bigEndian: address.sin_port)
    }

    func close() { Glibc.close(fd) }
}
