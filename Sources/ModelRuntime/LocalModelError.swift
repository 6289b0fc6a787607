import Config

/// Why the embedded model server could not be started. Each message names what is missing and how to fix it.
public enum LocalModelError: Error, CustomStringConvertible, Equatable {
    case binaryNotFound(searched: [String])
    case modelNotFound(searched: [String])
    case corruptModel(path: String, expectedSHA256: String, actualSHA256: String)
    case wrongModelSize(path: String, expected: Int, actual: Int)
    case portInUse(Int)
    case launchFailed(String)
    case exitedEarly(status: String, logTail: String)
    case neverHealthy(seconds: Double, logTail: String)
    /// The caller was cancelled (Ctrl-C, an editor's cancel) while the server was being started.
    case cancelled

    public var description: String {
        switch self {
        case .binaryNotFound(let searched):
            return "llama-server not found (looked in: \(searched.joined(separator: ", "))). "
                + "Run \(FixpointPaths.setupCommand) to build it, or set FIXPOINT_LLAMA_SERVER to its path."
        case .modelNotFound(let searched):
            return "model file not found (looked in: \(searched.joined(separator: ", "))). "
                + "Run \(FixpointPaths.setupCommand) to fetch it, or set FIXPOINT_MODEL to a GGUF file."
        case .corruptModel(let path, let expected, let actual):
            return "model \(path) is corrupt: sha256 \(actual), expected \(expected). "
                + "Delete it and run \(FixpointPaths.setupCommand) to fetch it again."
        case .wrongModelSize(let path, let expected, let actual):
            return "model \(path) has \(actual) bytes, expected \(expected) (an interrupted download?). "
                + "Delete it and run \(FixpointPaths.setupCommand) to fetch it again."
        case .portInUse(let port):
            return "port \(port) on 127.0.0.1 is already in use; choose another port or leave it unset to pick a free one."
        case .launchFailed(let reason):
            return "could not start llama-server: \(reason)"
        case .exitedEarly(let status, let tail):
            return "llama-server exited before it became healthy (\(status)). Its last log lines:\n\(tail)"
        case .cancelled:
            return "cancelled while the model server was starting; it was stopped"
        case .neverHealthy(let seconds, let tail):
            return "llama-server did not answer /health with 200 within \(Int(seconds))s and was stopped. Its last log lines:\n\(tail)"
        }
    }
}
