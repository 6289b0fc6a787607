/// What applying a patch did.
public struct PatchApplyResult: Sendable, Equatable {
    /// Repository-relative paths the patch touches (both sides of a rename), sorted.
    public var filesChanged: [String]
    /// One human-readable note per hunk that did not apply where its header said and was moved to the
    /// single place its lines match (or whose header line counts were corrected). Empty when the
    /// patch applied exactly as written.
    public var relocatedHunks: [String]

    public init(filesChanged: [String], relocatedHunks: [String]) {
        self.filesChanged = filesChanged
        self.relocatedHunks = relocatedHunks
    }
}

/// A patch that was not applied (nothing was changed). Names the file and hunk and shows the lines
/// the hunk expected next to the lines actually there, so the author can rewrite the hunk.
public struct PatchError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The text is not a unified diff Fixpoint can read.
        case unparsable
        /// A file the patch modifies or deletes is missing, or one it creates already exists.
        case fileState
        /// A hunk's lines (context and removed lines) are nowhere in the file.
        case hunkNotFound
        /// A hunk's lines are not where the header says and match at several other places.
        case ambiguousHunk
        /// libgit2 refused the patch for another reason (binary data, modes, ...), or disk I/O failed.
        case rejected
    }

    public var kind: Kind
    /// Repository-relative path of the file concerned, when there is one.
    public var file: String?
    /// 1-based number of the hunk within its file, when one hunk is at fault.
    public var hunk: Int?
    /// The hunk's header line as written ("@@ -10,4 +10,5 @@").
    public var hunkHeader: String?
    /// The lines the hunk expects to find (context and removed lines, without the prefix).
    public var expectedLines: [String]
    /// 1-based line where the lines were looked for, and what the file has there.
    public var actualStartLine: Int?
    public var actualLines: [String]
    /// What went wrong, in words (includes libgit2's message where it refused).
    public var message: String

    public init(kind: Kind, file: String? = nil, hunk: Int? = nil, hunkHeader: String? = nil, expectedLines: [String] = [],
                actualStartLine: Int? = nil, actualLines: [String] = [], message: String) {
        self.kind = kind
        self.file = file
        self.hunk = hunk
        self.hunkHeader = hunkHeader
        self.expectedLines = expectedLines
        self.actualStartLine = actualStartLine
        self.actualLines = actualLines
        self.message = message
    }

    public var description: String {
        var text = "patch not applied (nothing was changed)"
        if let file { text += ": \(file)" }
        if let hunk { text += ", hunk \(hunk)" + (hunkHeader.map { " \($0)" } ?? "") }
        text += ": \(message)"
        if !expectedLines.isEmpty {
            text += "\nthe hunk expects these lines (context and removed lines):\n"
            text += expectedLines.map { "  | \($0)" }.joined(separator: "\n")
        }
        if let start = actualStartLine {
            text += "\nthe file actually has, from line \(start):\n"
            text += actualLines.isEmpty ? "  (end of file)" :
                actualLines.enumerated().map { "  \(start + $0.offset) | \($0.element)" }.joined(separator: "\n")
        }
        if kind == .hunkNotFound || kind == .ambiguousHunk {
            text += "\nRe-read the file and rewrite the hunk with lines copied exactly (or use edit_file)."
        }
        return text
    }
}
