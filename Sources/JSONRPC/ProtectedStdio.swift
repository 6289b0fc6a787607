#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stdio for a protocol server (`fixpoint serve`, `fixpoint acp`), with the hygiene both need: the
/// protocol gets a duplicate of `outputFD`, and `outputFD` itself is pointed at stderr, so a stray
/// `print` cannot corrupt the stream; SIGPIPE is ignored so a client that goes away ends the session
/// through end of input instead of killing the process; stdin is read on its own thread.
public enum ProtectedStdio {
    /// The transport for the protocol, or nil (after a line on stderr) when the descriptors can't be set up.
    public static func open(stdin inputFD: Int32 = 0, stdout outputFD: Int32 = 1) -> StdioTransport? {
        signal(SIGPIPE, SIG_IGN)
        let protocolFD = dup(outputFD)
        guard protocolFD >= 0 else {
            logToStderr("cannot duplicate the output descriptor \(outputFD): \(String(cString: strerror(errno)))")
            return nil
        }
        if dup2(STDERR_FILENO, outputFD) < 0 {
            logToStderr("cannot point descriptor \(outputFD) at stderr: \(String(cString: strerror(errno)))")
        }
        return StdioTransport(inputFD: inputFD, outputFD: protocolFD)
    }

    /// One line on stderr, `fixpoint: …`; editors show it in their server log.
    @Sendable public static func logToStderr(_ line: String) {
        let bytes = Array("fixpoint: \(line)\n".utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
