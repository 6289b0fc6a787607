import Foundation
import JSONValue
import Sandbox
import Synchronization

/// The run's journal: one `JournalRecord` per line (JSONL), written and flushed as the run goes, so a
/// crash leaves a readable record. Every line passes the redaction point (`Redaction`): no API keys or secret values.
public final class TrajectoryJournal: Sendable {
    private let handle: Mutex<FileHandle?>
    private let start = Date()

    /// nil path: a journal that records nothing.
    public init(path: String?) throws {
        guard let path else { handle = Mutex(nil); return }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        handle = Mutex(h)
    }

    public func record(_ entry: JournalEntry, trajectory: Int = 0, step: Int = 0) {
        // Without a file, nothing to encode (encoding a line costs more than the step's other bookkeeping).
        guard handle.withLock({ $0 != nil }) else { return }
        let t = (Date().timeIntervalSince(start) * 1000).rounded() / 1000
        let line = Self.line(JournalRecord(t: t, step: step, trajectory: trajectory, entry: entry))
        handle.withLock { $0?.write(Data((Redaction.redact(line) + "\n").utf8)) }
    }

    /// A record as its journal line (sorted keys, byte-stable).
    public static func line(_ record: JournalRecord) -> String {
        // Encoding plain strings and numbers cannot fail.
        ((try? JSON(encoding: record)) ?? .null).serialized()
    }

    /// Reads a journal back, line by line; a line that does not decode is an error naming its number.
    public static func read(path: String) throws -> [JournalRecord] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var records: [JournalRecord] = []
        for (number, line) in text.split(separator: "\n").enumerated() {
            do { records.append(try JSONDecoder().decode(JournalRecord.self, from: Data(line.utf8))) } catch {
                throw JournalReadError(path: path, line: number + 1, reason: "\(error)")
            }
        }
        return records
    }

    deinit { handle.withLock { try? $0?.close() } }
}

/// A journal line that could not be read back.
public struct JournalReadError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var reason: String
    public var description: String { "\(path):\(line) is not a journal record (\(reason))" }
}
