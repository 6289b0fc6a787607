import Testing

@Test func placeholder_FixpointServerTests() { #expect(Bool(true)) }
