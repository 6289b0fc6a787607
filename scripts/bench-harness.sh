#!/usr/bin/env bash
# Harness overhead per step, Fixpoint against mini-swe-agent (docs/performance.md, "Harness and
# language server"). Both agents take the same scripted steps (reads of 64-line windows, then a
# submit) against their own scripted llama-server-like model server on loopback that answers at once
# (Benchmarks/Harness, bench-model-server), side by side under one hyperfine invocation. Prints the
# per-step overhead at step 10 and at the last step, its growth, peak RSS, and Fixpoint ÷ peer.
# Then the in-process package-benchmark suite (HarnessBenchmarks) unless --no-in-process.
#
#   scripts/bench-harness.sh [--steps N] [--runs N] [--baseline FIXPOINT_BINARY] [--no-in-process]
#
# Fixpoint exits 1 here (the scripted run submits no patch: status no_patch), so failures are
# ignored and the exit codes are listed in the table instead.
# --baseline adds a third agent: another fixpoint binary (e.g. main's, for before/after numbers).
# The peer lives in $FIXPOINT_PEER_VENV (default ~/.cache/fixpoint/peer-venv), made if absent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
steps=300 runs=3 baseline="" in_process=1
while [ $# -gt 0 ]; do
    case "$1" in
        --steps) steps="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --baseline) baseline="$(realpath "$2")"; shift 2 ;;
        --no-in-process) in_process=0; shift ;;
        *) echo "bench-harness: unknown option $1" >&2; exit 2 ;;
    esac
done
command -v hyperfine >/dev/null || { echo "bench-harness: hyperfine is missing (apt-get install hyperfine, or scripts/setup)" >&2; exit 2; }

swift build -c release -j 1 --product fixpoint >&2
export FIXPOINT_BIN="$ROOT/.build/release/fixpoint"
# SwiftPM does not notice files added to a path dependency without planning again: touching the
# benchmark package's manifest makes it plan (seconds) instead of building with a stale file list.
touch Benchmarks/Harness/Package.swift
(cd Benchmarks/Harness && swift build -c release -j 1 --product bench-model-server >&2)
export BENCH_SERVER="$ROOT/Benchmarks/Harness/.build/release/bench-model-server"

venv="${FIXPOINT_PEER_VENV:-$HOME/.cache/fixpoint/peer-venv}"
if ! "$venv/bin/python" -c 'import minisweagent' 2>/dev/null; then
    echo "bench-harness: making the peer's venv in $venv (mini-swe-agent from PyPI)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "mini-swe-agent==2.4.6" >&2
fi
export PEER_PYTHON="$venv/bin/python"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export FIXPOINT_SNAPSHOT_DIR="$work/snapshots" FIXPOINT_CACHE="$work/cache"
mkdir -p "$work/results" "$FIXPOINT_SNAPSHOT_DIR"
export BENCH_REPO="$work/repo"
python3 - "$BENCH_REPO" <<'PY'
import os, sys
root = sys.argv[1]
files = {
    "calc.py": "def add(a, b):\n    return a + b\n",
    "test_calc.py": "from calc import add\n\ndef test_add():\n    assert add(2, 3) == 5\n",
    "run_tests.sh": "python3 -c 'import test_calc; test_calc.test_add(); print(\"1 passed\")'\n",
}
for f in range(20):  # the same tree as HarnessScript.repositoryFiles
    files[f"pkg/module_{f}.py"] = "".join(
        f"def function_{f}_{i}(x):  # helper number {i} in module {f}, kept for its weight\n    return x * {i}\n" for i in range(1, 121))
for name, text in files.items():
    path = os.path.join(root, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "w").write(text)
PY
git -C "$BENCH_REPO" init -q && git -C "$BENCH_REPO" add -A
git -C "$BENCH_REPO" -c user.name=bench -c user.email=bench@localhost commit -qm fixture

one="$ROOT/Benchmarks/Harness/run-one.sh"
commands=("$one fixpoint $work/results $steps" "$one peer $work/results $steps")
names=(-n fixpoint -n mini-swe-agent)
if [ -n "$baseline" ]; then export BASELINE_BIN="$baseline"; commands+=("$one baseline $work/results $steps"); names+=(-n baseline); fi
echo "## Whole runs ($steps steps each; hyperfine)"
hyperfine --style basic --ignore-failure --runs "$runs" --export-markdown "$work/hyperfine.md" "${names[@]}" "${commands[@]}" >&2
cat "$work/hyperfine.md"
echo
echo "## Per step"
python3 Benchmarks/Harness/summarize.py "$work/results" "$steps"

if [ "$in_process" = 1 ]; then
    echo
    echo "## In process (package-benchmark)"
    (cd Benchmarks/Harness && swift package --disable-sandbox benchmark --target HarnessBenchmarks --format markdown --no-progress)
fi
