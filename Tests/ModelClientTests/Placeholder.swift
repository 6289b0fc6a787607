import Testing

@Test func placeholder_ModelClientTests() { #expect(Bool(true)) }
