import Foundation

/// `cargo test`: `test path::name ... FAILED` lines, the `---- name stdout ----` blocks holding each
/// panic message, `test result:` lines, and `error[E…]` compile errors with their `-->` location.
enum CargoTestParser: TestOutputParser {
    static func parse(_ lines: [Substring]) -> TestDigest? {
        let recognised = lines.contains {
            $0.hasPrefix("test result: ") || ($0.hasPrefix("test ") && ($0.hasSuffix(" ... FAILED") || $0.hasSuffix(" ... ok")))
                || $0.hasPrefix("error[E") || $0.hasPrefix("error: could not compile")
        }
        guard recognised else { return nil }
        var digest = TestDigest(runner: "cargo test")
        let outputs = stdoutBlocks(lines)
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("test "), line.hasSuffix(" ... ok") {
                digest.addPassed(String(line.dropFirst(5).dropLast(" ... ok".count)))
            } else if line.hasPrefix("test "), line.hasSuffix(" ... FAILED") {
                let name = String(line.dropFirst(5).dropLast(" ... FAILED".count))
                digest.addFailure(name, message: outputs[name] ?? [])
            } else if line.hasPrefix("error[") || (line.hasPrefix("error: ") && !line.hasPrefix("error: test failed")) {
                var error = String(line)
                if index + 1 < lines.count, lines[index + 1].contains("--> ") {
                    error += " (" + TriageText.trimmed(lines[index + 1]).dropFirst(4) + ")"
                }
                if digest.errors.count < 20 { digest.errors.append(error) }
            }
        }
        digest.listsPassing = true
        let results = lines.filter { $0.hasPrefix("test result: ") }
        let failed = results.filter { $0.hasPrefix("test result: FAILED") }
        digest.summary = (failed.isEmpty ? Array(results.suffix(1)) : failed).map(String.init)
        return digest
    }

    /// `---- tests::divides stdout ----` → the block's lines up to the next block or `failures:`.
    static func stdoutBlocks(_ lines: [Substring]) -> [String: [String]] {
        var blocks: [String: [String]] = [:]
        var current: String?
        for line in lines {
            if line.hasPrefix("---- "), line.hasSuffix(" ----") {
                let inner = line.dropFirst(5).dropLast(5)
                current = inner.hasSuffix(" stdout") ? String(inner.dropLast(7)) : String(inner)
                blocks[current!] = []
            } else if line == "failures:" || line.hasPrefix("test result: ") {
                current = nil
            } else if let name = current {
                let text = TriageText.trimmed(line)
                if text.isEmpty || text.hasPrefix("note: run with `RUST_BACKTRACE") { continue }
                if blocks[name]!.count < 12 { blocks[name]!.append(String(line)) }
            }
        }
        return blocks
    }
}
