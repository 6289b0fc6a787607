// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Fixpoint",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fixpoint", targets: ["fixpoint"]),
        // For the in-process benchmarks in Benchmarks/Harness (their own package, so that the normal
        // build and CI never compile package-benchmark); not an API for other packages.
        .library(name: "FixpointBenchmarkSupport",
                 targets: ["Agent", "Runs", "FixpointServer", "JSONRPC", "JSONValue", "ModelClient", "ModelTestSupport", "Config"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries, found through pkg-config.
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // Typed wrappers over libcurl's variadic curl_easy_setopt / curl_easy_getinfo.
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        // fork/exec with a new process group and a parent-death signal (prctl), which posix_spawn can't do.
        .target(name: "CSpawn"),
        // FICLONE (reflinks) and copy_file_range for snapshot copies; ioctl is variadic, so C.
        .target(name: "CFileClone"),

        .target(name: "JSONValue", swiftSettings: strict),
        .target(name: "ChildProcess", dependencies: ["CSpawn"], swiftSettings: strict),
        .target(name: "JSONRPC", dependencies: ["JSONValue"], swiftSettings: strict),
        .target(name: "LSP", dependencies: ["JSONRPC", "JSONValue"], swiftSettings: strict),
        // Every setting, its default and limits; fixpoint.toml, editor settings and CLI options → one FixRequest.
        .target(name: "Config", dependencies: ["JSONValue"], swiftSettings: strict),
        .target(name: "Git", dependencies: ["CGit2", "CFileClone", "Config"], swiftSettings: strict),
        // Running a command confined: bubblewrap, resource limits, environment allowlist, redaction.
        .target(name: "Sandbox", dependencies: ["ChildProcess"], swiftSettings: strict),
        .target(name: "ModelClient", dependencies: ["CCurl", "CCurlShim", "JSONValue"], swiftSettings: strict),
        // The embedded llama-server (find, start, health, stop) and the model catalogue, apart from the HTTP client.
        .target(name: "ModelRuntime", dependencies: ["Config", "ModelClient", "ChildProcess"], swiftSettings: strict),
        // Loopback HTTP/1.1 server for tests: scripted model replies and injected faults. Not in any product.
        .target(name: "ModelTestSupport", dependencies: ["JSONValue", "ModelClient"], swiftSettings: strict),
        // A Swift Testing trait: a suite whose tests block runs them off the cooperative pool (tests only).
        .target(name: "BlockingTestSupport", dependencies: ["Git"], swiftSettings: strict),
        .target(name: "Agent", dependencies: ["Config", "Git", "Sandbox", "ModelClient", "ModelRuntime", "ChildProcess", "JSONValue"], swiftSettings: strict),
        // The run service every face uses: start, events, cancel, apply. Knows no protocol.
        .target(name: "Runs", dependencies: ["Agent", "Config", "Git"], swiftSettings: strict),
        .target(name: "FixpointServer", dependencies: ["Config", "LSP", "JSONRPC", "Agent", "Git", "Runs", "Sandbox"], swiftSettings: strict),
        // The Agent Client Protocol face (`fixpoint acp`): sessions, prompt turns, tool-call updates.
        .target(name: "ACPServer", dependencies: ["Config", "JSONRPC", "JSONValue", "Agent", "Git", "Runs"], swiftSettings: strict),
        // Task sets in SWE-bench's format, independent judging, and the reports (JSON, JUnit, HTML).
        .target(name: "Eval", dependencies: ["Agent", "Config", "ChildProcess", "JSONValue"], swiftSettings: strict),
        .executableTarget(
            name: "fixpoint",
            dependencies: [
                "FixpointServer", "ACPServer", "Runs", "Agent", "Config", "Eval", "ModelClient", "ModelRuntime", "Git", "ChildProcess", "Sandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        // The language server with scripted agents, for the out-of-process suite in tests-lsp/.
        .executableTarget(
            name: "FixpointLSPTestServer", dependencies: ["FixpointServer", "Agent", "Runs"], path: "tests-lsp/TestServer",
            swiftSettings: strict
        ),
        // Benchmark of the Git layer against the git CLI (scripts/bench-git.sh); not shipped.
        .executableTarget(name: "GitBench", dependencies: ["Git"], path: "Benchmarks/GitBench", swiftSettings: strict),
        // Snapshot create / fork / verification copy at repository scale (scripts/bench-scale.sh); not shipped.
        .executableTarget(name: "ScaleBench", dependencies: ["Git"], path: "Benchmarks/ScaleBench", swiftSettings: strict),
        // Model client vs curl on the real llama-server, and a real run's time split and cache hits (scripts/bench-model.sh); not shipped.
        .executableTarget(name: "ModelBench", dependencies: ["ModelClient", "ModelRuntime", "ChildProcess", "JSONValue"],
                          path: "Benchmarks/ModelBench", swiftSettings: strict),

        .testTarget(name: "JSONValueTests", dependencies: ["JSONValue"], swiftSettings: strict),
        .testTarget(name: "ChildProcessTests", dependencies: ["ChildProcess"], swiftSettings: strict),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC"], swiftSettings: strict),
        .testTarget(name: "LSPTests", dependencies: ["LSP"], swiftSettings: strict),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "JSONValue", "BlockingTestSupport"], swiftSettings: strict),
        .testTarget(name: "GitTests", dependencies: ["Git", "BlockingTestSupport"], swiftSettings: strict),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "ChildProcess", "BlockingTestSupport"], swiftSettings: strict),
        .testTarget(name: "ModelClientTests", dependencies: ["ModelClient", "ModelTestSupport", "JSONValue", "ChildProcess"], swiftSettings: strict),
        .testTarget(name: "AgentTests", dependencies: ["Agent", "Config", "Git", "Sandbox", "ModelClient", "ModelTestSupport", "ChildProcess"], swiftSettings: strict),
        .testTarget(name: "RunsTests", dependencies: ["Runs", "Agent"], swiftSettings: strict),
        .testTarget(name: "ACPServerTests", dependencies: ["ACPServer", "FixpointServer", "Runs", "ModelTestSupport", "ChildProcess"], swiftSettings: strict),
        .testTarget(name: "FixpointServerTests", dependencies: ["FixpointServer", "Runs", "ModelTestSupport", "ChildProcess"], swiftSettings: strict),
        .testTarget(name: "EvalTests", dependencies: ["Eval", "JSONValue"], swiftSettings: strict),
        .testTarget(name: "FixpointCLITests", dependencies: ["fixpoint", "ChildProcess", "ModelClient", "ModelRuntime", "ModelTestSupport", "JSONValue"], swiftSettings: strict),
        // Real llama-server and real models: skipped with a note where the runtime is not installed,
        // failing instead when FIXPOINT_REQUIRE_MODEL=1 (CI).
        .testTarget(name: "IntegrationTests", dependencies: ["ModelClient", "ModelRuntime", "Agent", "ChildProcess", "JSONValue", "fixpoint"], swiftSettings: strict),
    ]
)

// libFuzzer targets (scripts/fuzz; docs/testing.md): only in the manifest when FIXPOINT_FUZZ=1, so
// the normal build and CI's build never compile them. Each is one file with LLVMFuzzerTestOneInput;
// libFuzzer supplies main, so they link only with `-sanitize=fuzzer`.
if Context.environment["FIXPOINT_FUZZ"] == "1" {
    let fuzzTargets: [(String, [Target.Dependency])] = [
        ("JSON", ["JSONValue"]), ("FrameDecoder", ["JSONRPC"]), ("SSE", ["ModelClient"]),
        ("ToolCallRecovery", ["ModelClient"]), ("Patch", ["Git"]), ("Config", ["Config"]),
    ]
    package.targets.append(.target(name: "CFuzz", path: "Fuzz/CFuzz"))
    for (name, dependencies) in fuzzTargets {
        package.targets.append(.executableTarget(
            name: "Fuzz\(name)", dependencies: dependencies + ["CFuzz"], path: "Fuzz/\(name)",
            swiftSettings: strict + [.unsafeFlags(["-parse-as-library"])]))
    }
}
