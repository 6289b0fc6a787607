import Testing

@Test func placeholder_JSONValueTests() { #expect(Bool(true)) }
