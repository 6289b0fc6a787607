import Agent
import ChildProcess
import Foundation
import JSONValue
import ModelClient
import ModelRuntime
import Testing

extension LlamaServerSuites {
    /// Against the real llama-server with the embedded default model. One server at a time: 2 cores.
    @Suite(.enabled(if: Runtime.shouldRun, Runtime.skipNote))
    struct RealModelTests {
        static let readFile = ToolDefinition(
            name: "read_file", description: "Read a file of the repository.",
            parameters: ["type": "object", "properties": ["path": ["type": "string"]], "required": ["path"]])

        @Test func realCompletionWithAToolThenCachedPrefixThenNoServerLeft() async throws {
            var options = LocalModelServer.Options()
            options.contextSize = 4096
            let server = try await LocalModelServer.start(options)
            let client = ModelClient(endpoint: ModelEndpoint(baseURL: server.baseURL))
            do {
                let info = try await client.probe()
                #expect(info.healthy)
                #expect(info.contextSize == 4096)
                // The repair's sampling relies on this order: top-p and min-p cut before temperature.
                let chain = info.samplers ?? []
                #expect(chain.firstIndex(of: "min_p").map { $0 < (chain.firstIndex(of: "temperature") ?? 0) } == true, "\(chain)")

                var request = ChatRequest(messages: [
                    .system("You are a coding assistant. Use the tools."),
                    .user("Show me the contents of the file setup.py."),
                ], tools: [Self.readFile])
                request.maxTokens = 96
                request.temperature = 0
                let first = try await client.complete(request) { _ in }
                let gotCall = !first.message.toolCalls.isEmpty
                let gotText = !(first.message.content ?? "").isEmpty
                #expect(gotCall || gotText, "no content and no tool call came back")
                #expect(first.usage.completionTokens > 0)
                print("real completion: \(gotCall ? "tool call \(first.message.toolCalls[0].name)(\(first.message.toolCalls[0].arguments))" : "text") recovered=\(first.recoveredFromText), \(first.usage.completionTokens) tokens, \(first.telemetry.tokensPerSecond.map { String(format: "%.1f tok/s", $0) } ?? "")")

                // The same conversation extended: the server must reuse the cached prefix.
                var next = request
                next.messages.append(first.message)
                if let call = first.message.toolCalls.first {
                    next.messages.append(.tool(callID: call.id, name: call.name, content: "from setuptools import setup\nsetup(name='demo')\n"))
                } else {
                    next.messages.append(.user("Please call the read_file tool."))
                }
                let second = try await client.complete(next) { _ in }
                #expect(second.usage.cachedPromptTokens > 0, "no cached prompt tokens on an extended conversation")
                print("second request: \(second.usage.promptTokens) prompt tokens, \(second.usage.cachedPromptTokens) cached")

                // A constrained action comes back valid.
                var constrained = ChatRequest(messages: [
                    .system("Answer with one JSON action: \(ConstrainedAction.template(action: "\"read_file\"", thought: "\"...\""))."),
                    .user("Read the file setup.py."),
                ])
                constrained.responseFormat = ConstrainedAction.responseFormat(for: [Self.readFile])
                constrained.maxTokens = 96
                constrained.temperature = 0
                let action = try await client.complete(constrained) { _ in }
                let parsed = ConstrainedAction.parse(action.message.content ?? "", knownTools: ["read_file"])
                if case .failure(let e) = parsed { Issue.record("constrained action did not parse: \(e) — \(action.message.content ?? "")") }
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
            #expect(server.process.exitStatus != nil)
            #expect(await Runtime.ourLlamaServers() == 0)
        }

