/// Decides where each hunk of a file patch applies: where its header says, or else the ONE other
/// place where its context and removed lines match exactly. No fuzz: a hunk whose lines are not in
/// the file, or match at several places, is refused.
enum HunkLocator {
    struct Placement {
        /// 1-based old-side start line per hunk.
        var starts: [Int]
        var notes: [String]
    }

    static func locate(_ file: PatchText.FilePatch, in lines: [String], path: String) throws(PatchError) -> Placement {
        var starts: [Int] = []
        var notes: [String] = []
        var drift = 0       // how far earlier hunks moved; later hunks are first looked for moved as much
        var earliest = 0    // hunks must not overlap or go backwards
        for (offset, hunk) in file.hunks.enumerated() {
            let number = offset + 1
            let preimage = hunk.preimage
            // Header "-a,0" means "insert after line a"; otherwise a is the first preimage line.
            let stated = (hunk.declaredOldCount == 0 && preimage.isEmpty ? hunk.oldStart : hunk.oldStart - 1) + drift
            let start: Int
            if preimage.isEmpty {
                guard stated >= earliest, stated <= lines.count else {
                    throw PatchError(kind: .hunkNotFound, file: path, hunk: number, hunkHeader: hunk.header,
                                     message: "the hunk inserts at line \(stated + 1) but the file has \(lines.count) lines")
                }
                start = stated
            } else if stated >= earliest, matches(preimage, in: lines, at: stated) {
                start = stated
            } else {
                let candidates = earliest > lines.count - preimage.count ? [] :
                    (earliest...(lines.count - preimage.count)).filter { matches(preimage, in: lines, at: $0) }
                let shown = min(max(stated, 0), lines.count)
                let actual = Array(lines[shown..<min(lines.count, shown + max(preimage.count, 1))])
                if candidates.isEmpty {
                    throw PatchError(kind: .hunkNotFound, file: path, hunk: number, hunkHeader: hunk.header,
                                     expectedLines: preimage, actualStartLine: shown + 1, actualLines: actual,
                                     message: "the hunk's context and removed lines are not in the file")
                }
                if candidates.count > 1 {
                    throw PatchError(kind: .ambiguousHunk, file: path, hunk: number, hunkHeader: hunk.header,
                                     expectedLines: preimage, actualStartLine: shown + 1, actualLines: actual,
                                     message: "the hunk's lines are not at line \(stated + 1) and match at \(candidates.count) other places (lines \(candidates.prefix(8).map { String($0 + 1) }.joined(separator: ", "))); add context lines so it matches once")
                }
                start = candidates[0]
            }
            let written = stated - drift
            if start != written && !preimage.isEmpty {
                let why = start == stated ? "by the same offset as the hunk before it" : "and nowhere else"
                notes.append("\(path): hunk \(number) (\(hunk.header)) applied at line \(start + 1) instead of line \(written + 1): its lines match exactly there, \(why)")
            }
            if hunk.declaredOldCount != hunk.oldCount || hunk.declaredNewCount != hunk.newCount {
                notes.append("\(path): hunk \(number) (\(hunk.header)) has \(hunk.oldCount) old and \(hunk.newCount) new lines; header line counts corrected")
            }
            drift = start - (hunk.oldStart - 1)
            earliest = start + preimage.count
            starts.append(start + 1)
        }
        return Placement(starts: starts, notes: notes)
    }

    static func matches(_ preimage: [String], in lines: [String], at start: Int) -> Bool {
        guard start >= 0, start + preimage.count <= lines.count else { return false }
        for (offset, line) in preimage.enumerated() where lines[start + offset] != line { return false }
        return true
    }

    /// A file's text as lines, without their "\n" (a "\r" stays, so CRLF files match CRLF patches).
    static func lines(of bytes: [UInt8]) -> [String] {
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
