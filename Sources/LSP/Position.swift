import JSONRPC
import JSONValue

/// A zero-based line and a UTF-16 code-unit offset within it (LSP's default position encoding).
public struct Position: Hashable, Sendable, Comparable {
    public var line: Int
    public var character: Int
    public init(line: Int, character: Int) { self.line = line; self.character = character }
    public var json: JSON { ["line": .int(line), "character": .int(character)] }
    public static func < (a: Position, b: Position) -> Bool { (a.line, a.character) < (b.line, b.character) }
}

public struct TextRange: Hashable, Sendable {
    public var start: Position
    public var end: Position
    public init(start: Position, end: Position) { self.start = start; self.end = end }
    public var json: JSON { ["start": start.json, "end": end.json] }
}

extension Params {
    public func position(_ keyPath: String) throws(ResponseError) -> Position {
        let line = try int(keyPath + ".line"), character = try int(keyPath + ".character")
        guard line >= 0 else { throw .invalidParams(keyPath + ".line", "must not be negative") }
        guard character >= 0 else { throw .invalidParams(keyPath + ".character", "must not be negative") }
        return Position(line: line, character: character)
    }

    public func range(_ keyPath: String) throws(ResponseError) -> TextRange {
        let range = TextRange(start: try position(keyPath + ".start"), end: try position(keyPath + ".end"))
        guard range.start <= range.end else { throw .invalidParams(keyPath, "start is after end") }
        return range
    }
}
