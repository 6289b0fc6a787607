import Foundation
import JSONValue
import Testing

@testable import Agent

/// A repository may hold symbolic links to /etc or to the user's home: every file tool refuses to
/// follow them out, reading or writing.
@Suite struct SymlinkEscapeTests {
    @Test func everyFileToolRefusesLinksToEtcAndTheHome() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        let home = NSHomeDirectory()
        try f.symlink("etc", to: "/etc")
        try f.symlink("home", to: home)
        try f.symlink("passwd", to: "/etc/passwd")
        try f.symlink("profile", to: home + "/.profile")
        try f.write("src/ok.txt", "fine\n")
        let probe = "fixpoint-escape-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: "/etc/" + probe); try? FileManager.default.removeItem(atPath: home + "/" + probe) }

        var attempts: [(String, JSON)] = []
        for link in ["etc", "home"] {
            attempts.append(("list_files", ["path": .string(link)]))
            attempts.append(("search", ["pattern": "root", "path": .string(link)]))
            attempts.append(("write_file", ["path": .string("\(link)/\(probe)"), "content": "pwned\n"]))
        }
        for link in ["passwd", "profile", "etc/passwd", "home/.profile"] {
            attempts.append(("read_file", ["path": .string(link)]))
            attempts.append(("edit_file", ["path": .string(link), "old_text": "root", "new_text": "pwned"]))
            attempts.append(("write_file", ["path": .string(link), "content": "pwned\n"]))
        }
        for (tool, arguments) in attempts {
            let message = await f.failure(tool, arguments)
            #expect(message != nil, "\(tool) \(arguments) was not refused")
        }
        #expect(!FileManager.default.fileExists(atPath: "/etc/" + probe))
        #expect(!FileManager.default.fileExists(atPath: home + "/" + probe))
        #expect((try? String(contentsOfFile: "/etc/passwd", encoding: .utf8))?.contains("pwned") != true)

        // Walking the whole workspace does not follow them either.
        let listing = try await f.call("list_files", ["depth": 4])
        #expect(!listing.contains("passwd/") && !listing.contains("hostname"), "\(listing)")
        let found = try await f.call("search", ["pattern": "root:"])
        #expect(!found.contains("root:x:0"), "\(found)")
    }
}
