import Foundation

/// report.html: one self-contained page (no scripts, no external files) with the summary, a row per
/// task, and each task's patch and step log in a collapsible section.
public enum HTMLReport {
    public static func render(_ results: EvalResults) -> String {
        let s = results.summary
        var rows: [String] = []
        var details: [String] = []
        for (index, task) in results.tasks.enumerated() {
            let anchor = "task-\(index)"
            rows.append("""
                <tr><td><a href="#\(anchor)">\(h(task.instanceID))</a></td>\
                <td class="\(task.verified ? "yes" : "no")">\(task.verified ? "verified" : h(task.status.rawValue))</td>\
                <td class="\(task.resolved ? "yes" : "no")">\(task.resolved ? "resolved" : "unresolved")</td>\
                <td>\(task.steps)</td><td>\(task.promptTokens + task.completionTokens)</td>\
                <td>\(String(format: "%.0f%%", task.cachedShare * 100))</td><td>\(String(format: "%.1f s", task.wallS))</td></tr>
                """)
            let why = task.judgement.error ?? (task.resolved ? "FAIL_TO_PASS and PASS_TO_PASS pass" : JUnitReport.unresolvedReason(task))
            details.append("""
                <section id="\(anchor)"><h2>\(h(task.instanceID))</h2>
                <p>Run: <b>\(h(task.status.rawValue))</b> (\(h(task.endReason.rawValue)))\(task.tests?.verificationReason.map { " — " + h($0.hasSuffix(".") ? String($0.dropLast()) : $0) } ?? ""). \
                Judge: <b>\(task.resolved ? "resolved" : "unresolved")</b> — \(h(why)).</p>
                \(task.error.map { "<p class=\"no\">Error: \(h($0))</p>" } ?? "")
                <details open><summary>Patch (\(task.patch.split(separator: "\n").count) lines)</summary><pre class="patch">\(patchHTML(task.patch))</pre></details>
                <details><summary>Step log (\(task.log.count) lines)</summary><pre>\(h(task.log.joined(separator: "\n")))</pre></details>
                </section>
                """)
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Fixpoint eval — \(h(results.model))</title>
            <style>
            body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;color:#1b1f24;padding:0 1em}
            h1{font-size:1.6em;margin-bottom:.2em} h2{font-size:1.15em;margin-top:2em;border-top:1px solid #d0d7de;padding-top:1em}
            .cards{display:flex;gap:1em;margin:1em 0}.card{border:1px solid #d0d7de;border-radius:8px;padding:.7em 1.2em;min-width:8em}
            .card b{display:block;font-size:1.7em} table{border-collapse:collapse;width:100%}
            th,td{border-bottom:1px solid #d0d7de;padding:.35em .6em;text-align:left} th{background:#f6f8fa}
            .yes{color:#1a7f37;font-weight:600}.no{color:#cf222e;font-weight:600}
            pre{background:#f6f8fa;padding:.8em;overflow-x:auto;font:12px/1.4 ui-monospace,monospace;border-radius:6px}
            .add{color:#1a7f37}.del{color:#cf222e}.hunk{color:#8250df}
            </style></head><body>
            <h1>Fixpoint evaluation</h1>
            <p>Model: <code>\(h(results.model))</code></p>
            <div class="cards">
            <div class="card">tasks<b>\(s.total)</b></div>
            <div class="card">resolved (judge)<b>\(s.resolved)</b></div>
            <div class="card">verified (Fixpoint)<b>\(s.verified)</b></div>
            <div class="card">resolve rate<b>\(String(format: "%.0f%%", s.resolveRate * 100))</b></div>
            <div class="card">verified, not resolved<b class="\(s.verifiedNotResolved == 0 ? "yes" : "no")">\(s.verifiedNotResolved)</b></div>
            </div>
            <table><tr><th>task</th><th>run</th><th>judge</th><th>steps</th><th>tokens</th><th>cached</th><th>wall time</th></tr>
            \(rows.joined(separator: "\n"))
            </table>
            \(details.joined(separator: "\n"))
            </body></html>

            """
    }

    static func patchHTML(_ patch: String) -> String {
        if patch.isEmpty { return "(no patch)" }
        return patch.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let escaped = h(String(line))
            if line.hasPrefix("+"), !line.hasPrefix("+++") { return "<span class=\"add\">\(escaped)</span>" }
            if line.hasPrefix("-"), !line.hasPrefix("---") { return "<span class=\"del\">\(escaped)</span>" }
            if line.hasPrefix("@@") { return "<span class=\"hunk\">\(escaped)</span>" }
            return escaped
        }.joined(separator: "\n")
    }

    static func h(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
