import JSONRPC
import JSONValue

/// A document URI, normalised once where it enters the server so that the same file always has the
/// same key: `file:` URIs are decoded to a path and re-encoded one canonical way
/// (`file:///a%20b/c.swift` and `file:///a b/c.swift` are equal). Other schemes are kept verbatim.
public struct DocumentURI: Hashable, Sendable, CustomStringConvertible {
    public let stringValue: String
    /// The file-system path for `file:` URIs.
    public let path: String?

    public init(_ string: String) {
        if let path = Self.filePath(from: string) {
            self.path = path
            stringValue = Self.fileURI(path: path)
        } else {
            path = nil
            stringValue = string
        }
    }

    public init(path: String) {
        let standard = Self.standardise(path)
        self.path = standard
        stringValue = Self.fileURI(path: standard)
    }

    public var description: String { stringValue }
    public var json: JSON { .string(stringValue) }

    static func filePath(from uri: String) -> String? {
        guard uri.lowercased().hasPrefix("file:") else { return nil }
        var rest = Substring(uri.dropFirst(5))
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            // Authority: empty or "localhost" for local files.
            if let slash = rest.firstIndex(of: "/") {
                let host = rest[..<slash]
                guard host.isEmpty || host.lowercased() == "localhost" else { return nil }
                rest = rest[slash...]
            } else { return nil }
        }
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<cut] }
        guard let decoded = percentDecode(rest), decoded.hasPrefix("/") else { return nil }
        return standardise(decoded)
    }

    /// Collapses `//`, `/./` and `/../` so equal paths compare equal; no file-system access.
    static func standardise(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func percentDecode(_ s: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(s.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let h = iterator.next(), let l = iterator.next(), let hi = hexValue(h), let lo = hexValue(l) else { return nil }
                bytes.append(hi << 4 | lo)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// Encodes everything but unreserved characters and `/` (what VS Code and Neovim send).
    static func fileURI(path: String) -> String {
        var out = "file://"
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}

extension Params {
    public func uri(_ keyPath: String) throws(ResponseError) -> DocumentURI { DocumentURI(try string(keyPath)) }
}
