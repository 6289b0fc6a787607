import ArgumentParser
import Foundation
import Git

/// Checks of `fix`'s inputs that need the file system: each failure says what is wrong with which
/// input and what to do, before any setting is read or any model is contacted.
enum FixInputs {
    /// `--repo` must be an existing folder.
    static func checkFolder(_ path: String) throws(ValidationError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationError("--repo \(path): no such folder; give a folder inside the git repository to fix")
        }
        guard isDirectory.boolValue else {
            throw ValidationError("--repo \(path) is a file; give the folder of the git repository to fix")
        }
    }

    /// `--repo` must lie inside a git repository (commits are not needed).
    static func checkRepository(_ path: String) throws(ValidationError) {
        guard (try? Repository.discover(from: path)) != nil else {
            throw ValidationError("--repo \(path) is not inside a git repository; Fixpoint works on git repositories: run `git init` there first")
        }
    }

    /// The issue text of `--issue-file`: it must exist and be UTF-8 text.
    static func readIssueFile(_ path: String) throws(ValidationError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw ValidationError("--issue-file \(path): \(exists ? "cannot be read (check its permissions)" : "no such file")")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let offset = firstInvalidUTF8Offset(Array(data)) ?? 0
            throw ValidationError("--issue-file \(path) is not UTF-8 text (invalid byte at offset \(offset)); "
                                  + "convert it, e.g. `iconv -f latin1 -t utf-8 \(path) > issue.txt`, and pass that file")
        }
        return text
    }

    /// Where the first byte that breaks UTF-8 decoding sits.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
