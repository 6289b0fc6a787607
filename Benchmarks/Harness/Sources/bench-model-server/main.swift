import Foundation
import HarnessScript
import JSONValue

// Runs one agent command against a scripted model server and writes what the server saw:
//
//   bench-model-server --flavor fixpoint|peer --steps N --out FILE -- COMMAND [ARG...]
//
// The command finds the server in $FIXPOINT_BENCH_MODEL_URL (e.g. `fixpoint fix --model-url
// "$FIXPOINT_BENCH_MODEL_URL" …`). FILE gets {"flavor", "steps", "exit", "chat_requests",
// "last_request_bytes", "gaps_ns"}: gaps_ns[k] is the agent's time before step k + 2 (from the
// previous answer's last byte to this request's last byte). Exits with the command's status.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("bench-model-server: \(message)\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard let dashes = arguments.firstIndex(of: "--"), dashes + 1 < arguments.count else {
    fail("usage: bench-model-server --flavor fixpoint|peer --steps N --out FILE -- COMMAND [ARG...]")
}
let command = Array(arguments[(dashes + 1)...])
arguments = Array(arguments[..<dashes])
var options: [String: String] = [:]
while let name = arguments.first, name.hasPrefix("--"), arguments.count >= 2 {
    options[String(name.dropFirst(2))] = arguments[1]
    arguments.removeFirst(2)
}
guard let flavor = options["flavor"].flatMap(HarnessScript.Flavor.init(rawValue:)) else { fail("--flavor must be fixpoint or peer") }
guard let steps = options["steps"].flatMap(Int.init), steps >= 2 else { fail("--steps must be a number of at least 2") }
guard let out = options["out"] else { fail("--out FILE is required") }

let server = try HarnessScript.server(steps: steps, flavor: flavor)
let process = Process()
process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
process.arguments = command
var environment = ProcessInfo.processInfo.environment
environment["FIXPOINT_BENCH_MODEL_URL"] = server.baseURL
process.environment = environment
do { try process.run() } catch { fail("cannot start \(command[0]): \(error)") }
process.waitUntilExit()
server.stop()

let chats = server.chatRequests
let result: JSON = [
    "flavor": .string(flavor.rawValue), "steps": .int(steps), "exit": .int(Int(process.terminationStatus)),
    "chat_requests": .int(chats.count), "last_request_bytes": .int(chats.last?.body.count ?? 0),
    "gaps_ns": .array(HarnessScript.gaps(server).map { .int(Int($0)) }),
]
do { try Data(result.serialized().utf8).write(to: URL(fileURLWithPath: out)) } catch { fail("cannot write \(out): \(error)") }
exit(process.terminationStatus)
