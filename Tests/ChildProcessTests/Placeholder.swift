import Testing

@Test func placeholder_ChildProcessTests() { #expect(Bool(true)) }
