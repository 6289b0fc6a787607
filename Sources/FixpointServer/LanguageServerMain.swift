import Agent
import Foundation
import JSONRPC
import Runs
import Sandbox

/// `fixpoint serve`: the language server on stdin/stdout.
public enum LanguageServerMain {
    /// Serves LSP on `inputFD` / `outputFD` until `exit` or end of input and returns the exit code
    /// (0 after `shutdown`, 1 otherwise). Stdio is protected as `ProtectedStdio` describes.
    public static func run(stdin inputFD: Int32 = 0, stdout outputFD: Int32 = 1, runner: @escaping FixRunner = FixRunners.agent) async -> Int32 {
        guard let transport = ProtectedStdio.open(stdin: inputFD, stdout: outputFD) else { return 1 }
        let connection = Connection(transport: transport, log: logToStderr)
        let server = FixpointServer(connection: connection, runner: runner, log: logToStderr)
        let code = await server.serve()
        transport.flush()
        return code
    }

    /// One line on stderr, through the redaction point; editors show it in their server log.
    @Sendable public static func logToStderr(_ line: String) { ProtectedStdio.logToStderr(Redaction.redact(line)) }
}
