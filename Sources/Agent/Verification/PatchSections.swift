/// A unified diff cut into one section per file (`diff --git a/… b/…` up to the next one), so
/// the changes to some files can be set aside while the rest still applies.
public struct PatchSection: Sendable, Equatable {
    /// The file's path after the change (before it, for a deletion).
    public var path: String
    public var text: String

    public static func split(_ patch: String) -> [PatchSection] {
        var sections: [PatchSection] = []
        var current: [Substring] = []
        func finish() {
            guard let header = current.first else { return }
            sections.append(PatchSection(path: path(header: header, body: current), text: current.joined(separator: "\n") + "\n"))
            current = []
        }
        for line in patch.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("diff --git ") { finish() }
            if !current.isEmpty || line.hasPrefix("diff --git ") { current.append(line) }
        }
        if current.last == "" { current.removeLast() }
        finish()
        return sections
    }

    /// `+++ b/path` names the new file; `--- a/path` the deleted one; else the header's `b/` path.
    static func path(header: Substring, body: [Substring]) -> String {
        if let plus = body.first(where: { $0.hasPrefix("+++ b/") }) { return String(plus.dropFirst(6)) }
        if let minus = body.first(where: { $0.hasPrefix("--- a/") }) { return String(minus.dropFirst(6)) }
        if let b = header.range(of: " b/", options: .backwards) { return String(header[b.upperBound...]) }
        return String(header.dropFirst("diff --git ".count))
    }

    public static func join(_ sections: [PatchSection]) -> String { sections.map(\.text).joined() }

    /// Whether an added line mentions skipping (`pytest.skip`, `unittest.SkipTest`, `t.Skip()`,
    /// `@skipIf` …): code that could turn a failing test into a skipped one.
    public var addsSkip: Bool {
        text.split(separator: "\n").contains { $0.hasPrefix("+") && !$0.hasPrefix("+++") && $0.lowercased().contains("skip") }
    }
}
