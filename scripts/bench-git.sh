#!/usr/bin/env bash
# Benchmark of the Git layer (snapshot, diff, fork, apply) against the git CLI doing the same work,
# on a generated ~3,000-file repository and on this project's own repository. Prints Markdown
# tables of medians; docs/performance.md records them.
#
#   scripts/bench-git.sh [--runs N] [--files N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
swift build -c release --product GitBench >&2
BIN="$(swift build -c release --show-bin-path)/GitBench"
echo "## generated repository"
"$BIN" "$@"
echo
echo "## this repository ($ROOT)"
"$BIN" --repo "$ROOT" "$@"