        /// The bundled fixture end to end through the real CLI and the embedded default model, with
        /// the focused repair first (the default) and with the agent loop alone (`--repair-samples 0`).
        /// Whether the small model fixes the bug is measured (docs/evaluation.md), not asserted; that the
        /// harness asked, parsed and executed what the model said and reported honestly is.
        @Test(arguments: [true, false]) func fixCommandEndToEndOnTheBundledFixture(repairFirst: Bool) async throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("fp-e2e-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: work) }
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            let setup = try await ChildProcess.shell(
                "mkdir -p repo && cp -R '\(root)/fixtures/python-bug/.' repo/ && cd repo && git init -q && git add -A && git -c user.name=t -c user.email=t@e commit -qm fixture",
                in: work)
            try #require(setup.status == .exited(0), "\(setup.stdoutText)")
            let repo = work + "/repo"
            let fingerprint = "find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum"
            let before = try await ChildProcess.shell(fingerprint, in: repo).stdoutText

            let binary = Runtime.fixpointBinary
            var spec = ProcessSpec(executable: FileManager.default.isExecutableFile(atPath: binary) ? binary : root + "/.build/debug/fixpoint", arguments: [
                "fix", "--repo", repo, "--issue-file", repo + "/ISSUE.md", "--max-steps", "8", "--context-size", "8192",
                "--report", work + "/report.json", "--trajectory", work + "/trajectory.jsonl", "--json-events",
            ] + (repairFirst ? [] : ["--repair-samples", "0"]))
            spec.timeout = 1500
            // Marks the llama-server this run starts (it inherits the environment), so the check below
            // counts only this run's servers, not those of anything else running on the machine.
            let runID = UUID().uuidString
            spec.environment = ProcessInfo.processInfo.environment.merging(["FIXPOINT_E2E_RUN": runID]) { $1 }
            let run = try await ChildProcess.run(spec)
            let code = run.status.code
            #expect(code == 0 || code == 1, "exit \(code): \(run.stderrText)")

            let report = try JSON.parse(String(contentsOfFile: work + "/report.json", encoding: .utf8))
            let status = report["status"]?.stringValue ?? "?"
            #expect(["verified", "unverified", "no_patch"].contains(status))
            #expect((code == 0) == (status == "verified"))
            let toolCalls = report["tool_calls"]?.intValue ?? 0
            let repaired = report["end_reason"]?.stringValue == "repaired"
            if repairFirst {
                // Its answers are in the report and the journal; a verified one ends the run, else the loop ran.
                let answers = report["repair"]?["answers"]?.intValue ?? 0
                #expect(answers >= 1, "the focused repair asked nothing: \(report["repair"].map { $0.serialized() } ?? "no repair section")")
                let journal = try String(contentsOfFile: work + "/trajectory.jsonl", encoding: .utf8)
                #expect(journal.components(separatedBy: "\"event\":\"repair\"").count - 1 == answers)
                #expect(repaired == (report["repair"]?["verified"]?.boolValue == true))
                if !repaired { #expect(toolCalls >= 1, "the loop ran after the repair: \(toolCalls) tool calls") }
            } else {
                #expect(report["repair"] == nil)
                #expect(toolCalls >= 3, "the model's calls were not parsed and executed: \(toolCalls)")
            }
            #expect(report["tests"]?["before"]?["passed"] == false)
            if status == "verified" { #expect(report["tests"]?["after"]?["passed"] == true) }
            // --json-events: every stdout line is a JSON object, ending with the report.
            let lines = run.stdoutText.split(separator: "\n")
            #expect(lines.allSatisfy { (try? JSON.parse(String($0))) != nil })
            #expect(lines.last?.contains("\"kind\":\"report\"") == true)
            // The user's repository is untouched; nothing is left running.
            #expect(try await ChildProcess.shell(fingerprint, in: repo).stdoutText == before)
            let left = try await ChildProcess.shell(
                "for p in $(pgrep -f '[l]lama-server.*--port'); do tr '\\0' '\\n' < /proc/$p/environ 2>/dev/null | grep -qx 'FIXPOINT_E2E_RUN=\(runID)' && echo $p; done | wc -l")
            #expect(left.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
            print("e2e (\(repairFirst ? "repair first" : "loop only")): status \(status), end \(report["end_reason"]?.stringValue ?? "?"), \(report["steps"]?.intValue ?? 0) steps, \(toolCalls) tool calls, \(report["timing"]?["wall_s"]?.doubleValue ?? 0)s")
        }
    }
}
