import Foundation
import JSONValue
import Testing

@testable import Agent

@Suite struct ToolsListFilesTests {
    @Test func listsSortedWithFoldersMarkedAndCachesSkipped() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.write("README.md", "")
        try f.write("src/main.py", "")
        try f.write("src/util/helpers.py", "")
        try f.write("src/__pycache__/main.cpython-311.pyc", "")
        try f.write("node_modules/left-pad/index.js", "")
        try f.write(".build/debug/x.o", "")
        try f.write("target/CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55")
        try f.write("target/debug/app", "")
        try f.symlink("docs", to: "src")

        #expect(try await f.call("list_files", [:]) == """
            .build/ (not listed)
            README.md
            docs -> src
            node_modules/ (not listed)
            src/
            src/__pycache__/ (not listed)
            src/main.py
            src/util/
            target/ (not listed)
            """)
        #expect(try await f.call("list_files", ["depth": 1]) == """
            .build/ (not listed)
            README.md
            docs -> src
            node_modules/ (not listed)
            src/
            target/ (not listed)
            """)
        #expect(try await f.call("list_files", ["path": "src/util", "depth": 5]) == "src/util/helpers.py")
    }

    @Test func listingStopsAtTheOutputBudget() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        for i in 0..<100 { try f.write(String(format: "dir/%03d-", i) + String(repeating: "n", count: 40), "") }
        let out = try await f.call("list_files", ["path": "dir"], context: ToolContext(workspace: try f.workspace(), maxOutputBytes: 2048))
        #expect(out.utf8.count <= 2048)
        let lines = out.split(separator: "\n")
        #expect(lines.last?.hasPrefix("[… \(100 - (lines.count - 1)) more entries not shown") == true)
    }

    @Test func fileEmptyFolderAndErrors() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.write("a.txt", "")
        try FileManager.default.createDirectory(atPath: f.root + "/empty", withIntermediateDirectories: true)
        #expect(try await f.call("list_files", ["path": "a.txt"]).contains("is a file"))
        #expect(try await f.call("list_files", ["path": "empty"]) == "empty/ is empty.")
        #expect(await f.failure("list_files", ["path": "nope"])?.contains("does not exist") == true)
        #expect(await f.failure("list_files", ["path": ".git"])?.contains(".git") == true)
        #expect(await f.failure("list_files", ["path": "../outside"])?.contains("leaves the workspace") == true)
        #expect(await f.failure("list_files", ["depth": 0])?.contains("depth must be at least 1") == true)
    }

    @Test func longListingsAreCappedWithACount() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        for i in 0..<(ListFilesTool.maxEntries + 50) { try f.write(String(format: "many/f%04d.txt", i), "") }
        let out = try await f.call("list_files", ["path": "many"])
        let lines = out.split(separator: "\n")
        #expect(lines.count == ListFilesTool.maxEntries + 1)
        #expect(lines.first == "many/f0000.txt")
        #expect(lines.last?.hasPrefix("[… 50 more entries not shown") == true)
    }
}

@Suite struct ToolsReadFileTests {
    @Test func numberedWindowWithAPointerToTheRest() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.write("big.txt", (1...1000).map { "line \($0)" }.joined(separator: "\n") + "\n")
        let first = try await f.call("read_file", ["path": "big.txt"])
        let lines = first.split(separator: "\n")
        #expect(lines.count == ReadFileTool.defaultWindow + 1)
        #expect(lines[0] == "    1| line 1")
        #expect(lines[149] == "  150| line 150")
        #expect(lines[150] == #"[showing lines 1-150 of 1000; other lines with start_line/end_line]"#)

        let pastEnd = try await f.call("read_file", ["path": "big.txt", "start_line": 5000, "end_line": 5010]).split(separator: "\n")
        #expect(pastEnd.first == "[start_line 5000 is past the end of big.txt, which has 1000 lines; showing its last lines]")
        #expect(pastEnd[1] == "  851| line 851")
        #expect(pastEnd.last == " 1000| line 1000")

        #expect(try await f.call("read_file", ["path": "big.txt", "start_line": 998]) == """
              998| line 998
              999| line 999
             1000| line 1000
            """)
        #expect(try await f.call("read_file", ["path": "big.txt", "start_line": 10, "end_line": 11]) == """
               10| line 10
               11| line 11
            [showing lines 10-11 of 1000; other lines with start_line/end_line]
            """)
    }

    @Test func windowStopsCleanlyAtTheOutputBudget() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.write("wide.txt", (1...300).map { "\($0) " + String(repeating: "w", count: 90) }.joined(separator: "\n"))
        let context = ToolContext(workspace: try f.workspace(), maxOutputBytes: 4096)
        let out = try await f.call("read_file", ["path": "wide.txt"], context: context)
        #expect(out.utf8.count <= 4096)
        let lines = out.split(separator: "\n")
        // Each numbered line takes 7 + 93 bytes and a newline: 38 fit under 4096 - 200.
        #expect(lines.count == 39)
        #expect(lines.last == #"[showing lines 1-38 of 300; other lines with start_line/end_line]"#)
    }

    @Test func crlfAndNoTrailingNewlineAreShownCleanly() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.write("win.txt", "alpha\r\nbeta\r\ngamma")
        #expect(try await f.call("read_file", ["path": "win.txt"]) == "    1| alpha\n    2| beta\n    3| gamma")
        try f.write("empty.txt", "")
        #expect(try await f.call("read_file", ["path": "empty.txt"]) == "(empty.txt is empty)")
    }

    @Test func refusalsAndBadRanges() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.write("a.txt", "one\ntwo\n")
        try f.writeBytes("logo.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D])
        try f.write("src/keep", "")
        #expect(await f.failure("read_file", ["path": "logo.png"])?.contains("is binary (12 bytes)") == true)
        #expect(await f.failure("read_file", ["path": "src"])?.contains("is a directory") == true)
        #expect(await f.failure("read_file", ["path": "missing.txt"])?.contains("does not exist") == true)
        #expect(try await f.call("read_file", ["path": "a.txt", "start_line": 3])
            == "[start_line 3 is past the end of a.txt, which has 2 lines; showing its last lines]\n    1| one\n    2| two")
        #expect(await f.failure("read_file", ["path": "a.txt", "start_line": 2, "end_line": 1])?.contains("before start_line") == true)
        #expect(await f.failure("read_file", ["path": ".git/config"])?.contains(".git") == true)
        #expect(await f.failure("read_file", ["path": "/etc/passwd"])?.contains("outside the workspace") == true)
        try f.symlink("leak", to: f.outside + "/secret.txt")
        let leak = try #require(await f.failure("read_file", ["path": "leak"]))
        #expect(!leak.contains("top secret"))
        #expect(leak.contains("symbolic link"))
    }

    @Test func hugeLinesAreCut() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.write("min.js", String(repeating: "x", count: ReadFileTool.maxLineLength + 500))
        let out = try await f.call("read_file", ["path": "min.js"])
        #expect(out.hasSuffix(" … [line cut: 500 more characters]"))
        #expect(out.count < ReadFileTool.maxLineLength + 100)
    }
}

@Suite struct ToolsWriteFileTests {
    @Test func createsParentsAndReplaces() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        #expect(try await f.call("write_file", ["path": "pkg/sub/new.py", "content": "x = 1\ny = 2\n"])
            == "Created pkg/sub/new.py (2 lines, 12 bytes).")
        #expect(try f.read("pkg/sub/new.py") == "x = 1\ny = 2\n")
        #expect(try await f.call("write_file", ["path": "pkg/sub/new.py", "content": "z"]) == "Replaced pkg/sub/new.py (1 line, 1 bytes).")
        #expect(try f.read("pkg/sub/new.py") == "z")
    }

    @Test func keepsCRLFWhenReplacingACRLFFile() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.write("win.bat", "@echo off\r\necho hi\r\n")
        _ = try await f.call("write_file", ["path": "win.bat", "content": "@echo off\necho bye\n"])
        #expect(try f.read("win.bat") == "@echo off\r\necho bye\r\n")
    }

    @Test func refusesARewriteThatDropsMostOfALongFile() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        let module = (1...40).map { "line_\($0) = \($0)" }.joined(separator: "\n") + "\n"
        try f.write("mod.py", module)
        let refusal = await f.failure("write_file", ["path": "mod.py", "content": "def fixed():\n    return 1\n"])
        #expect(refusal?.contains("replace all 40 lines of mod.py with 2") == true)
        #expect(refusal?.contains("use edit_file") == true)
        #expect(try f.read("mod.py") == module, "nothing written")
        // Keeping most of it is a rewrite, not a loss; a short file may be replaced outright.
        let kept = (1...30).map { "line_\($0) = \($0)" }.joined(separator: "\n") + "\n"
        #expect(try await f.call("write_file", ["path": "mod.py", "content": .string(kept)]).hasPrefix("Replaced mod.py (30 lines"))
        try f.write("short.py", "a = 1\nb = 2\n")
        #expect(try await f.call("write_file", ["path": "short.py", "content": "c = 3\n"]).hasPrefix("Replaced short.py (1 line"))
        // The 8-line threshold: the demo fixture's 14-line module rewritten to 2 lines is refused.
        try f.write("eight.py", (1...8).map { "v\($0) = \($0)" }.joined(separator: "\n") + "\n")
        #expect(await f.failure("write_file", ["path": "eight.py", "content": "v1 = 1\n"])?.contains("replace all 8 lines") == true)
    }

    @Test func lineNumbersCopiedFromReadFileAreLeftOut() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        let out = try await f.call("write_file", ["path": "n.py", "content": "    1| def is_even(n):\n    2|     return n % 2 == 0\n"])
        #expect(out == "Created n.py (2 lines, 38 bytes) (the line numbers copied from read_file were left out).")
        #expect(try f.read("n.py") == "def is_even(n):\n    return n % 2 == 0\n")
    }

    @Test func refusals() async throws {
        let f = try ToolsFixture()
        defer { f.remove() }
        try f.write("dir/keep", "")
        #expect(await f.failure("write_file", ["path": "dir", "content": "x"])?.contains("is a directory") == true)
        #expect(await f.failure("write_file", ["path": ".", "content": "x"])?.contains("not the repository root") == true)
        #expect(await f.failure("write_file", ["path": ".git/hooks/pre-commit", "content": "x"])?.contains(".git") == true)
        #expect(await f.failure("write_file", ["path": "../outside/evil.sh", "content": "x"]) != nil)
        try f.symlink("out", to: f.outside)
        #expect(await f.failure("write_file", ["path": "out/evil.sh", "content": "x"]) != nil)
        #expect(!FileManager.default.fileExists(atPath: f.outside + "/evil.sh"))
        #expect(!FileManager.default.fileExists(atPath: f.root + "/.git/hooks/pre-commit"))
    }
}
