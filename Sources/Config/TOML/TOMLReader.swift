import JSONValue

/// Reads a TOML 1.0 document into JSON objects (tables), arrays and scalars; dates and times stay the
/// text written. Any input gives either the document or a `TOMLSyntaxError` with its line and column —
/// never a crash, which is why it is written here (docs/architecture.md: TOMLKit's toml++ aborts on
/// some malformed files; the Config fuzzer found three such inputs in ten minutes).
enum TOMLReader {
    /// Larger text is refused before reading: a settings file has no business being bigger.
    static let maximumBytes = 1 << 20

    static func read(_ text: String) throws(TOMLSyntaxError) -> [String: JSON] {
        guard text.utf8.count <= maximumBytes else {
            throw TOMLSyntaxError(line: 1, column: 1, message: "the file is \(text.utf8.count) bytes; a TOML settings file may hold at most \(maximumBytes) (1 MiB)")
        }
        var reader = DocumentReader(cursor: TOMLCursor(text))
        try reader.readDocument()
        return reader.root.json.objectValue ?? [:]
    }
}

private struct DocumentReader {
    var cursor: TOMLCursor
    let root = TOMLTableNode(origin: .header)
    private var table: TOMLTableNode
    /// The keys of the last header, for messages.
    private var tablePath: [String] = []
    private var section = 0
    /// Sections are numbered; inline tables take numbers of their own so their dotted keys stay theirs.
    private var nextSection = 1
    /// Arrays and inline tables nest at most this deep, and a key has at most this many dotted parts;
    /// deeper input is refused, not recursed into (tables nest at most a header's plus a key's parts).
    static let maximumDepth = 100

    init(cursor: TOMLCursor) {
        self.cursor = cursor
        self.table = root
    }

    mutating func readDocument() throws(TOMLSyntaxError) {
        while true {
            cursor.skipSpaces()
            try cursor.skipComment()
            if cursor.skipLineEnd() { continue }
            guard let byte = cursor.current else { return }
            let what: String
            if byte == UInt8(ascii: "[") {
                try readHeader()
                what = "a table header"
            } else if byte.isBareKeyCharacter || byte == .quote || byte == .apostrophe {
                try readKeyValue()
                what = "a value"
            } else {
                throw cursor.error("expected a key, a [table] header or a comment, found \(cursor.found)")
            }
            cursor.skipSpaces()
            try cursor.skipComment()
            if !cursor.atEnd, !cursor.skipLineEnd() {
                throw cursor.error("expected the end of the line after \(what), found \(cursor.found)")
            }
        }
    }

    private mutating func readHeader() throws(TOMLSyntaxError) {
        let start = cursor.index
        cursor.advance()
        let isArray = cursor.current == UInt8(ascii: "[")
        if isArray { cursor.advance() }
        cursor.skipSpaces()
        let keys = try readKey()
        cursor.skipSpaces()
        let closing = isArray ? "]]" : "]"
        guard cursor.starts(with: closing) else {
            throw cursor.error("expected '\(closing)' to close the table header, found \(cursor.found)")
        }
        cursor.advance(closing.utf8.count)
        do {
            table = try isArray ? root.appendTable(keys) : root.defineTable(keys)
            tablePath = keys
        } catch {
            throw cursor.error(error.message, at: start)
        }
        section = nextSection
        nextSection += 1
    }

    private mutating func readKeyValue() throws(TOMLSyntaxError) {
        try readKeyValue(into: table, section: section, prefix: tablePath, depth: 0)
    }

    private mutating func readKeyValue(into target: TOMLTableNode, section: Int, prefix: [String], depth: Int) throws(TOMLSyntaxError) {
        let start = cursor.index
        let keys = try readKey()
        cursor.skipSpaces()
        guard cursor.current == UInt8(ascii: "=") else {
            throw cursor.error("expected '=' after the key \(keys.joined(separator: ".")), found \(cursor.found)")
        }
        cursor.advance()
        cursor.skipSpaces()
        let value = try readValue(depth: depth)
        do { try target.assign(keys, value, section: section, prefix: prefix) } catch { throw cursor.error(error.message, at: start) }
    }

