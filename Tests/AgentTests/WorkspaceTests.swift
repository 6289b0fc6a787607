import Foundation
import Testing

@testable import Agent

@Suite struct WorkspaceTests {
    func refusal(_ workspace: Workspace, _ path: String) -> String? {
        do {
            _ = try workspace.resolve(path)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func relativePathsResolveAgainstTheRoot() throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.write("src/a.txt", "a\n")
        let ws = try f.workspace()
        #expect(try ws.resolve("src/a.txt") == ws.root + "/src/a.txt")
        #expect(try ws.resolve("./src//a.txt") == ws.root + "/src/a.txt")
        #expect(try ws.resolve("src/../src/a.txt") == ws.root + "/src/a.txt")
        #expect(try ws.resolve(".") == ws.root)
        #expect(try ws.resolve("") == ws.root)
        #expect(try ws.resolve("new/dir/file.txt") == ws.root + "/new/dir/file.txt")
        #expect(ws.relativePath(ws.root + "/src/a.txt") == "src/a.txt")
        #expect(ws.relativePath(ws.root) == ".")
    }

    @Test func dotDotEscapesAreRefused() throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        let ws = try f.workspace()
        for path in ["..", "../outside/secret.txt", "src/../../outside", "a/b/../../../x"] {
            let message = try #require(refusal(ws, path), "\(path) should be refused")
            #expect(message.contains("leaves the workspace"))
            #expect(message.contains(path))
        }
    }

    @Test func absolutePathsOutsideAreRefusedInsideAccepted() throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.write("README.md", "hi\n")
        let ws = try f.workspace()
        let message = try #require(refusal(ws, "/etc/passwd"))
        #expect(message.contains("outside the workspace"))
        #expect(refusal(ws, f.outside + "/secret.txt") != nil)
        // A sibling whose name merely starts with the root's name is outside too.
        #expect(refusal(ws, f.root + "-evil/x") != nil)
        #expect(try ws.resolve(f.root + "/README.md") == ws.root + "/README.md")
        #expect(try ws.resolve(ws.root + "/README.md") == ws.root + "/README.md")
    }

    @Test func gitFolderIsRefused() throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        let ws = try f.workspace()
        for path in [".git", ".git/config", "./.git/HEAD", "src/../.git/config", "vendor/lib/.git/config", f.root + "/.git/config"] {
            let message = try #require(refusal(ws, path), "\(path) should be refused")
            #expect(message.contains(".git"))
        }
        // A name that only starts with .git is an ordinary file.
        #expect(try ws.resolve(".gitignore") == ws.root + "/.gitignore")
    }

    @Test func symlinkedDirectoryLeadingOutIsRefused() throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.symlink("out", to: f.outside)
        let ws = try f.workspace()
        for path in ["out", "out/secret.txt", "out/../out/secret.txt"] {
            let message = try #require(refusal(ws, path), "\(path) should be refused")
            #expect(message.contains("symbolic link"))
        }
    }

    @Test func symlinkedFileLeadingOutIsRefused() throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.symlink("secret.txt", to: f.outside + "/secret.txt")
        try f.symlink("relative-secret.txt", to: "../outside/secret.txt")
        try f.write("src/keep.txt", "")
        try f.symlink("src/up", to: "../..")
        let ws = try f.workspace()
        #expect(refusal(ws, "secret.txt")?.contains("leads outside") == true)
        #expect(refusal(ws, "relative-secret.txt")?.contains("leads outside") == true)
        #expect(refusal(ws, "src/up/outside/secret.txt") != nil)
    }

    @Test func symlinksInsideTheRootAreFollowedToTheirRealPath() throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.write("src/a.txt", "a\n")
        try f.symlink("alias", to: "src")
        try f.symlink("abs-alias", to: f.root + "/src/a.txt")
        try f.write("docs/readme.md", "")
        try f.symlink("docs/sibling", to: "../src/a.txt")
        let ws = try f.workspace()
        #expect(try ws.resolve("alias/a.txt") == ws.root + "/src/a.txt")
        #expect(try ws.resolve("abs-alias") == ws.root + "/src/a.txt")
        #expect(try ws.resolve("docs/sibling") == ws.root + "/src/a.txt")
        // `..` after a link walks up from where the link really points, as the OS would.
        #expect(try ws.resolve("alias/../docs/readme.md") == ws.root + "/docs/readme.md")
    }

    @Test func symlinkIntoGitAndLinkLoopsAreRefused() throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.symlink("g", to: ".git")
        try f.symlink("loop-a", to: "loop-b")
        try f.symlink("loop-b", to: "loop-a")
        let ws = try f.workspace()
        #expect(refusal(ws, "g/config")?.contains(".git") == true)
        #expect(refusal(ws, "loop-a/x")?.contains("too many symbolic links") == true)
    }

    @Test func rootGivenThroughASymlinkIsCanonicalised() throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try FileManager.default.createSymbolicLink(atPath: f.base + "/link-to-repo", withDestinationPath: f.root)
        try f.write("a.txt", "")
        let ws = try Workspace(root: f.base + "/link-to-repo/")
        #expect(!ws.root.hasSuffix("link-to-repo"))
        #expect(try ws.resolve("a.txt") == ws.root + "/a.txt")
        #expect(try ws.resolve(f.base + "/link-to-repo/a.txt") == ws.root + "/a.txt")
    }

    @Test func missingRootIsAnError() throws {
        #expect(throws: ToolError.self) { try Workspace(root: "/nonexistent/fixpoint-\(UUID().uuidString)") }
    }
}
