@testable import Agent
import Foundation
import Testing

/// A crash can stop the journal in the middle of a line: reading it back keeps every whole record and
/// leaves out the torn last line (saying so); a broken line anywhere else is still an error.
@Suite struct JournalTornLineTests {
    @Test func aTornLastLineIsLeftOutAndABrokenMiddleLineIsAnError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fp-journal-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let journal = try TrajectoryJournal(path: path)
        journal.record(.testsBefore(.init(exitCode: 1, durationS: 0.5)))
        journal.record(.trajectoryEnd(.init(endReason: .submitted)), step: 3)
        let whole = try String(contentsOfFile: path, encoding: .utf8)
        try (whole + #"{"event":"run_end","st"#).write(toFile: path, atomically: true, encoding: .utf8)

        let read = try TrajectoryJournal.readNoting(path: path)
        #expect(read.records.count == 2)
        #expect(read.torn)
        #expect(try TrajectoryJournal.read(path: path).count == 2)

        // Appending (a resumed run) cuts the torn line off first: the journal stays whole records.
        let resumed = try TrajectoryJournal(path: path, append: true)
        resumed.record(.testsBefore(.init(exitCode: 0, durationS: 0.1)))
        let after = try TrajectoryJournal.readNoting(path: path)
        #expect(after.records.count == 3)
        #expect(!after.torn)

        try (whole + "not json\n" + whole).write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: JournalReadError.self) { try TrajectoryJournal.read(path: path) }
        #expect(error.line == 3)
    }
}
