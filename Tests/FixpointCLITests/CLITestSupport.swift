import ChildProcess
import Foundation
import Testing

/// Runs the built `fixpoint` binary, as a user would.
enum CLI {
    static var binary: String {
        if let env = ProcessInfo.processInfo.environment["FIXPOINT_BIN"], !env.isEmpty { return env }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        // swift test runs `<products>/FixpointPackageTests.xctest` (a file on Linux).
        while !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("fixpoint").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("fixpoint").path
    }

    static func run(_ args: [String], env: [String: String] = [:], timeout: Double = 120) async throws -> (code: Int32, out: String, err: String) {
        var spec = ProcessSpec(executable: binary, arguments: args)
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        spec.environment = environment
        spec.timeout = timeout
        let r = try await ChildProcess.run(spec)
        return (r.status.code, r.stdoutText, r.stderrText)
    }
}

func temporaryFolder(_ name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A committed repository in `dir` whose test fails until `add` adds: calc.py (the bug) and
/// test_calc.py, run by `python3 test_calc.py`. What the run-lifecycle CLI tests fix.
func makeCalcRepository(in dir: String) async throws {
    let setup = "printf 'def add(a, b):\\n    return a - b\\n' > calc.py && "
        + "printf 'from calc import add\\nassert add(2, 3) == 5\\n' > test_calc.py && "
        + "git init -q && git add . && git -c user.name=t -c user.email=t@e commit -qm base"
    let result = try await ChildProcess.shell(setup, in: dir)
    #expect(result.status == .exited(0), "\(result.stdoutText)")
}

