import Foundation
import Testing
@testable import FixpointServer

@Suite struct CommandRegistryTests {
    @Test func theAdvertisedCommandsAreTheRegistrysAndEachIsDocumented() throws {
        let names = ServerCommands.names
        #expect(FixpointServer.commands == names)
        #expect(Set(names).count == names.count, "two commands share a name: \(names)")
        #expect(names.contains("fixpoint.fixIssue") && names.contains("fixpoint.applyFix"))
        for name in names { #expect(ServerCommands.named(name)?.name == name) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let protocolDocs = try String(contentsOf: root.appendingPathComponent("docs/protocol.md"), encoding: .utf8)
        for name in names { #expect(protocolDocs.contains("`\(name)"), "docs/protocol.md has no entry for \(name)") }
    }
}
