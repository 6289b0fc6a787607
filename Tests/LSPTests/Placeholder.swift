import Testing

@Test func placeholder_LSPTests() { #expect(Bool(true)) }
