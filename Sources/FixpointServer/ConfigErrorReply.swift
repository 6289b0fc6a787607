import Config
import JSONRPC

extension ResponseError {
    /// How a configuration error reaches the client: a bad value in the request's own parameters is
    /// -32602 naming the parameter; a broken `fixpoint.toml` fails the request with the file's message.
    init(_ error: ConfigError) {
        switch error.problem {
        case .unreadable, .syntax: self = .requestFailed("cannot read Fixpoint settings: \(error)")
        case _ where error.location.hasSuffix(ConfigFile.name): self = .requestFailed("cannot read Fixpoint settings: \(error)")
        default: self = .invalidParams(error.keyPath, error.reason)
        }
    }
}
