import Foundation
import JSONValue

/// One task in SWE-bench's format (`instance_id`, `repo`, `base_commit`, `problem_statement`,
/// `FAIL_TO_PASS`, `PASS_TO_PASS`, `test_patch`, `version`), plus Fixpoint's optional `repo_path`
/// (a local folder or git repository), `setup` (commands run once per task) and `test_cmd`.
/// docs/evaluation.md is the reference for the format.
public struct EvalTask: Sendable, Equatable, Codable {
    public var instanceID: String
    public var repo: String
    public var baseCommit: String
    public var problemStatement: String
    public var failToPass: [String]
    public var passToPass: [String]
    public var testPatch: String
    public var version: String
    /// Absolute (resolved against the task file's folder when relative); nil: `repo` must be a local path.
    public var repoPath: String?
    public var setup: [String]
    public var testCommand: String?

    enum CodingKeys: String, CodingKey {
        case instanceID = "instance_id", repo, baseCommit = "base_commit", problemStatement = "problem_statement"
        case failToPass = "FAIL_TO_PASS", passToPass = "PASS_TO_PASS", testPatch = "test_patch", version
        case repoPath = "repo_path", setup, testCommand = "test_cmd"
    }

    /// Reads one instance. SWE-bench's own files hold FAIL_TO_PASS and PASS_TO_PASS as JSON text
    /// inside a string; both that and a plain array are accepted. `setup` is a string or a list.
    public init(json: JSON, relativeTo folder: String, index: Int) throws(EvalError) {
        func string(_ key: String, required: Bool = true) throws(EvalError) -> String? {
            guard let value = json[key], !value.isNull else {
                if required { throw EvalError.badTask(index: index, "'\(key)' is missing") }
                return nil
            }
            guard let s = value.stringValue else { throw EvalError.badTask(index: index, "'\(key)' must be a string") }
            return s
        }
        func list(_ key: String) throws(EvalError) -> [String] {
            guard let value = json[key], !value.isNull else { return [] }
            if let s = value.stringValue {
                if s.trimmingCharacters(in: .whitespaces).isEmpty { return [] }
                guard let parsed = try? JSON.parse(s), let items = parsed.arrayValue else {
                    return [s]  // one command or id given as plain text
                }
                return items.compactMap(\.stringValue)
            }
            guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
                throw EvalError.badTask(index: index, "'\(key)' must be a list of strings")
            }
            return items.compactMap(\.stringValue)
        }
        guard json.objectValue != nil else { throw EvalError.badTask(index: index, "expected an object") }
        instanceID = try string("instance_id")!
        repo = try string("repo", required: false) ?? ""
        baseCommit = try string("base_commit", required: false) ?? ""
        problemStatement = try string("problem_statement")!
        failToPass = try list("FAIL_TO_PASS")
        passToPass = try list("PASS_TO_PASS")
        testPatch = try string("test_patch", required: false) ?? ""
        version = try string("version", required: false) ?? ""
        let path = try string("repo_path", required: false) ?? (repo.hasPrefix("/") || repo.hasPrefix(".") ? repo : nil)
        repoPath = path.map { $0.hasPrefix("/") ? $0 : URL(fileURLWithPath: folder).appendingPathComponent($0).standardizedFileURL.path }
        if let s = json["setup"]?.stringValue { setup = [s] } else { setup = try list("setup") }
        testCommand = try string("test_cmd", required: false)
    }

    public init(instanceID: String, problemStatement: String, repoPath: String, testCommand: String,
                failToPass: [String] = [], passToPass: [String] = []) {
        self.instanceID = instanceID; self.repo = ""; self.baseCommit = ""; self.problemStatement = problemStatement
        self.failToPass = failToPass; self.passToPass = passToPass; self.testPatch = ""; self.version = ""
        self.repoPath = repoPath; self.setup = []; self.testCommand = testCommand
    }
}

/// What can go wrong before a task runs, said so a user can fix it.
public enum EvalError: Error, Sendable, CustomStringConvertible {
    case unreadable(path: String, String)
    case badTask(index: Int, String)
    case noTasks(String)
    case badShard(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let why): "cannot read \(path): \(why)"
        case .badTask(let index, let why): "task \(index + 1): \(why)"
        case .noTasks(let why): why
        case .badShard(let s): "--shard must be I/N with 0 <= I < N (got \(s))"
        }
    }
}
