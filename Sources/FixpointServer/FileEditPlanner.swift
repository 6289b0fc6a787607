import Agent
import Foundation
import JSONValue
import LSP
import Runs

/// One file's part of an offered fix.
enum PlannedFileEdit: Sendable, Equatable {
    /// `version` is the open document's version, or nil for a file that is not open.
    case modify(uri: DocumentURI, version: Int?, range: TextRange, newText: String)
    case create(uri: DocumentURI, text: String)
    case delete(uri: DocumentURI)
}

/// Decides, file by file, what of a finished run can still be offered: a file that changed since the
/// run started (a newer editor version, or other text on disk) is skipped, so nothing newer is overwritten.
enum FileEditPlanner {
    static func plan(
        _ changes: [FileChange], folder: WorkspaceFolder, start: RunStartState, documents: DocumentStore
    ) -> (edits: [PlannedFileEdit], skipped: [SkippedFile]) {
        var edits: [PlannedFileEdit] = [], skipped: [SkippedFile] = []
        for change in changes {
            let uri = folder.uri(ofRelativePath: change.path)
            guard folder.relativePath(of: uri) != nil else {
                skipped.append(.init(path: change.path, reason: "it is outside the workspace folder \(folder.path)"))
                continue
            }
            let current: String?
            let version: Int?
            if let document = documents[uri] {
                if let startVersion = start.openVersions[uri], startVersion != document.version {
                    skipped.append(.init(path: change.path, reason: "it was edited since the run started (version \(startVersion) → \(document.version))"))
                    continue
                }
                current = document.text
                version = document.version
            } else {
                current = uri.path.flatMap(Self.readFile)
                version = nil
            }
            guard current == change.before else {
                let reason = switch (change.before, current) {
                case (nil, _): "it was created since the run started"
                case (_, nil): "it was deleted since the run started"
                default: "its text changed since the run started"
                }
                skipped.append(.init(path: change.path, reason: reason))
                continue
            }
            switch (change.before, change.after) {
            case (nil, let after?): edits.append(.create(uri: uri, text: after))
            case (_?, nil): edits.append(.delete(uri: uri))
            case (let before?, let after?):
                let (range, text) = minimalEdit(from: before, to: after)
                edits.append(.modify(uri: uri, version: version, range: range, newText: text))
            case (nil, nil): continue
            }
        }
        return (edits, skipped)
    }

    static func readFile(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// One edit replacing the part between the common prefix and suffix (in UTF-16, never splitting a
    /// surrogate pair or a CRLF).
    static func minimalEdit(from old: String, to new: String) -> (TextRange, String) {
        let a = Array(old.utf16), b = Array(new.utf16)
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        while prefix > 0, prefix < a.count, UTF16.isTrailSurrogate(a[prefix]) || (a[prefix - 1] == 0x0D && a[prefix] == 0x0A) {
            prefix -= 1
        }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        while suffix > 0, a.count - suffix > 0,
            UTF16.isTrailSurrogate(a[a.count - suffix]) || (a[a.count - suffix] == 0x0A && a[a.count - suffix - 1] == 0x0D)
        {
            suffix -= 1
        }
        let range = TextRange(start: position(ofOffset: prefix, in: a), end: position(ofOffset: a.count - suffix, in: a))
        return (range, String(decoding: b[prefix..<(b.count - suffix)], as: UTF16.self))
    }

    static func position(ofOffset offset: Int, in units: [UInt16]) -> Position {
        var line = 0, lineStart = 0, index = 0
        while index < offset {
            let unit = units[index]
            index += 1
            if unit == 0x0D, index < units.count, units[index] == 0x0A, index < offset { index += 1 }
            if unit == 0x0A || unit == 0x0D { line += 1; lineStart = index }
        }
        return Position(line: line, character: offset - lineStart)
    }

    static let annotationID = "fixpoint.fix"

    /// `documentChanges` form: versioned identifiers, create/delete operations, every edit annotated.
    static func documentChanges(_ edits: [PlannedFileEdit]) -> [JSON] {
        let annotation = JSON.string(annotationID)
        var result: [JSON] = []
        for edit in edits {
            switch edit {
            case .modify(let uri, let version, let range, let text):
                result.append([
                    "textDocument": ["uri": uri.json, "version": version.map(JSON.int) ?? .null],
                    "edits": [["range": range.json, "newText": .string(text), "annotationId": annotation]],
                ])
            case .create(let uri, let text):
                result.append(["kind": "create", "uri": uri.json, "options": ["overwrite": false, "ignoreIfExists": false], "annotationId": annotation])
                let start = Position(line: 0, character: 0)
                result.append([
                    "textDocument": ["uri": uri.json, "version": .null],
                    "edits": [["range": TextRange(start: start, end: start).json, "newText": .string(text), "annotationId": annotation]],
                ])
            case .delete(let uri):
                result.append(["kind": "delete", "uri": uri.json, "options": ["ignoreIfNotExists": false], "annotationId": annotation])
            }
        }
        return result
    }

    /// The older `changes` map, for clients without `documentChanges`; nil when the edit needs file operations.
    static func changesMap(_ edits: [PlannedFileEdit]) -> JSON? {
        var map: [String: JSON] = [:]
        for edit in edits {
            guard case .modify(let uri, _, let range, let text) = edit else { return nil }
            map[uri.stringValue] = [["range": range.json, "newText": .string(text)]]
        }
        return .object(map)
    }
}

extension PlannedFileEdit {
    var uri: DocumentURI {
        switch self {
        case .modify(let uri, _, _, _), .create(let uri, _), .delete(let uri): uri
        }
    }
}
