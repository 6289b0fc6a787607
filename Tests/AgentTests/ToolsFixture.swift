import Foundation
import JSONValue
import Testing

@testable import Agent

/// A throwaway folder tree for tool tests: a fake repository (with a `.git` folder holding a file,
/// so refusals can be seen) plus a sibling folder outside it that symlinks can point at. Removed
/// when the last reference goes, so a test that forgets `remove()` leaves nothing in /tmp.
final class ToolsFixture: Sendable {
    let base: String
    let root: String
    let outside: String

    init() throws {
        base = FileManager.default.temporaryDirectory.path + "/fixpoint-tools-" + UUID().uuidString
        root = base + "/repo"
        outside = base + "/outside"
        try FileManager.default.createDirectory(atPath: root + "/.git", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try write(".git/config", "[core]\n\tbare = false\n")
        try "top secret\n".write(toFile: outside + "/secret.txt", atomically: false, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: base) }

    deinit { remove() }

    func write(_ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func writeBytes(_ relative: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: root + "/" + relative))
    }

    func read(_ relative: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative)), as: UTF8.self)
    }

    func symlink(_ relative: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: root + "/" + relative, withDestinationPath: target)
    }

    func workspace() throws -> Workspace { try Workspace(root: root) }

    func context() throws -> ToolContext { ToolContext(workspace: try workspace()) }

    /// Runs a tool through the standard registry, as the loop will.
    func call(_ tool: String, _ arguments: JSON, context: ToolContext? = nil) async throws(ToolError) -> String {
        let ctx: ToolContext
        do { ctx = try context ?? self.context() } catch { throw ToolError("fixture: \(error)") }
        return try await ToolRegistry.standard(allowRunCommand: true).call(name: tool, arguments: arguments, in: ctx)
    }

    /// The message of the ToolError a call throws, or nil when it succeeds.
    func failure(_ tool: String, _ arguments: JSON, context: ToolContext? = nil) async -> String? {
        do {
            _ = try await call(tool, arguments, context: context)
            return nil
        } catch {
            return error.message
        }
    }
}
