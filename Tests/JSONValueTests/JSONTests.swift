import JSONValue
import Testing

@Suite struct JSONTests {
    @Test func serializationSortsKeysAndHasNoWhitespace() {
        let value: JSON = ["b": 1, "a": ["z": true, "y": .null], "c": ["x", 2.5]]
        #expect(value.serialized() == #"{"a":{"y":null,"z":true},"b":1,"c":["x",2.5]}"#)
    }

    @Test func sameValueSameBytesWhateverTheInsertionOrder() {
        var first: [String: JSON] = [:]
        for key in ["tools", "messages", "model", "seed"] { first[key] = .string(key) }
        var second: [String: JSON] = [:]
        for key in ["seed", "model", "messages", "tools"] { second[key] = .string(key) }
        #expect(JSON.object(first).serializedBytes() == JSON.object(second).serializedBytes())
    }

    @Test func numbersRoundTripAsWritten() throws {
        let text = #"{"a":1e9,"b":-0.50,"c":12345678901234567890}"#
        #expect(try JSON.parse(text).serialized() == text)
    }

    @Test func stringsEscapeControlsAndKeepUnicode() throws {
        let value: JSON = .string("tab\there \"quoted\" \\ new\nline \u{01} é 🎉")
        let text = value.serialized()
        #expect(text == #""tab\there \"quoted\" \\ new\nline \u0001 é 🎉""#)
        #expect(try JSON.parse(text) == value)
        #expect(try JSON.parse(#""\ud83c\udf89 \u00e9""#) == .string("🎉 é"))
    }

    /// The serializer copies runs of plain bytes whole: escapes at the first and last byte, next to
    /// each other and next to multi-byte characters must come out exactly as one escape per byte.
    @Test func everyControlCharacterHasOneEscapeWhereverItStands() throws {
        let escapes = ["\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007", "\\b", "\\t", "\\n",
                       "\\u000b", "\\f", "\\r", "\\u000e", "\\u000f"] + (0x10..<0x20).map { "\\u00" + String($0, radix: 16) }
        for code in 0..<0x20 {
            let c = String(UnicodeScalar(UInt8(code)))
            let value = "\(c)é\(c)\(c)x\"\\🎉\(c)"
            let e = escapes[code]
            #expect(JSON.string(value).serialized() == "\"\(e)é\(e)\(e)x\\\"\\\\🎉\(e)\"")
            #expect(try JSON.parse(JSON.string(value).serializedBytes()) == .string(value))
        }
        // DEL and everything above the controls is kept as is.
        #expect(JSON.string("\u{7F}ab").serialized() == "\"\u{7F}ab\"")
        let long = String(repeating: "line of text with \"quotes\" and a tab\t\n", count: 5000)
        #expect(try JSON.parse(JSON.array([.string(long), ["k": .string(long)]]).serialized()) == JSON.array([.string(long), ["k": .string(long)]]))
    }

    @Test func invalidInputSaysWhere() {
        for bad in ["{", "[1,]", #"{"a" 1}"#, "tru", #""unterminated"#, "01", "1 2"] {
            #expect(throws: JSONParseError.self) { try JSON.parse(bad) }
        }
        // The offset points at the second comma.
        do { _ = try JSON.parse(#"{"a": [1, 2,, 3]}"#) } catch { #expect(error.offset == 12) }
    }

    @Test func prettyPrintingIsStableAndParsesBack() throws {
        let value: JSON = ["b": [1, 2], "a": [:], "c": ["d": "e"]]
        let pretty = value.prettyPrinted()
        #expect(pretty == "{\n  \"a\": {},\n  \"b\": [\n    1,\n    2\n  ],\n  \"c\": {\n    \"d\": \"e\"\n  }\n}")
        #expect(try JSON.parse(pretty) == value)
    }

    @Test func codableBridgeKeepsTypes() throws {
        struct Sample: Codable, Equatable { var name: String; var count: Int; var on: Bool }
        let json = try JSON(encoding: Sample(name: "x", count: 3, on: true))
        #expect(json == ["name": "x", "count": 3, "on": true])
        #expect(try json.decode(Sample.self) == Sample(name: "x", count: 3, on: true))
    }
}
