import Agent
import Foundation
import JSONRPC
import Runs
#if canImport(Glibc)
import Glibc
#endif

/// `fixpoint serve`: the language server on stdin/stdout.
public enum LanguageServerMain {
    /// Serves LSP on `inputFD` / `outputFD` until `exit` or end of input and returns the exit code
    /// (0 after `shutdown`, 1 otherwise).
    ///
    /// Stdio hygiene: the protocol gets a duplicate of `outputFD`, and `outputFD` itself is pointed at
    /// stderr, so a stray `print` cannot corrupt the stream; SIGPIPE is ignored so a client that goes away
    /// ends the session through end of input instead of killing the process; stdin is read on its own thread.
    public static func run(stdin inputFD: Int32 = 0, stdout outputFD: Int32 = 1, runner: @escaping FixRunner = FixRunners.agent) async -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        let protocolFD = dup(outputFD)
        guard protocolFD >= 0 else {
            logToStderr("cannot duplicate the output descriptor \(outputFD): \(String(cString: strerror(errno)))")
            return 1
        }
        if dup2(STDERR_FILENO, outputFD) < 0 {
            logToStderr("cannot point descriptor \(outputFD) at stderr: \(String(cString: strerror(errno)))")
        }
        let transport = StdioTransport(inputFD: inputFD, outputFD: protocolFD)
        let connection = Connection(transport: transport, log: logToStderr)
        let server = FixpointServer(connection: connection, runner: runner, log: logToStderr)
        let code = await server.serve()
        transport.flush()
        return code
    }

    /// One line on stderr; editors show it in their server log.
    @Sendable public static func logToStderr(_ line: String) {
        let bytes = Array("fixpoint: \(line)\n".utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
