import Agent
import Foundation
import JSONRPC
import JSONValue
import LSP
import Runs

extension FixpointServer {
    /// Offers a finished run's changes with `workspace/applyEdit`, marked as needing confirmation.
    /// Files changed since the run started are left out and the user is told which and why.
    func offer(_ run: FinishedRun) async {
        // A patch that changes only tests is never a fix (docs/cli.md, "Verification"): not offered as edits.
        let report = run.outcome.report
        if report.status != .verified, !report.filesChanged.isEmpty, Set(report.filesChanged).isSubset(of: report.tests.testFilesTouched) {
            showMessage(.warning, "Fixpoint \(run.id): the patch changes only test files (\(report.tests.testFilesTouched.joined(separator: ", "))), so it is not offered; it is in the command's result.")
            return
        }
        let start = runStarts[run.id] ?? RunStartState(openVersions: [:])
        let folder = start.folder ?? Self.folder(ofRepository: run.repository)
        let (edits, skipped) = FileEditPlanner.plan(run.outcome.changes, folder: folder, start: start, documents: documents)
        if !skipped.isEmpty {
            let list = skipped.map { "\($0.path) (\($0.reason))" }.joined(separator: "; ")
            showMessage(.warning, "Fixpoint \(run.id): not offering changes to \(list). Nothing newer was overwritten; the full patch is in the command's result.")
        }
        guard !edits.isEmpty else { return }

        let needsFileOperations = edits.contains { if case .modify = $0 { false } else { true } }
        let operationsSupported = !needsFileOperations || (capabilities.resourceOperations.isSuperset(of: ["create", "delete"]))
        guard capabilities.applyEdit, (capabilities.documentChanges && operationsSupported) || !needsFileOperations else {
            await offerWithoutEdits(run)
            return
        }
        let label = "Fixpoint \(run.id): \(run.outcome.report.status == .verified ? "verified fix" : "unverified patch")"
        var edit: [String: JSON] = [
            "changeAnnotations": [
                FileEditPlanner.annotationID: [
                    "label": .string(label), "needsConfirmation": true,
                    "description": .string(run.outcome.report.summaryLine),
                ],
            ],
        ]
        if capabilities.documentChanges {
            edit["documentChanges"] = .array(FileEditPlanner.documentChanges(edits))
        } else {
            edit["changes"] = FileEditPlanner.changesMap(edits)
        }
        do {
            let response = try await connection.request("workspace/applyEdit", ["label": .string(label), "edit": .object(edit)])
            if response["applied"]?.boolValue == true {
                runs.markApplied(run.id)
                logMessage("\(run.id): the fix was applied to \(edits.count) file(s)")
            } else {
                let reason = response["failureReason"]?.stringValue.map { " (\($0))" } ?? ""
                showMessage(.info, "Fixpoint \(run.id): the fix was not applied\(reason). It stays available: run fixpoint.applyFix with {\"runId\": \"\(run.id)\"}.")
            }
        } catch {
            log("\(run.id): workspace/applyEdit failed: \(error)")
        }
    }

    /// For clients that cannot apply edits: the patch as a document, or as a message.
    private func offerWithoutEdits(_ run: FinishedRun) async {
        let patch = run.outcome.report.patch
        if capabilities.showDocument {
            let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("fixpoint-\(run.id)-\(ProcessInfo.processInfo.processIdentifier).patch")
            if FileManager.default.createFile(atPath: path, contents: Data(patch.utf8)) {
                _ = try? await connection.request("window/showDocument", ["uri": DocumentURI(path: path).json, "takeFocus": true])
                return
            }
        }
        showMessage(.info, "Fixpoint \(run.id) produced this patch (your editor cannot apply it as an edit; fixpoint.applyFix writes it to disk):\n\(patch)")
    }

    static func folder(ofRepository root: String) -> WorkspaceFolder {
        WorkspaceFolder(uri: DocumentURI(path: root), name: (root as NSString).lastPathComponent, path: root)
    }

    enum MessageType: Int { case error = 1, warning = 2, info = 3, log = 4 }

    func showMessage(_ type: MessageType, _ text: String) {
        connection.notify("window/showMessage", ["type": .int(type.rawValue), "message": .string(text)])
    }

    func logMessage(_ text: String) {
        connection.notify("window/logMessage", ["type": 4, "message": .string("Fixpoint: \(text)")])
    }
}
