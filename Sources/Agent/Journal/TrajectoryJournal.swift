import Foundation
import JSONValue
import Sandbox
import Synchronization

/// The run's journal: one `JournalRecord` per line (JSONL), written and flushed as the run goes, so a
/// crash leaves a readable record. Every line passes the redaction point (`Redaction`): no API keys or secret values.
public final class TrajectoryJournal: Sendable {
    private let handle: Mutex<FileHandle?>
    private let start = Date()

    /// Where it is written; nil for a journal that records nothing.
    public let path: String?

    /// nil path: a journal that records nothing. `append`: go on after the lines already there (a
    /// resumed run) instead of starting the file afresh; a torn last line (a crash mid-write) is cut off
    /// first, so the journal stays whole records only.
    public init(path: String?, append: Bool = false) throws {
        self.path = path
        guard let path else { handle = Mutex(nil); return }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        if append, let h = FileHandle(forWritingAtPath: path) {
            try Self.lock(h, path: path)
            try h.truncate(atOffset: Self.wholeLinesLength(of: path))
            try h.seekToEnd()
            handle = Mutex(h)
            return
        }
        if let h = FileHandle(forWritingAtPath: path) {  // an existing file: only if no live run writes it
            try Self.lock(h, path: path)
            try h.truncate(atOffset: 0)
            // A new run: the previous run's checkpoint must not make this one look resumable.
            _ = unlink(CheckpointWriter.path(forJournal: path))
            handle = Mutex(h)
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        try Self.lock(h, path: path)
        _ = unlink(CheckpointWriter.path(forJournal: path))  // one left beside a journal since deleted
        handle = Mutex(h)
    }

    /// The run writing a journal holds an exclusive lock on it for as long as its process lives (the
    /// kernel drops it when the process dies, however it dies): a journal still locked belongs to a
    /// live run, which nobody may resume or overwrite.
    private static func lock(_ handle: FileHandle, path: String) throws {
        guard flock(handle.fileDescriptor, LOCK_EX | LOCK_NB) == 0 else {
            try? handle.close()
            throw JournalInUse(path: path)
        }
    }

    /// Whether a live run is writing the journal at `path`.
    static func isInUse(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        guard flock(h.fileDescriptor, LOCK_EX | LOCK_NB) == 0 else { return true }
        flock(h.fileDescriptor, LOCK_UN)
        return false
    }

    /// Flushes what was written to the disk (at step boundaries, so a power loss keeps whole steps).
    func sync() { handle.withLock { try? $0?.synchronize() } }

    /// Bytes up to and including the last newline.
    private static func wholeLinesLength(of path: String) throws -> UInt64 {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let last = data.lastIndex(of: UInt8(ascii: "\n")) else { return 0 }
        return UInt64(last - data.startIndex + 1)
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

    /// Reads a journal back, line by line; a line that does not decode is an error naming its number —
    /// except a last line with no newline after it, which a crash tore while it was written: it is left
    /// out (`torn` says so).
    public static func read(path: String) throws -> [JournalRecord] { try readNoting(path: path).records }

    public static func readNoting(path: String) throws -> (records: [JournalRecord], torn: Bool) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n")
        var records: [JournalRecord] = []
        for (number, line) in lines.enumerated() {
            do { records.append(try JSONDecoder().decode(JournalRecord.self, from: Data(line.utf8))) } catch {
                if number == lines.count - 1, data.last != UInt8(ascii: "\n") { return (records, true) }
                throw JournalReadError(path: path, line: number + 1, reason: "\(error)")
            }
        }
        return (records, false)
    }

    deinit { handle.withLock { try? $0?.close() } }
}

/// A journal another live run is writing.
public struct JournalInUse: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var description: String { "\(path) is being written by a run that is still going (its process holds the journal's lock)" }
}

/// A journal line that could not be read back.
public struct JournalReadError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var reason: String
    public var description: String { "\(path):\(line) is not a journal record (\(reason))" }
}
