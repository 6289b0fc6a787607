import Config
import JSONRPC
import Runs

/// `fixpoint acp`: the ACP agent on stdin/stdout, one JSON-RPC message per line; logs on stderr only.
public enum ACPMain {
    /// Serves until end of input and returns the exit code (0). Stdio is protected as `ProtectedStdio`
    /// describes: a stray `print` lands on stderr, never in the protocol stream.
    public static func run(
        stdin inputFD: Int32 = 0, stdout outputFD: Int32 = 1, runner: @escaping FixRunner = FixRunners.agent, settings: Settings
    ) async -> Int32 {
        guard let transport = ProtectedStdio.open(stdin: inputFD, stdout: outputFD) else { return 1 }
        let connection = Connection(transport: transport, framing: .newlineDelimited, log: ProtectedStdio.logToStderr)
        let server = ACPServer(connection: connection, runs: RunService(runner: runner), settings: settings, log: ProtectedStdio.logToStderr)
        let code = await server.serve()
        transport.flush()
        return code
    }
}
