import ChildProcess
import Foundation

/// A task's repository at its base, in a folder of its own: a clone checked out at `base_commit`
/// when `repo_path` is a git repository, else a copy of the folder committed as the base. The
/// task's `setup` commands run in it once. The user's folder is only read.
struct TaskCheckout: Sendable {
    let directory: String

    static func prepare(_ task: EvalTask, under root: String, setupTimeout: Double) async throws(TaskFailure) -> TaskCheckout {
        guard let source = task.repoPath else {
            throw TaskFailure(stage: .prepare, "no repo_path, and repo '\(task.repo)' is not a local path; add repo_path (a local folder or git repository)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TaskFailure(stage: .prepare, "repo_path \(source) is not a folder")
        }
        let directory = root + "/" + safeName(task.instanceID)
        try? FileManager.default.removeItem(atPath: directory)
        let q = { (s: String) in "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let identity = "-c user.name=fixpoint-eval -c user.email=eval@fixpoint.invalid -c commit.gpgsign=false"
        let command: String
        if FileManager.default.fileExists(atPath: source + "/.git") {
            let checkout = task.baseCommit.isEmpty ? "" : " && git -c advice.detachedHead=false checkout -q \(q(task.baseCommit))"
            command = "git clone -q \(q(source)) \(q(directory))\(checkout)"
        } else {
            command = "mkdir -p \(q(directory)) && cp -R \(q(source))/. \(q(directory))/ && cd \(q(directory)) && rm -rf .git"
                + " && git init -q && git add -A && git \(identity) commit -qm base"
        }
        try await shell(command, in: root, stage: .prepare, timeout: 600)
        for step in task.setup {
            try await shell(step, in: directory, stage: .setup, timeout: setupTimeout)
        }
        return TaskCheckout(directory: directory)
    }

    /// A second copy of the prepared checkout (setup's results included), for the judge.
    func copy(to directory: String) async throws(TaskFailure) -> String {
        try? FileManager.default.removeItem(atPath: directory)
        let q = { (s: String) in "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        try await Self.shell("cp -a \(q(self.directory)) \(q(directory))", in: "/", stage: .judge, timeout: 600)
        return directory
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    @discardableResult
    static func shell(_ command: String, in directory: String, stage: TaskFailure.Stage, timeout: Double,
                      stdin: String? = nil) async throws(TaskFailure) -> String {
        var spec = ProcessSpec.shell(command, workingDirectory: directory)
        spec.timeout = timeout
        if let stdin { spec.stdin = Array(stdin.utf8) }
        let out: ProcessOutput
        do { out = try await ChildProcess.run(spec) } catch { throw TaskFailure(stage: stage, "`\(command)` could not start: \(error)") }
        guard out.status == .exited(0) else {
            let said = String(out.stdoutText.suffix(600)).trimmingCharacters(in: .whitespacesAndNewlines)
            throw TaskFailure(stage: stage, "`\(command)` failed (\(out.status)\(out.timedOut ? ", timed out" : ""))" + (said.isEmpty ? "" : ": \(said)"))
        }
        return out.stdoutText
    }

    static func safeName(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
    }
}

/// Why a task produced no result: which stage, and what to do.
struct TaskFailure: Error, Sendable {
    enum Stage: String, Sendable { case prepare, setup, run, judge }
    var stage: Stage
    var message: String
    init(stage: Stage, _ message: String) { self.stage = stage; self.message = message }
}
