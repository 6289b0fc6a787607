import Foundation

/// The first failing test as the runner showed it, cut to what a one-shot prompt can hold: for
/// pytest its whole block (the test's own lines, the assertion with both values, the frames); for
/// other runners the digest's message lines.
enum FailureExcerpt {
    static let maxLines = 30
    static let maxLineLength = 300

    static func first(in output: String) -> String? {
        let lines = TriageText.lines(output)
        if let block = PytestParser.rawBlocks(lines).first(where: { block in block.body.contains { !TriageText.trimmed($0).isEmpty } }) {
            let body = block.body.drop { TriageText.trimmed($0).isEmpty }.reversed().drop { TriageText.trimmed($0).isEmpty }.reversed()
            return ([block.headline] + body.suffix(maxLines).map { cut($0) }).joined(separator: "\n")
        }
        guard let failure = TestOutputCondenser.digest(output)?.failures.first else { return nil }
        return ([failure.name] + failure.message.prefix(maxLines).map { cut($0) }).joined(separator: "\n")
    }

    private static func cut(_ line: some StringProtocol) -> String {
        line.count > maxLineLength ? String(line.prefix(maxLineLength)) + " …" : String(line)
    }
}
