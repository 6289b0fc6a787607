import ChildProcess
import Foundation
import Testing

/// After setup, `fixpoint doctor` is all OK for what the main job needs and exits 0.
@Suite(.enabled(if: Runtime.shouldRun, Runtime.skipNote))
struct DoctorReadyTests {
    @Test func doctorIsReadyWhenTheRuntimeIsInstalled() async throws {
        let out = try await ChildProcess.run(ProcessSpec(executable: Runtime.fixpointBinary, arguments: ["doctor"]))
        #expect(out.status == .exited(0), "\(out.stdoutText)")
        for line in ["libgit2        OK", "libcurl        OK", "llama-server   OK", "default model  OK"] {
            #expect(out.stdoutText.contains(line), "missing '\(line)' in:\n\(out.stdoutText)")
        }
        #expect(out.stdoutText.contains("sha256 verified"))
        #expect(out.stdoutText.contains("ready: `fixpoint fix` can run on the embedded model."))
    }
}
