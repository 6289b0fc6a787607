import Testing

@Test func placeholder_FixpointCLITests() { #expect(Bool(true)) }
