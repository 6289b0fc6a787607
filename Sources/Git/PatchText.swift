/// A tolerant reader for unified diffs as models write them: plain `---`/`+++` diffs without a
/// `diff --git` line, wrong line counts in hunk headers, blank context lines missing their space.
/// It is only used when libgit2's strict parser or apply fails, to relocate hunks and to render a
/// canonical patch that libgit2 then applies.
struct PatchText {
    struct Hunk {
        var header: String
        var oldStart: Int
        var newStart: Int
        /// Line counts the header claims (1 when omitted, as in "@@ -3 +3 @@").
        var declaredOldCount: Int
        var declaredNewCount: Int
        /// Trailing text after the second "@@" (function context), kept when rendering.
        var section: String
        /// Body lines with their prefix (' ', '-', '+', '\').
        var lines: [String]

        /// Context and removed lines: what must be in the file.
        var preimage: [String] { lines.filter { $0.hasPrefix(" ") || $0.hasPrefix("-") }.map { String($0.dropFirst()) } }
        var postimage: [String] { lines.filter { $0.hasPrefix(" ") || $0.hasPrefix("+") }.map { String($0.dropFirst()) } }
        var oldCount: Int { preimage.count }
        var newCount: Int { postimage.count }
    }

    struct FilePatch {
        var headerLines: [String] = []
        var oldPath: String?
        var newPath: String?
        var isBinary = false
        var hasGitHeader = false
        var hunks: [Hunk] = []

        /// The path whose current content the hunks apply to.
        var targetPath: String? { oldPath ?? newPath }
    }

    var files: [FilePatch] = []

    init(_ text: String) throws(PatchError) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var current: FilePatch?
        var hunk: Hunk?
        func finishHunk() { if let done = hunk { current?.hunks.append(done); hunk = nil } }
        func finishFile() { finishHunk(); if let done = current { files.append(done) }; current = nil }

