/// Shortens long tool output without hiding where it was cut: the head and the tail are kept
/// (errors and summaries usually sit at the end, context at the start) and a marker in between says
/// how many lines and bytes were left out and how to see them.
public enum OutputTriage {
    public static let defaultMaxLines = 200
    public static let defaultMaxBytes = 16 * 1024
    /// Share of the budget given to the head; the tail gets the rest.
    static let headShare = 0.4

    /// `text` unchanged when it fits in `maxLines` lines and `maxBytes` UTF-8 bytes; otherwise its
    /// head and tail around a marker. `moreHint` tells the model how to see the rest.
    public static func headTail(
        _ text: String, maxLines: Int = defaultMaxLines, maxBytes: Int = defaultMaxBytes,
        moreHint: String = "narrow the command or the range to see the omitted part"
    ) -> String {
        let totalBytes = text.utf8.count
        let lines = splitLines(text)
        if lines.count <= maxLines, totalBytes <= maxBytes { return text }

        let lineBudget = max(2, maxLines)
        let byteBudget = max(64, maxBytes)
        let headLines = max(1, Int(Double(lineBudget) * headShare))
        let tailLines = max(1, lineBudget - headLines)
        let headBytes = max(32, Int(Double(byteBudget) * headShare))
        let tailBytes = max(32, byteBudget - headBytes)

        // Whole lines from the front, then from the back. A line too long for what is left of its
        // budget is cut (one giant line — minified code, a progress bar — keeps both its ends).
        let (head, headCut) = fit(lines.prefix(headLines), bytes: headBytes, cut: prefix)
        let firstTailCandidate = headCut ? 0 : head.count
        let (tailBackwards, tailCut) = fit(lines[firstTailCandidate...].suffix(tailLines).reversed(), bytes: tailBytes, cut: suffix)
        let tail = Array(tailBackwards.reversed())

        // Lines shown at least in part; a cut line shown at both ends counts once.
        let shownLines = head.count + tail.count - (headCut && tailCut && lines.count == 1 ? 1 : 0)
        let keptBytes = (head + tail).reduce(0) { $0 + $1.utf8.count + 1 }
        let omittedLines = max(0, lines.count - shownLines)
        let omittedBytes = max(0, totalBytes - keptBytes)
        let what = omittedLines > 0
            ? "\(omittedLines) line\(omittedLines == 1 ? "" : "s") (\(omittedBytes) bytes)"
            : "\(omittedBytes) bytes"
        let marker = "[… \(what) left out of \(lines.count) line\(lines.count == 1 ? "" : "s"); \(moreHint) …]"
        return (head.map(String.init) + [marker] + tail.map(String.init)).joined(separator: "\n")
    }

    /// Whole lines, in order, while they fit in `bytes` (each with its newline); a first line that
    /// does not fit is `cut` to the budget instead, and `cut` in the answer says so.
    private static func fit(_ lines: some Sequence<Substring>, bytes: Int, cut: (Substring, Int) -> Substring) -> ([Substring], cut: Bool) {
        var kept: [Substring] = []
        var used = 0
        for line in lines {
            let cost = line.utf8.count + 1
            if used + cost > bytes {
                if kept.isEmpty { return ([cut(line, bytes)], true) }
                break
            }
            kept.append(line)
            used += cost
        }
        return (kept, false)
    }

    /// The longest prefix of `line` within `bytes` UTF-8 bytes, cut on a character boundary.
    static func prefix(_ line: Substring, bytes: Int) -> Substring {
        var used = 0
        var end = line.startIndex
        for index in line.indices {
            let size = line[index].utf8.count
            if used + size > bytes { break }
            used += size
            end = line.index(after: index)
        }
        return line[..<end]
    }

    static func suffix(_ line: Substring, bytes: Int) -> Substring {
        var used = 0
        var start = line.endIndex
        for index in line.indices.reversed() {
            let size = line[index].utf8.count
            if used + size > bytes { break }
            used += size
            start = index
        }
        return line[start...]
    }
}

/// The lines of `text` without terminators: split on "\n" and on "\r\n" (one Character to Swift),
/// and one more "\r" left at the end of a line dropped. A final newline does not start an extra line,
/// and empty text has no lines. Scans bytes, not Characters: read_file splits a whole file this way
/// on every call.
func splitLines(_ text: String) -> [Substring] {
    guard !text.isEmpty else { return [] }
    let utf8 = text.utf8
    let (newline, carriageReturn) = (UInt8(ascii: "\n"), UInt8(ascii: "\r"))
    // Every index used is a Character boundary: Unicode never joins anything to a line feed or a
    // carriage return except the one CRLF pair.
    func line(_ start: String.Index, _ end: String.Index) -> Substring {
        var end = end
        if end > start, utf8[utf8.index(before: end)] == carriageReturn { end = utf8.index(before: end) }
        return text[start..<end]
    }
    var lines: [Substring] = []
    var start = utf8.startIndex
    var i = start
    while i != utf8.endIndex {
        let next = utf8.index(after: i)
        if utf8[i] == newline {
            var end = i
            if end > start, utf8[utf8.index(before: end)] == carriageReturn { end = utf8.index(before: end) }  // the CRLF's CR
            lines.append(line(start, end))
            start = next
        }
        i = next
    }
    if start != utf8.endIndex { lines.append(line(start, utf8.endIndex)) }
    return lines
}
