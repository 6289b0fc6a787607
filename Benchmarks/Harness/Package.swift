// swift-tools-version: 6.1
// Fixpoint's in-process benchmarks (package-benchmark) and the scripted model server the
// whole-process comparisons run against (scripts/bench-harness.sh, scripts/bench-lsp.sh;
// docs/performance.md). A package of its own so that the normal build and CI never compile
// package-benchmark; it depends on the root package by path.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
let fixpoint = Target.Dependency.product(name: "FixpointBenchmarkSupport", package: "Fixpoint")

let package = Package(
    name: "FixpointHarnessBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Fixpoint", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The scripted run both agents take: a fixture repository and a llama-server-like model server
        // that answers every step at once.
        .target(name: "HarnessScript", dependencies: [fixpoint], swiftSettings: strict),
        // That server as a process: runs one agent command against it and writes the per-step times.
        .executableTarget(name: "bench-model-server", dependencies: ["HarnessScript", fixpoint], swiftSettings: strict),
        .executableTarget(
            name: "HarnessBenchmarks",
            dependencies: ["HarnessScript", fixpoint, .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/HarnessBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "LSPBenchmarks",
            dependencies: ["HarnessScript", fixpoint, .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/LSPBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
