import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Diagnostics go to stderr so stdout stays machine-readable (`--json-events`, `model serve`'s URL).
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// A line on stdout, written at once (no stdio buffering to flush).
func printLine(_ message: String) {
    FileHandle.standardOutput.write(Data((message + "\n").utf8))
}

var stderrIsTerminal: Bool { isatty(2) == 1 }
