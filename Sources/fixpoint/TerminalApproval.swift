import Foundation
import Sandbox

/// `--sandbox-approve-commands` on the command line: each `run_command` is shown on the terminal
/// (/dev/tty, not stdout or stdin, which may carry data) and runs only on "y". No terminal: refused.
enum TerminalApproval {
    @Sendable static func ask(_ command: String) async -> Bool {
        await withCheckedContinuation { continuation in
            // Reading the terminal blocks: on a thread of its own, never the cooperative pool.
            Thread.detachNewThread {
                continuation.resume(returning: prompt("fixpoint: run this command (sandboxed)? [y/N]\n  \(Redaction.redact(command))\n> "))
            }
        }
    }

    private static func prompt(_ text: String) -> Bool {
        guard let tty = FileHandle(forUpdatingAtPath: "/dev/tty") else { return false }
        defer { try? tty.close() }
        tty.write(Data(text.utf8))
        var line: [UInt8] = []
        while let byte = try? tty.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") { line.append(first) }
        return String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("y")
    }
}
