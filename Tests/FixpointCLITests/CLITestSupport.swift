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
