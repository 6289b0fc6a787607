import Foundation

/// The environment of a confined command, built from an allowlist: nothing else from the parent,
/// and never a secret-named variable, whatever the configuration says.
public enum SandboxEnvironment {
    /// Passed through when set.
    public static let passed = [
        "PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TERM", "TZ",
        // Toolchains that live under the home keep working (read-only).
        "PYENV_ROOT", "PYENV_VERSION", "VIRTUAL_ENV", "CONDA_PREFIX", "CARGO_HOME", "RUSTUP_HOME", "RUSTUP_TOOLCHAIN",
        "NVM_DIR", "NVM_BIN", "GOROOT", "GOPATH", "GOMODCACHE", "GOFLAGS", "JAVA_HOME",
        "SSL_CERT_FILE", "SSL_CERT_DIR",
        // Test runners' own settings.
        "PYTEST_ADDOPTS",
    ]

    /// Toolchain roots whose default is a folder in the home: set explicitly, since HOME moves.
    static let homeToolchains = [("PYENV_ROOT", ".pyenv"), ("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup"),
                                 ("NVM_DIR", ".nvm"), ("GOPATH", "go")]

    /// `home`: HOME inside the sandbox; `realHome`: the user's home, where toolchains live.
    public static func build(parent: [String: String], extra: [String], home: String, realHome: String, tmp: String) -> [String: String] {
        var env: [String: String] = [:]
        for name in passed + extra where !SecretNames.isSecret(name) {
            if let value = parent[name] { env[name] = value }
        }
        for (name, folder) in homeToolchains where env[name] == nil {
            let path = realHome + "/" + folder
            if FileManager.default.fileExists(atPath: path) { env[name] = path }
        }
        env["PATH"] = env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        env["HOME"] = home
        env["TMPDIR"] = tmp
        // Python would otherwise write bytecode caches into the snapshot; harmless but noisy.
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["CI"] = parent["CI"] ?? "1"
        return env
    }

    /// Under the `off` policy: the parent's environment without secret-named variables and `hidden`.
    public static func unconfined(parent: [String: String], hiding hidden: [String]) -> [String: String] {
        var env = parent.filter { !SecretNames.isSecret($0.key) }
        for name in hidden { env[name] = nil }
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["CI"] = env["CI"] ?? "1"
        return env
    }
}
