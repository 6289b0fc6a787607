import JSONRPC
import JSONValue
import Sandbox

/// Asks the editor's user before each `run_command` (`sandbox.approveCommands`), with
/// `window/showMessageRequest`. Anything but "Run" — another button, a dismissed prompt, an error —
/// refuses the command.
enum CommandApproval {
    static let run = "Run"
    static let refuse = "Refuse"

    static func asker(_ connection: Connection) -> @Sendable (String) async -> Bool {
        { command in
            let params: JSON = [
                "type": 3,
                "message": .string("Fixpoint wants to run a command (sandboxed) in its copy of your project:\n\(Redaction.redact(command))"),
                "actions": [["title": .string(run)], ["title": .string(refuse)]],
            ]
            guard let answer = try? await connection.request("window/showMessageRequest", params) else { return false }
            return answer["title"]?.stringValue == run
        }
    }
}
