import Foundation
import Git
import JSONValue

/// A killed run to go on with (`fixpoint fix --resume JOURNAL`): the checkpoint its last completed step
/// left beside the journal. Load it, build the request from it (the issue and test command are in it),
/// and pass it in `RunOptions.resume`.
public struct ResumePoint: Sendable {
    public let journalPath: String
    let checkpoint: TrajectoryCheckpoint

    public var issue: String { checkpoint.issue }
    public var testCommand: String { checkpoint.testCommand }
    /// The repository folder the killed run worked on.
    public var repository: String { checkpoint.repository }
    /// The last step the killed run completed; the resumed run goes on with the next one.
    public var step: Int { checkpoint.step }

    /// The checkpoint of the journal at `journal`, checked to be resumable.
    public static func load(journal: String) async throws(ResumeError) -> ResumePoint {
        let path = CheckpointWriter.path(forJournal: journal)
        let loaded: Result<ResumePoint, ResumeError> = await runBlocking {
            guard FileManager.default.fileExists(atPath: journal) else {
                return .failure(ResumeError("no journal at \(journal); give the --trajectory file of the run to resume"))
            }
            if TrajectoryJournal.isInUse(journal) {
                return .failure(ResumeError("the run of \(journal) is still going (its process holds the journal); wait for it or cancel it"))
            }
            // The checkpoint decides: a run that failed before its first step on resume (a model server not
            // up yet) wrote `run_end` but left the killed run's checkpoint, and stays resumable.
            guard let data = FileManager.default.contents(atPath: path) else {
                if let ended = Self.finishedRun(journal) {
                    return .failure(ResumeError("the run of \(journal) already finished (\(ended)); there is nothing to resume — start a new run"))
                }
                return .failure(ResumeError("no checkpoint beside \(journal) (\(path)): the run stopped before its first step was done, "
                                            + "or was a heavy run (only single-trajectory runs can be resumed); start it again"))
            }
            guard let json = try? JSON.parse(Array(data)), let checkpoint = TrajectoryCheckpoint(json: json) else {
                return .failure(ResumeError("\(path) is not a checkpoint this version of Fixpoint can read; start the run again"))
            }
            return .success(ResumePoint(journalPath: journal, checkpoint: checkpoint))
        }
        return try loaded.get()
    }

    /// How the journal's run ended, if its `run_end` line is there.
    private static func finishedRun(_ journal: String) -> String? {
        guard let records = try? TrajectoryJournal.read(path: journal) else { return nil }
        for record in records.reversed() {
            if case .runEnd(let end) = record.entry {
                if let status = end.status { return "\(status.rawValue), \(end.endReason?.rawValue ?? "")" }
                return end.error.map { "error: \($0)" } ?? "ended"
            }
        }
        return nil
    }
}

extension ResumePoint {
    /// The newest journal in `folder` whose killed run worked on `repository` and can be resumed.
    public static func latest(in folder: String, repository: String) async -> String? {
        await runBlocking {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
            var best: (path: String, modified: Date)?
            for name in names where name.hasSuffix(".jsonl") {
                let journal = folder + "/" + name
                let checkpoint = CheckpointWriter.path(forJournal: journal)
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: checkpoint),
                      let modified = attributes[.modificationDate] as? Date, !TrajectoryJournal.isInUse(journal),
                      let data = FileManager.default.contents(atPath: checkpoint), let json = try? JSON.parse(Array(data)),
                      json["repository"]?.stringValue.map({ samePath($0, repository) }) == true else { continue }
                if best == nil || modified > best!.modified { best = (journal, modified) }
            }
            return best?.path
        }
    }

    /// After a run of `journal` ended in this process (the language server's runs): removes the journal
    /// when nothing of it is left to resume — only a journal the server made itself (in `folder`, never
    /// a user's file), that no live run writes, whose run really finished (it removed its checkpoint).
    /// A run refused or failed before its first step keeps the killed run's journal and checkpoint.
    public static func discardFinished(journal: String, in folder: String) async {
        await runBlocking {
            let standard = URL(fileURLWithPath: journal).standardizedFileURL
            let folder = URL(fileURLWithPath: folder).standardizedFileURL.path
            guard standard.deletingLastPathComponent().path == folder, !TrajectoryJournal.isInUse(journal),
                  !FileManager.default.fileExists(atPath: CheckpointWriter.path(forJournal: journal)) else { return }
            _ = unlink(journal)
        }
    }

    /// Whether two paths name the same folder (symlinks resolved).
    public static func samePath(_ a: String, _ b: String) -> Bool {
        func canonical(_ p: String) -> String { URL(fileURLWithPath: p).resolvingSymlinksInPath().standardizedFileURL.path }
        return canonical(a) == canonical(b)
    }
}

/// Why a run cannot be resumed, and what to do.
public struct ResumeError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Saves a trajectory's checkpoint after each completed step: written to a temporary file, flushed to
/// disk, then renamed over the previous one, so a crash at any byte leaves either the old checkpoint
/// or the new one, whole. The journal is flushed to disk at the same point.
struct CheckpointWriter: Sendable {
    let path: String
    let journal: TrajectoryJournal

    static func path(forJournal journal: String) -> String { journal + ".checkpoint" }

    func save(_ checkpoint: TrajectoryCheckpoint) async {
        let bytes = Array(checkpoint.toJSON().serialized().utf8)
        let path = self.path
        let journal = self.journal
        await runBlocking {
            journal.sync()
            let temporary = path + ".tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)),
                  let handle = FileHandle(forWritingAtPath: temporary) else { return }
            try? handle.synchronize()
            try? handle.close()
            guard rename(temporary, path) == 0 else { return }
            // The rename itself reaches the disk only with its folder: without this a power loss may
            // bring back the previous checkpoint (or none).
            let folder = open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent, O_RDONLY)
            if folder >= 0 { _ = fsync(folder); _ = close(folder) }
        }
    }

    /// A finished run leaves nothing to resume.
    static func remove(forJournal journal: String) async {
        await runBlocking { _ = unlink(path(forJournal: journal)) }
    }
}
