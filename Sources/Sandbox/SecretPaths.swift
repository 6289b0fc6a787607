import Foundation

/// The places in a home folder that hold credentials. Inside the sandbox each is hidden: an empty
/// directory over a folder, an empty file over a file. Whatever a command prints goes to the model
/// server, which may be remote.
public enum SecretPaths {
    public static let defaults = [
        ".ssh", ".gnupg", ".aws", ".azure", ".config/gcloud", ".config/gh", ".kube", ".docker",
        ".netrc", ".git-credentials", ".pypirc", ".npmrc", ".cargo/credentials", ".cargo/credentials.toml",
    ]

    /// A path to hide, and whether it is a folder (covered by an empty tmpfs) or a file (by /dev/null).
    struct Hidden: Equatable {
        var path: String
        var isDirectory: Bool
    }

    /// The defaults under `home` plus `extra` (absolute or `~/`-relative) that exist, each with its
    /// symbolic links resolved so the real place is covered.
    static func existing(home: String, extra: [String]) -> [Hidden] {
        let relative = defaults.map { home + "/" + $0 }
        let added = extra.map { $0.hasPrefix("~/") ? home + "/" + $0.dropFirst(2) : $0 }
        var seen = Set<String>()
        var result: [Hidden] = []
        for path in relative + added {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            for candidate in [path, URL(fileURLWithPath: path).resolvingSymlinksInPath().path] where seen.insert(candidate).inserted {
                result.append(Hidden(path: candidate, isDirectory: isDir.boolValue))
            }
        }
        return result
    }
}
