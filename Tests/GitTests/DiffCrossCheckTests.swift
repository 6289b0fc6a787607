import Foundation
import Testing
@testable import Git
import BlockingTestSupport

/// One generated change: the files the user's repository starts with, and what the agent does.
struct DiffCase: CustomStringConvertible, Sendable {
    var name: String
    var files: [String: [UInt8]]
    var executables: Set<String> = []
    var edit: @Sendable (_ directory: String) throws -> Void
    var description: String { name }

    static func text(_ string: String) -> [UInt8] { Array(string.utf8) }

    static let binaryBlob: [UInt8] = (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) } + [0, 0, 1]

    static let all: [DiffCase] = [
        DiffCase(name: "modify middle line", files: ["a.txt": text("1\n2\n3\n4\n5\n6\n7\n8\n9\n")]) { dir in
            try put(dir, "a.txt", text("1\n2\n3\n4\nfive\n6\n7\n8\n9\n"))
        },
        DiffCase(name: "CRLF file", files: ["win.txt": text("one\r\ntwo\r\nthree\r\n")]) { dir in
            try put(dir, "win.txt", text("one\r\nTWO\r\nthree\r\nfour\r\n"))
        },
        DiffCase(name: "binary modify and add", files: ["img.bin": binaryBlob]) { dir in
            try put(dir, "img.bin", binaryBlob.reversed())
            try put(dir, "new.bin", [0, 1, 2, 3, 0, 255, 254])
        },
        DiffCase(name: "remove trailing newline", files: ["n.txt": text("a\nb\n")]) { dir in
            try put(dir, "n.txt", text("a\nb"))
        },
        DiffCase(name: "add trailing newline", files: ["n.txt": text("a\nb")]) { dir in
            try put(dir, "n.txt", text("a\nb\nc\n"))
        },
        DiffCase(name: "edit last line without newline", files: ["n.txt": text("a\nb")]) { dir in
            try put(dir, "n.txt", text("a\nB"))
        },
        DiffCase(name: "unicode and space paths", files: ["café/naïve.txt": text("x\n"), "dir with space/file name.txt": text("y\n")]) { dir in
            try put(dir, "café/naïve.txt", text("x changed\n"))
            try put(dir, "dir with space/file name.txt", text("y changed\n"))
            try put(dir, "日本/新しい ファイル.txt", text("new\n"))
        },
        DiffCase(name: "mode change", files: ["run.sh": text("#!/bin/sh\necho hi\n")]) { dir in
            chmod(dir + "/run.sh", 0o755)
        },
        DiffCase(name: "mode change to non-executable with edit", files: ["tool": text("#!/bin/sh\n")], executables: ["tool"]) { dir in
            try put(dir, "tool", text("#!/bin/sh\nexit 0\n"))
            chmod(dir + "/tool", 0o644)
        },
        DiffCase(name: "deletion", files: ["keep.txt": text("k\n"), "drop.txt": text("d\n"), "sub/drop2.txt": text("e\n")]) { dir in
            try FileManager.default.removeItem(atPath: dir + "/drop.txt")
            try FileManager.default.removeItem(atPath: dir + "/sub")
        },
        DiffCase(name: "new nested folders and empty file", files: ["root.txt": text("r\n")]) { dir in
            try put(dir, "a/b/c/d/deep.txt", text("deep\n"))
            try put(dir, "a/empty.txt", [])
        },
        DiffCase(name: "rename", files: ["old/name.py": text((1...30).map { "line \($0)\n" }.joined())]) { dir in
            try FileManager.default.createDirectory(atPath: dir + "/new", withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: dir + "/old/name.py", toPath: dir + "/new/name.py")
        },
        DiffCase(name: "symlink added", files: ["target.txt": text("t\n")]) { dir in
            try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: "target.txt")
        },
    ] + (1...12).map(randomCase)

    /// Seeded random edits over a small project: line inserts, deletes and changes, new and deleted files.
    static func randomCase(_ seed: Int) -> DiffCase {
        var generator = SeededGenerator(seed: UInt64(seed))
        var files: [String: [UInt8]] = [:]
        for index in 0..<6 {
            let count = Int.random(in: 5...60, using: &generator)
            files["src/module\(index).txt"] = text((0..<count).map { "m\(index) line \($0) \(Int.random(in: 0...9, using: &generator))\n" }.joined())
        }
        return DiffCase(name: "random edits seed \(seed)", files: files) { dir in
            var generator = SeededGenerator(seed: UInt64(seed) &* 7919)
            for index in 0..<6 {
                let path = "src/module\(index).txt"
                switch Int.random(in: 0..<10, using: &generator) {
                case 0: try FileManager.default.removeItem(atPath: dir + "/" + path)
                case 1: continue
                default:
                    var lines = String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/" + path)), as: UTF8.self)
                        .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
                    for _ in 0..<Int.random(in: 1...6, using: &generator) {
                        let at = Int.random(in: 0...lines.count, using: &generator)
                        switch Int.random(in: 0..<3, using: &generator) {
                        case 0: lines.insert("inserted \(Int.random(in: 0...999, using: &generator))", at: at)
                        case 1: if at < lines.count { lines.remove(at: at) }
                        default: if at < lines.count { lines[at] += " edited" }
                        }
                    }
                    let noNewline = Int.random(in: 0..<5, using: &generator) == 0
                    try put(dir, path, text(lines.joined(separator: "\n") + (noNewline || lines.isEmpty ? "" : "\n")))
                }
            }
            if Int.random(in: 0..<2, using: &generator) == 0 {
                try put(dir, "src/new/file\(seed).txt", text("brand new \(seed)\n"))
            }
        }
    }
}

struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E3779B97F4A7C15 }
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        var value = state
        value ^= value >> 33; value = value &* 0xff51afd7ed558ccd; value ^= value >> 33
        return value
    }
}

func put(_ directory: String, _ path: String, _ bytes: [UInt8]) throws {
    let full = directory + "/" + path
    try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: full))
}

@Suite(.offTheCooperativePool) struct DiffCrossCheckTests {
    func prepare(_ diffCase: DiffCase) throws -> (Fixture, Snapshot) {
        let fixture = try Fixture()
        for (path, bytes) in diffCase.files { try fixture.writeBytes(path, bytes) }
        for path in diffCase.executables { chmod(fixture.repo + "/" + path, 0o755) }
        try fixture.git("add", "-A")
        try fixture.git("commit", "-qm", "base")
        let snapshot = try fixture.snapshot()
        try diffCase.edit(snapshot.directory)
        return (fixture, snapshot)
    }

    @Test(arguments: DiffCase.all)
    func ourDiffIsAcceptedByGitApplyAndReproducesTheTree(_ diffCase: DiffCase) throws {
        let (fixture, snapshot) = try prepare(diffCase)
        defer { snapshot.remove(); withExtendedLifetime(fixture) {} }
        let patch = try snapshot.diff()
        #expect(!patch.isEmpty)
        let check = try snapshot.fork()
        defer { check.remove() }
        try run(["git", "apply", "--check", "-"], in: check.directory, stdin: patch)
        try run(["git", "apply", "-"], in: check.directory, stdin: patch)
        #expect(workingFiles(check.directory) == workingFiles(snapshot.directory))
    }

    @Test(arguments: DiffCase.all)
    func gitDiffOutputAppliedByUsMatchesGitApply(_ diffCase: DiffCase) throws {
        let (fixture, snapshot) = try prepare(diffCase)
        defer { snapshot.remove(); withExtendedLifetime(fixture) {} }
        // The git CLI's own diff of the same change (staged, so new files are included).
        try run(["git", "add", "-A"], in: snapshot.directory)
        let gitPatch = try run(["git", "diff", "--cached", "--binary", "fixpoint-base"], in: snapshot.directory).stdout
        let ours = try snapshot.fork()
        defer { ours.remove() }
        let result = try ours.apply(patch: gitPatch)
        #expect(result.relocatedHunks.isEmpty)
        #expect(workingFiles(ours.directory) == workingFiles(snapshot.directory))
        #expect(try ours.diff().isEmpty == false)
        // Check-only must not touch anything.
        let untouched = try snapshot.fork()
        defer { untouched.remove() }
        let before = workingFiles(untouched.directory)
        _ = try untouched.apply(patch: gitPatch, checkOnly: true)
        #expect(workingFiles(untouched.directory) == before)
    }

    @Test(arguments: DiffCase.all.filter { !$0.name.hasPrefix("binary") })
    func ourDiffMatchesGitDiffInSubstance(_ diffCase: DiffCase) throws {
        let (fixture, snapshot) = try prepare(diffCase)
        defer { snapshot.remove(); withExtendedLifetime(fixture) {} }
        let ours = try snapshot.diff()
        try run(["git", "add", "-A"], in: snapshot.directory)
        let theirs = try run(["git", "-c", "core.quotepath=true", "diff", "--cached", "fixpoint-base"], in: snapshot.directory).stdout
        func substance(_ patch: String) -> [String] {
            patch.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("index ") }
        }
        #expect(substance(ours) == substance(theirs))
    }
}
