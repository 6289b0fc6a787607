import Testing

@Test func placeholder_GitTests() { #expect(Bool(true)) }
