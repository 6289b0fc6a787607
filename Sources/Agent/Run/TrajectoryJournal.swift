import Foundation
import JSONValue
import Sandbox
import Synchronization

/// The run's journal: one JSON object per line, written and flushed as the run goes, so a crash
/// leaves a readable record. Every line passes through `Redaction`: no API keys or secret values.
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

    public func record(_ event: String, trajectory: Int = 0, step: Int = 0, _ fields: [String: JSON] = [:]) {
        var object = fields
        object["event"] = .string(event)
        object["t"] = .double((Date().timeIntervalSince(start) * 1000).rounded() / 1000)
        object["step"] = .int(step)
        object["trajectory"] = .int(trajectory)
        let line = Data((Redaction.redact(JSON.object(object).serialized()) + "\n").utf8)
        handle.withLock { $0?.write(line) }
    }

    deinit { handle.withLock { try? $0?.close() } }
}
