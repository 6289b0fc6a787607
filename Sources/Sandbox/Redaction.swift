import Foundation
import Locking

/// The one redaction point: every text Fixpoint writes (journal, report, logs) or sends (to the model,
/// to an editor) passes through `Redaction.redact`, which replaces the values of secret-named
/// environment variables and of registered secrets (the model's API key) with `[REDACTED]`.
public enum Redaction {
    public static let placeholder = "[REDACTED]"
    /// Shorter values can't be told apart from ordinary text (`1`, `true`), so they are not treated as secrets.
    public static let minimumLength = 6

    private static let registered = Locked<[String]>(secretValues(in: ProcessInfo.processInfo.environment))

    /// Adds a secret read from somewhere other than a secret-named variable (an API key from `--api-key-env`).
    public static func register(_ secret: String) {
        guard secret.count >= minimumLength else { return }
        registered.withLock { values in
            guard !values.contains(secret) else { return }
            values.append(secret)
            values.sort { $0.count > $1.count }  // longest first, so a secret containing another goes whole
        }
    }

    public static func redact(_ text: String) -> String {
        let values = registered.withLock { $0 }
        return redact(text, values: values)
    }

    static func redact(_ text: String, values: [String]) -> String {
        var text = text
        for value in values where text.contains(value) {
            text = text.replacingOccurrences(of: value, with: placeholder)
        }
        return text
    }

    static func secretValues(in environment: [String: String]) -> [String] {
        environment.filter { SecretNames.isSecret($0.key) && $0.value.count >= minimumLength }
            .map(\.value).sorted { $0.count > $1.count }
    }
}
