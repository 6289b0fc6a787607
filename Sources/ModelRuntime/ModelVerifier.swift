import ChildProcess
import Foundation

/// Checks a catalogue model's size always, and its sha256 when setup's `<model>.verified` stamp is
/// missing, names another checksum, or is older than the file (hashing 1 GB costs seconds).
public enum ModelVerifier {
    public static func verify(modelPath: String) async throws(LocalModelError) {
        guard let spec = ModelCatalog.spec(forPath: modelPath) else { return }  // not ours to judge
        let attributes = (try? FileManager.default.attributesOfItem(atPath: modelPath)) ?? [:]
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        guard size == spec.sizeBytes else { throw .wrongModelSize(path: modelPath, expected: spec.sizeBytes, actual: size) }
        let stamp = modelPath + ".verified"
        if let stamped = try? String(contentsOfFile: stamp, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           stamped == spec.sha256,
           let stampDate = (try? FileManager.default.attributesOfItem(atPath: stamp))?[.modificationDate] as? Date,
           let modelDate = attributes[.modificationDate] as? Date, stampDate >= modelDate
        {
            return
        }
        let actual = await sha256(of: modelPath) ?? "unreadable"
        if Task.isCancelled { throw .cancelled }  // a killed sha256sum says nothing about the file
        guard actual == spec.sha256 else { throw .corruptModel(path: modelPath, expectedSHA256: spec.sha256, actualSHA256: actual) }
        try? (spec.sha256 + "\n").write(toFile: stamp, atomically: true, encoding: .utf8)
    }

    /// sha256 through coreutils' `sha256sum`.
    public static func sha256(of path: String) async -> String? {
        guard let out = try? await ChildProcess.run(ProcessSpec(executable: "sha256sum", arguments: [path])),
              out.status == .exited(0) else { return nil }
        return out.stdoutText.split(separator: " ").first.map(String.init)
    }
}
