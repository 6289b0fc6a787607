/// Finds a table header with no name (`[` then a newline, `[=`, `[ #`...) before the text reaches
/// toml++. toml++ 3.4.0 (inside TOMLKit 0.6.0) does not check that case: `parse_table_header` calls
/// `parse_key`, which only asserts the next character starts a key — an abort in debug builds and
/// undefined behaviour under NDEBUG. The Config fuzzer found it (Fuzz/Config); a one-character typo in
/// a user's fixpoint.toml must be an error that names the line, never a crash.
///
/// The scan follows TOML far enough to know where a statement starts: strings (basic, literal and
/// their multi-line forms, with escapes), comments, and the nesting of array values, which may span
/// lines. It never rejects valid TOML: a `[` counts as a header only at the start of a statement
/// outside any value, which is where toml++ reads one too. Anything else is left to toml++.
enum TableHeaderCheck {
    struct Finding: Equatable {
        let line: Int
        let column: Int
    }

    static let message = "a table header needs a name after '[', like [model]"

    /// The first nameless header, if any (line and column from 1, as toml++ counts them).
    static func firstNamelessHeader(in text: String) -> Finding? {
        var scanner = Scanner(bytes: Array(text.utf8))
        return scanner.run()
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var lineStart = 0
        /// How deep inside array values the scan is; headers exist only at depth 0.
        var arrayDepth = 0
        /// Only whitespace, comments and line breaks since the last statement ended.
        var atStatementStart = true

        init(bytes: [UInt8]) {
            self.bytes = bytes
            // toml++ skips a UTF-8 byte-order mark, so a header may follow it.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3; lineStart = 3 }
        }

        mutating func run() -> Finding? {
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\n"):
                    index += 1; line += 1; lineStart = index
                    if arrayDepth == 0 { atStatementStart = true }
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    index += 1
                case UInt8(ascii: "#"):
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    atStatementStart = false
                    skipString(quote: byte)
                case UInt8(ascii: "["):
                    if atStatementStart && arrayDepth == 0 {
                        if let finding = checkHeader() { return finding }
                        atStatementStart = false
                    } else {
                        arrayDepth += 1
                    }
                    index += 1
                case UInt8(ascii: "]"):
                    if arrayDepth > 0 { arrayDepth -= 1 }
                    index += 1
                default:
                    atStatementStart = false
                    index += 1
                }
            }
            return nil
        }

        /// At a header's `[`: what follows `[` or `[[` and any spaces must begin a key, close the header,
        /// or end the text — the cases toml++ reports itself.
        func checkHeader() -> Finding? {
            var at = skipSpaces(from: index + 1)
            guard at < bytes.count else { return nil }
            if bytes[at] == UInt8(ascii: "[") {
                if at != index + 1 { return nil }  // `[ [`: toml++ reports it
                at = skipSpaces(from: at + 1)
                guard at < bytes.count else { return nil }
            }
            if Self.startsKeyOrCloses(bytes[at]) { return nil }
            return Finding(line: line, column: column(of: at))
        }

        static func startsKeyOrCloses(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"),
                 UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "]"):
                return true
            default:
                return false
            }
        }

        func skipSpaces(from start: Int) -> Int {
            var at = start
            while at < bytes.count, bytes[at] == UInt8(ascii: " ") || bytes[at] == UInt8(ascii: "\t") { at += 1 }
            return at
        }

        /// Columns count characters, not bytes.
        func column(of position: Int) -> Int {
            bytes[lineStart..<position].filter { $0 & 0xC0 != 0x80 }.count + 1
        }

        /// Moves past a string that starts at `index`. Basic strings take escapes; literal ones don't.
        /// A single-line string stops at the line's end (unterminated: toml++ reports it).
        mutating func skipString(quote: UInt8) {
            let multiLine = index + 2 < bytes.count && bytes[index + 1] == quote && bytes[index + 2] == quote
            index += multiLine ? 3 : 1
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") {
                    index += 1
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\n") { line += 1; lineStart = index + 1 }
                    index += 1
                    continue
                }
                if byte == UInt8(ascii: "\n") {
                    if !multiLine { return }
                    line += 1; lineStart = index + 1
                }
                if byte == quote {
                    if !multiLine { index += 1; return }
                    if index + 2 < bytes.count, bytes[index + 1] == quote, bytes[index + 2] == quote {
                        index += 3
                        // Up to two more quotes belong to the content: `""""` ends with one in it.
                        var extra = 0
                        while extra < 2, index < bytes.count, bytes[index] == quote { index += 1; extra += 1 }
                        return
                    }
                }
                index += 1
            }
        }
    }
}
