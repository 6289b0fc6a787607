import Testing

@Test func gitPlaceholder() { #expect(Bool(true)) }
