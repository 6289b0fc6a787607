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
