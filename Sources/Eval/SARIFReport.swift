import Agent
import Config
import Foundation
import JSONValue

/// A `fix` run as SARIF 2.1.0, for code-scanning consumers: the issue is one result, the patch is
/// that result's `fixes[]` (one `artifactChange` per file, one replacement per hunk, by whole lines),
/// and the verification evidence sits in the result's `properties`.
public enum SARIFReport {
    public static let schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    static let ruleID = "fixpoint/issue"

    /// `repositoryRoot`: the absolute path the patch's paths are relative to.
    public static func render(report: RunReport, issue: String, repositoryRoot: String) -> JSON {
        var result: [String: JSON] = [
            "ruleId": .string(ruleID),
            "kind": .string(report.status == .verified ? "pass" : "fail"),
            "level": .string(report.status == .verified ? "none" : "warning"),
            "message": ["text": .string(issue.isEmpty ? "(no issue text)" : issue)],
            "properties": properties(report),
        ]
        let changes = artifactChanges(report.patch)
        if !changes.isEmpty {
            result["fixes"] = [[
                "description": ["text": .string("Fixpoint patch (\(report.status.rawValue)): \(report.tests.verificationReason ?? report.endReason.rawValue)")],
                "artifactChanges": .array(changes),
            ]]
            if let first = changes.first, let location = first["artifactLocation"],
               let region = first["replacements"]?.arrayValue?.first?["deletedRegion"] {
                result["locations"] = [["physicalLocation": ["artifactLocation": location, "region": region]]]
            }
        }
        let run: [String: JSON] = [
            "tool": ["driver": [
                "name": "Fixpoint", "version": .string(FixpointVersion.string), "informationUri": "https://github.com/fixpoint/fixpoint",
                "rules": [["id": .string(ruleID), "name": "IssueToFix",
                           "shortDescription": ["text": "An issue Fixpoint was asked to fix; the fix is attached when there is one."]]],
            ]],
            "originalUriBaseIds": ["SRCROOT": ["uri": .string(URL(fileURLWithPath: repositoryRoot, isDirectory: true).absoluteString)]],
            "invocations": [[
                "executionSuccessful": .bool(report.status != .error),
                "properties": ["end_reason": .string(report.endReason.rawValue), "steps": .int(report.steps), "wall_s": .double(report.timing.wallS)],
            ]],
            "results": [.object(result)],
        ]
        return ["$schema": .string(schema), "version": "2.1.0", "runs": [.object(run)]]
    }

    static func properties(_ report: RunReport) -> JSON {
        var p: [String: JSON] = [
            "status": .string(report.status.rawValue), "end_reason": .string(report.endReason.rawValue),
            "fail_to_pass": .array(report.tests.failToPass.map(JSON.string)),
            "still_failing": .array(report.tests.stillFailing.map(JSON.string)),
            "skipped_now": .array(report.tests.skippedNow.map(JSON.string)),
            "pass_to_pass_broken": .array(report.tests.passToPassBroken.map(JSON.string)),
            "test_files_touched": .array(report.tests.testFilesTouched.map(JSON.string)),
        ]
        if let v = report.tests.verification { p["verification"] = .string(v.rawValue) }
        if let r = report.tests.verificationReason { p["verification_reason"] = .string(r) }
        if let e = report.error { p["error"] = .string(e) }
        return .object(p)
    }

    /// One artifactChange per file of the patch; each hunk replaces its old lines (from the start of
    /// its first line to the start of the line after its last) with its new lines.
    static func artifactChanges(_ patch: String) -> [JSON] {
        PatchSection.split(patch).compactMap { section -> JSON? in
            let replacements = hunks(section.text).map { hunk -> JSON in
                let start = hunk.oldCount == 0 ? hunk.oldStart + 1 : hunk.oldStart
                var replacement: [String: JSON] = [
                    "deletedRegion": ["startLine": .int(max(1, start)), "startColumn": 1,
                                      "endLine": .int(max(1, start) + hunk.oldCount), "endColumn": 1],
                ]
                if !hunk.newLines.isEmpty {
                    replacement["insertedContent"] = ["text": .string(hunk.newLines.map { $0 + "\n" }.joined())]
                }
                return .object(replacement)
            }
            guard !replacements.isEmpty else { return nil }
            return ["artifactLocation": ["uri": .string(uriPath(section.path)), "uriBaseId": "SRCROOT"],
                    "replacements": .array(replacements)]
        }
    }

    struct Hunk { var oldStart: Int; var oldCount: Int; var newLines: [String] }

    static func hunks(_ text: String) -> [Hunk] {
        var hunks: [Hunk] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("@@ -") {
                let old = line.dropFirst(4).prefix { $0 != " " }.split(separator: ",")
                let start = Int(old.first ?? "0") ?? 0
                let count = old.count > 1 ? Int(old[1]) ?? 1 : 1
                hunks.append(Hunk(oldStart: start, oldCount: count, newLines: []))
            } else if !hunks.isEmpty, line.hasPrefix("+") || line.hasPrefix(" ") {
                hunks[hunks.count - 1].newLines.append(String(line.dropFirst()))
            }
        }
        return hunks
    }

    /// A relative URI reference: each path segment percent-encoded.
    static func uriPath(_ path: String) -> String {
        path.split(separator: "/").map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? String($0) }
            .joined(separator: "/")
    }
}