    /// `name`, `"quoted name"`, `'literal'`, joined by dots with optional spaces around them.
    private mutating func readKey() throws(TOMLSyntaxError) -> [String] {
        var keys: [String] = []
        while true {
            guard let byte = cursor.current else { throw cursor.error("expected a key, found end of file") }
            if byte.isBareKeyCharacter {
                let start = cursor.index
                while cursor.current?.isBareKeyCharacter == true { cursor.advance() }
                keys.append(String(decoding: cursor.bytes[start..<cursor.index], as: UTF8.self))
            } else if byte == .quote || byte == .apostrophe {
                if cursor.peek(1) == byte, cursor.peek(2) == byte { throw cursor.error("a key cannot be a multi-line string") }
                keys.append(try cursor.readString())
            } else {
                throw cursor.error("expected a key, found \(cursor.found)")
            }
            cursor.skipSpaces()
            guard cursor.current == UInt8(ascii: ".") else { return keys }
            guard keys.count < Self.maximumDepth else { throw cursor.error("a key with more than \(Self.maximumDepth) dotted parts") }
            cursor.advance()
            cursor.skipSpaces()
        }
    }

    private mutating func readValue(depth: Int) throws(TOMLSyntaxError) -> JSON {
        guard depth < Self.maximumDepth else { throw cursor.error("arrays and inline tables nested more than \(Self.maximumDepth) deep") }
        switch cursor.current {
        case .quote?, .apostrophe?: return .string(try cursor.readString())
        case UInt8(ascii: "[")?: return try readArray(depth: depth + 1)
        case UInt8(ascii: "{")?: return try readInlineTable(depth: depth + 1)
        case nil, .lineFeed?, .carriageReturn?, .hash?: throw cursor.error("expected a value, found \(cursor.found)")
        default:
            let start = cursor.index
            do { return try cursor.readScalar() } catch {
                let token = String(decoding: cursor.bytes[start...].prefix { $0.isBareKeyCharacter }, as: UTF8.self)
                if !token.isEmpty, token.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }) {
                    throw TOMLSyntaxError(line: error.line, column: error.column, message: "\(error.message) (text needs quotes: \"\(token)\")")
                }
                throw error
            }
        }
    }

    /// `[ value, value, ]` across any number of lines, with comments between values.
    private mutating func readArray(depth: Int) throws(TOMLSyntaxError) -> JSON {
        cursor.advance()
        var items: [JSON] = []
        while true {
            try cursor.skipBlankLines()
            if cursor.current == UInt8(ascii: "]") { cursor.advance(); return .array(items) }
            items.append(try readValue(depth: depth))
            try cursor.skipBlankLines()
            switch cursor.current {
            case UInt8(ascii: ",")?: cursor.advance()
            case UInt8(ascii: "]")?: cursor.advance(); return .array(items)
            default: throw cursor.error("expected ',' or ']' in the array, found \(cursor.found)")
            }
        }
    }

    /// `{ key = value, key = value }` on one line, no trailing comma.
    private mutating func readInlineTable(depth: Int) throws(TOMLSyntaxError) -> JSON {
        cursor.advance()
        let inline = TOMLTableNode(origin: .header)
        let ownSection = nextSection
        nextSection += 1
        cursor.skipSpaces()
        if cursor.current == UInt8(ascii: "}") { cursor.advance(); return inline.json }
        while true {
            cursor.skipSpaces()
            try readKeyValue(into: inline, section: ownSection, prefix: [], depth: depth)
            cursor.skipSpaces()
            switch cursor.current {
            case UInt8(ascii: ",")?: cursor.advance()
            case UInt8(ascii: "}")?: cursor.advance(); return inline.json
            default: throw cursor.error("expected ',' or '}' in the inline table (which must stay on one line), found \(cursor.found)")
            }
        }
    }
}
