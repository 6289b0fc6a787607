import Foundation

/// Reading and writing workspace files as text, with the checks every file tool shares:
/// exists, is a regular file, is not binary, is not absurdly large.
enum TextFile {
    /// Files above this size are not read whole (a snapshot rarely has source this big).
    static let maxBytes = 8 * 1024 * 1024

    /// The text of the file at `absolute`; `shown` is the path as the model should see it.
    static func read(_ absolute: String, shown: String) throws(ToolError) -> String {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDir) else {
            throw ToolError("file '\(shown)' does not exist; use list_files or search to find the right path")
        }
        if isDir.boolValue {
            throw ToolError("'\(shown)' is a directory, not a file; use list_files(path: \"\(shown)\") to see what it holds")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: absolute)[.size] as? Int) ?? 0
        if size > maxBytes {
            throw ToolError("file '\(shown)' is too large to read as text (\(size) bytes); use search to find the lines you need")
        }
        // An empty file (an `__init__.py`) is not handed to Foundation: swift-foundation 6.3.1 leaks its
        // 4 KiB read buffer on every empty file (found by scripts/sanitize address; scripts/lsan-suppressions.txt).
        if size == 0, access(absolute, R_OK) == 0 { return "" }
        guard let data = FileManager.default.contents(atPath: absolute) else {
            throw ToolError("file '\(shown)' could not be read (permission denied?)")
        }
        guard let text = decode(data) else {
            throw ToolError("file '\(shown)' is binary (\(data.count) bytes); only text files can be read or edited")
        }
        return text
    }

    /// The data as UTF-8 text, or nil if it looks binary (a NUL byte near the start, or invalid UTF-8).
    static func decode(_ data: Data) -> String? {
        if data.prefix(8192).contains(0) { return nil }
        return String(data: data, encoding: .utf8)
    }

    static func write(_ text: String, to absolute: String, shown: String) throws(ToolError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: absolute))
        } catch {
            throw ToolError("could not write '\(shown)': \(error.localizedDescription)")
        }
    }

    /// True when the text uses CRLF line endings for most of its lines.
    static func usesCRLF(_ text: String) -> Bool {
        var crlf = 0, lf = 0
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") {
                if previous == UInt8(ascii: "\r") { crlf += 1 } else { lf += 1 }
            }
            previous = byte
        }
        return crlf > lf
    }

    /// `text` with every line ending turned into `\r\n` (existing CRLFs are kept, not doubled).
    static func toCRLF(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// The lines of `text` without their terminators. A final newline does not start an extra line.
    static func lines(_ text: String) -> [Substring] { splitLines(text) }

    /// `   12| text`: the number right-aligned so columns line up in a window.
    static func numbered(_ line: some StringProtocol, number: Int, width: Int) -> String {
        let digits = String(number)
        return String(repeating: " ", count: max(0, width - digits.count)) + digits + "| " + line
    }
}