        var position = 0
        while position < lines.count {
            let line = lines[position]
            let next: String? = position + 1 < lines.count ? lines[position + 1] : nil
            let afterNext: String? = position + 2 < lines.count ? lines[position + 2] : nil
            if line.hasPrefix("diff --git ") {
                finishFile()
                current = FilePatch(headerLines: [line], hasGitHeader: true)
                let paths = Self.gitHeaderPaths(line)
                current?.oldPath = paths.old
                current?.newPath = paths.new
            } else if line.hasPrefix("--- "), let next, next.hasPrefix("+++ "),
                      hunk == nil || afterNext?.hasPrefix("@@") == true {
                // A file header; starts a new file unless it follows this file's `diff --git` lines.
                if current == nil || hunk != nil || current?.hunks.isEmpty == false { finishFile(); current = FilePatch() }
                finishHunk()
                current?.headerLines += [line, next]
                let old = Self.headerPath(String(line.dropFirst(4))), new = Self.headerPath(String(next.dropFirst(4)))
                current?.oldPath = old
                current?.newPath = new
                if old == nil && current?.hasGitHeader == true { current?.oldPath = nil }
                position += 2
                continue
            } else if line.hasPrefix("@@"), current != nil {
                finishHunk()
                hunk = try Self.hunkHeader(line)
            } else if hunk != nil, line.isEmpty || " -+\\".contains(line.first!) {
                hunk?.lines.append(line.isEmpty ? " " : line)
            } else if current != nil, hunk == nil {
                current?.headerLines.append(line)
                if line.hasPrefix("GIT binary patch") || line.hasPrefix("Binary files ") { current?.isBinary = true }
                if line.hasPrefix("rename from ") { current?.oldPath = Self.unquote(String(line.dropFirst(12))) }
                if line.hasPrefix("rename to ") { current?.newPath = Self.unquote(String(line.dropFirst(10))) }
                if line.hasPrefix("new file mode") { current?.oldPath = nil }
                if line.hasPrefix("deleted file mode") { current?.newPath = nil }
            } else {
                finishHunk()  // trailing prose after a hunk
            }
            position += 1
        }
        finishFile()
        files = files.filter { !$0.headerLines.isEmpty || !$0.hunks.isEmpty }
        guard !files.isEmpty else {
            throw PatchError(kind: .unparsable, message: "no file header (`diff --git`, or `---`/`+++` lines) found; the patch must be a unified diff")
        }
    }

    /// Renders the patch canonically: `diff --git` headers (added where missing) and hunk headers
    /// whose numbers come from `starts` (new old-side start per hunk) and whose counts are recounted.
    func rendered(oldStarts: [[Int]]) -> String {
        var out: [String] = []
        for (fileIndex, file) in files.enumerated() {
            if !file.hasGitHeader {
                let old = file.oldPath ?? file.newPath ?? "", new = file.newPath ?? file.oldPath ?? ""
                out.append("diff --git a/\(old) b/\(new)")
                if file.oldPath == nil { out.append("new file mode 100644") }
                if file.newPath == nil { out.append("deleted file mode 100644") }
            }
            out += file.headerLines
            if !file.isBinary, file.hunks.isEmpty, !file.headerLines.contains(where: { $0.hasPrefix("--- ") }),
               file.oldPath == nil || file.newPath == nil, let names = Self.gitHeaderNames(file.headerLines.first) {
                // An empty file created or deleted: git writes no ---/+++ lines, libgit2 1.5 needs them.
                out.append(file.oldPath == nil ? "--- /dev/null" : "--- \(names.old)")
                out.append(file.newPath == nil ? "+++ /dev/null" : "+++ \(names.new)")
            }
            var shift = 0
            for (hunkIndex, hunk) in file.hunks.enumerated() {
                let oldStart = oldStarts[fileIndex][hunkIndex]
                let oldShown = hunk.oldCount == 0 ? oldStart - 1 : oldStart
                let newShown = hunk.newCount == 0 ? oldStart - 1 + shift : oldStart + shift
                out.append("@@ -\(oldShown),\(hunk.oldCount) +\(max(newShown, 0)),\(hunk.newCount) @@\(hunk.section)")
                out += hunk.lines
                shift += hunk.newCount - hunk.oldCount
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func hunkHeader(_ line: String) throws(PatchError) -> Hunk {
        // "@@ -a[,b] +c[,d] @@ section"
        let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
        guard parts.count >= 3, parts[1].hasPrefix("-"), parts[2].hasPrefix("+"),
              let oldStart = Int(parts[1].dropFirst().split(separator: ",").first ?? ""),
              let newStart = Int(parts[2].dropFirst().split(separator: ",").first ?? "") else {
            throw PatchError(kind: .unparsable, hunkHeader: line, message: "malformed hunk header; expected `@@ -start,count +start,count @@`")
        }
        var section = ""
        if line.count > 2, let range = line.range(of: "@@", options: [], range: line.index(line.startIndex, offsetBy: 2)..<line.endIndex) {
            section = String(line[range.upperBound...])
        }
        func count(_ part: Substring) -> Int {
            let pieces = part.dropFirst().split(separator: ",")
            return pieces.count > 1 ? Int(pieces[1]) ?? 1 : 1
        }
        return Hunk(header: line, oldStart: oldStart, newStart: newStart, declaredOldCount: count(parts[1]),
                    declaredNewCount: count(parts[2]), section: section, lines: [])
    }

    /// The two names of a `diff --git` line exactly as written (quoted or not) when both sides are
    /// the same file, as for a created or deleted file.
    static func gitHeaderNames(_ line: String?) -> (old: String, new: String)? {
        guard let line, line.hasPrefix("diff --git ") else { return nil }
        let rest = String(line.dropFirst("diff --git ".count))
        if rest.hasPrefix("\"") {
            let parts = splitQuoted(rest)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
        guard rest.count % 2 == 1 else { return nil }
        let half = (rest.count - 1) / 2
        return (String(rest.prefix(half)), String(rest.suffix(half)))
    }

    /// Paths from `diff --git a/x b/y` (unquoted names without spaces are split at " b/").
    static func gitHeaderPaths(_ line: String) -> (old: String?, new: String?) {
        let rest = String(line.dropFirst("diff --git ".count))
        if rest.hasPrefix("\"") {
            let parts = splitQuoted(rest)
            return (parts.first.map(stripPrefix), parts.dropFirst().first.map(stripPrefix))
        }
        if let range = rest.range(of: " b/") {
            return (stripPrefix(String(rest[..<range.lowerBound])), String(rest[range.upperBound...]))
        }
        return (nil, nil)
    }

    /// A path from a `---`/`+++` line: nil for /dev/null; drops "a/"/"b/" and a trailing tab + timestamp.
    static func headerPath(_ raw: String) -> String? {
        var value = raw
        if !value.hasPrefix("\""), let tab = value.firstIndex(of: "\t") { value = String(value[..<tab]) }
        value = unquote(value)
        if value == "/dev/null" { return nil }
        return stripPrefix(value)
    }

    static func stripPrefix(_ path: String) -> String {
        let unquoted = unquote(path)
        if unquoted.hasPrefix("a/") || unquoted.hasPrefix("b/") { return String(unquoted.dropFirst(2)) }
        return unquoted
    }

    /// Undoes git's C-style quoting ("a/caf\303\251.txt").
    static func unquote(_ text: String) -> String {
        guard text.hasPrefix("\""), let end = text.lastIndex(of: "\""), end > text.startIndex else { return text }
        let inner = Array(text.utf8.dropFirst().prefix(text.utf8.distance(from: text.utf8.index(after: text.startIndex), to: end)))
        var bytes: [UInt8] = []
        var index = 0
        while index < inner.count {
            let byte = inner[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < inner.count else { bytes.append(byte); index += 1; continue }
            let escape = inner[index + 1]
            switch escape {
            case UInt8(ascii: "n"): bytes.append(10); index += 2
            case UInt8(ascii: "t"): bytes.append(9); index += 2
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = 0, digits = 0
                while digits < 3, index + 1 + digits < inner.count,
                      (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(inner[index + 1 + digits]) {
                    value = value * 8 + Int(inner[index + 1 + digits] - UInt8(ascii: "0"))
                    digits += 1
                }
                bytes.append(UInt8(truncatingIfNeeded: value)); index += 1 + digits
            default: bytes.append(escape); index += 2
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Splits `"a/x y" "b/x y"` (or a mix of quoted and plain) into its two names.
    static func splitQuoted(_ text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("\"") {
                var index = rest.index(after: rest.startIndex)
                while index < rest.endIndex {
                    if rest[index] == "\\" { index = rest.index(index, offsetBy: 2, limitedBy: rest.endIndex) ?? rest.endIndex; continue }
                    if rest[index] == "\"" { break }
                    index = rest.index(after: index)
                }
                let end = index < rest.endIndex ? rest.index(after: index) : rest.endIndex
                names.append(String(rest[..<end]))
                rest = rest[end...].drop { $0 == " " }
            } else {
                let end = rest.firstIndex(of: " ") ?? rest.endIndex
                names.append(String(rest[..<end]))
                rest = rest[end...].drop { $0 == " " }
            }
        }
        return names
    }
}
