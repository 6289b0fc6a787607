import Foundation
import JSONValue

/// Writes an evaluation's outputs into a folder: results.json, predictions.jsonl (SWE-bench's
/// predictions format), junit.xml (one testcase per task) and report.html.
public enum EvalReports {
    public static let files = ["results.json", "predictions.jsonl", "junit.xml", "report.html"]

    public static func write(_ results: EvalResults, to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let json = try JSON(encoding: results)
        try write(json.prettyPrinted() + "\n", folder + "/results.json")
        try write(predictions(results), folder + "/predictions.jsonl")
        try write(JUnitReport.render(results), folder + "/junit.xml")
        try write(HTMLReport.render(results), folder + "/report.html")
    }

    /// One line per task: `instance_id`, `model_name_or_path`, `model_patch`.
    public static func predictions(_ results: EvalResults) -> String {
        results.tasks.map { task in
            JSON.object(["instance_id": .string(task.instanceID), "model_name_or_path": .string(results.model),
                         "model_patch": .string(task.patch)]).serialized() + "\n"
        }.joined()
    }

    /// Reads results.json back (for `eval merge`).
    public static func read(_ folder: String) throws -> EvalResults {
        let path = folder + "/results.json"
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw EvalError.unreadable(path: path, "no results.json there (is it an `eval --out` folder?)")
        }
        return try JSON.parse(text).decode(EvalResults.self)
    }

    /// Combines shards' results: tasks in the order the shards list them; a task in two shards is
    /// an error, since they would disagree about which result counts.
    public static func merge(_ parts: [EvalResults]) throws(EvalError) -> EvalResults {
        var tasks: [TaskResult] = []
        var seen: Set<String> = []
        for part in parts {
            for task in part.tasks {
                guard seen.insert(task.instanceID).inserted else {
                    throw .noTasks("instance \(task.instanceID) is in more than one of the merged folders")
                }
                tasks.append(task)
            }
        }
        let models = Array(Set(parts.map(\.model))).sorted()
        return EvalResults(model: models.joined(separator: "+"), tasks: tasks)
    }

    static func write(_ text: String, _ path: String) throws { try text.write(toFile: path, atomically: true, encoding: .utf8) }
}

/// JUnit XML as CI servers read it: one testsuite, one testcase per task; a task that the judge
/// did not see resolved is a failure (with the reason), one that could not run is an error.
public enum JUnitReport {
    public static func render(_ results: EvalResults) -> String {
        let s = results.summary
        let errors = results.tasks.filter { $0.status == .error && $0.patch.isEmpty }.count
        let failures = results.tasks.filter { !$0.resolved }.count - errors
        let time = results.tasks.reduce(0) { $0 + $1.wallS }
        var out = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                   "<testsuites name=\"fixpoint eval\" tests=\"\(s.total)\" failures=\(q(failures)) errors=\(q(errors)) time=\(q(seconds(time)))>",
                   "  <testsuite name=\(q(attribute("fixpoint eval (\(results.model))"))) tests=\"\(s.total)\" failures=\(q(failures)) errors=\(q(errors)) time=\(q(seconds(time)))>"]
        for task in results.tasks {
            out.append("    <testcase classname=\"fixpoint.eval\" name=\(q(attribute(task.instanceID))) time=\(q(seconds(task.wallS)))>")
            if task.status == .error, task.patch.isEmpty {
                out.append("      <error message=\(q(attribute(task.error ?? "error"))) type=\"error\"/>")
            } else if !task.resolved {
                let why = task.judgement.error ?? unresolvedReason(task)
                out.append("      <failure message=\(q(attribute(why))) type=\"unresolved\">\(text(failureBody(task)))</failure>")
            }
            out.append("      <system-out>\(text(task.log.suffix(80).joined(separator: "\n")))</system-out>")
            out.append("      <properties>")
            for (name, value) in [("status", task.status.rawValue), ("verified", String(task.verified)), ("resolved", String(task.resolved)),
                                  ("steps", String(task.steps)), ("prompt_tokens", String(task.promptTokens))] {
                out.append("        <property name=\(q(name)) value=\(q(attribute(value)))/>")
            }
            out.append("      </properties>")
            out.append("    </testcase>")
        }
        out += ["  </testsuite>", "</testsuites>", ""]
        return out.joined(separator: "\n")
    }

    static func unresolvedReason(_ task: TaskResult) -> String {
        let j = task.judgement
        if !j.failToPassFailed.isEmpty { return "FAIL_TO_PASS still failing: " + j.failToPassFailed.joined(separator: ", ") }
        if !j.passToPassFailed.isEmpty { return "PASS_TO_PASS broken: " + j.passToPassFailed.joined(separator: ", ") }
        return "not resolved (\(task.status.rawValue), \(task.endReason.rawValue))"
    }

    static func failureBody(_ task: TaskResult) -> String {
        "status: \(task.status.rawValue)\nend_reason: \(task.endReason.rawValue)\n" + (task.judgement.outputTail ?? "")
    }

    static func q(_ s: String) -> String { "\"" + s + "\"" }
    static func q(_ n: Int) -> String { "\"\(n)\"" }
    static func seconds(_ s: Double) -> String { String(format: "%.3f", s) }

    /// XML attribute text: escaped, and without characters XML 1.0 forbids.
    static func attribute(_ s: String) -> String {
        text(s).replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "\n", with: "&#10;")
    }

    static func text(_ s: String) -> String {
        let allowed = String(String.UnicodeScalarView(s.unicodeScalars.filter { c in
            c == "\t" || c == "\n" || c == "\r" || (c.value >= 0x20 && c.value != 0xFFFE && c.value != 0xFFFF)
        }))
        return allowed.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
