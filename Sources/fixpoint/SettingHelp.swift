import ArgumentParser
import Config

extension ConfigKey {
    /// A setting's `--help` line, from the one table of settings.
    var help: ArgumentHelp { ArgumentHelp("\(summary) (default: \(defaultText))") }
}
