#!/usr/bin/env bash
# The language server in process (docs/performance.md, "Harness and language server"), with
# package-benchmark (Benchmarks/Harness, target LSPBenchmarks): code-action latency (p50/p99) while a
# run is in progress against a scripted model server that answers at once, JSON-RPC throughput for
# small messages, and the time to take a 1 MB didOpen.
#
#   scripts/bench-lsp.sh [package-benchmark options, e.g. --filter 'lsp.*' or --baseline-…]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/Benchmarks/Harness"
touch Package.swift  # plan again: SwiftPM misses files added to the root package (a path dependency)
swift package --disable-sandbox benchmark --target LSPBenchmarks --format markdown --no-progress "$@"
