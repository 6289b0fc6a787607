#!/usr/bin/env bash
# Benchmark of the model path against the REAL llama-server (docs/performance.md, "Model client and
# end to end"); prints Markdown tables:
#  1. throughput: Fixpoint's model client (libcurl, SSE) beside the `curl` program sending the same
#     request bytes to the same llama-server, taking turns, median and spread, Fixpoint ÷ curl;
#  2. prefix cache over a longer run: a scripted, growing tool-calling conversation (24 requests, the
#     model's real answers appended verbatim, tool observations of 8 source lines) through the client;
#     cached ÷ prompt tokens from the server's own usage numbers;
#  3. end to end: `fixpoint fix` on the bundled fixture (fixtures/python-bug) with the embedded model:
#     the report's time split (model, tools, model start, tests, verification, harness), and the
#     prefix-cache hit rate from the server's own per-request counts in the trajectory journal.
# Model runs are CPU-heavy: the throughput and cache parts use the 0.5B model on one thread by default.
#
#   scripts/bench-model.sh [--rounds N] [--tokens N] [--threads N] [--throughput-model small|default]
#                          [--cache-steps N] [--e2e-model default|small] [--steps N] [--only throughput|cache|e2e]
#                          [--per-request]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

rounds=9 tokens=48 threads=1 throughput_model=small cache_steps=24 e2e_model=default steps=20 only="" per_request=""
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --tokens) tokens="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        --throughput-model) throughput_model="$2"; shift 2 ;;
        --cache-steps) cache_steps="$2"; shift 2 ;;
        --e2e-model) e2e_model="$2"; shift 2 ;;
        --steps) steps="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        --per-request) per_request="--per-request"; shift ;;
        *) echo "usage: scripts/bench-model.sh [--rounds N] [--tokens N] [--threads N] [--throughput-model small|default] [--cache-steps N] [--e2e-model default|small] [--steps N] [--only throughput|cache|e2e] [--per-request]" >&2; exit 2 ;;
    esac
done

swift build -c release --product ModelBench >&2
swift build -c release --product fixpoint >&2
BIN="$(swift build -c release --show-bin-path)"

if [ -z "$only" ] || [ "$only" = throughput ]; then
    echo "## Model client throughput: Fixpoint vs curl (real llama-server)"
    "$BIN/ModelBench" throughput --model "$throughput_model" --rounds "$rounds" --tokens "$tokens" --threads "$threads"
    echo
fi

if [ -z "$only" ] || [ "$only" = cache ]; then
    echo "## Prefix cache over a growing conversation (real llama-server)"
    "$BIN/ModelBench" cache --model "$throughput_model" --steps "$cache_steps" --tokens 64 --threads "$threads" $per_request
    echo
fi

if [ -z "$only" ] || [ "$only" = e2e ]; then
    WORK="$(mktemp -d)"
    trap 'rm -rf "$WORK"' EXIT
    mkdir -p "$WORK/repo" "$WORK/snapshots"
    cp -R fixtures/python-bug/. "$WORK/repo/"
    git -C "$WORK/repo" init -q
    git -C "$WORK/repo" add -A
    git -C "$WORK/repo" -c user.name=bench -c user.email=bench@fixpoint.invalid commit -qm fixture
    echo "## End to end: fixpoint fix on fixtures/python-bug (embedded model: $e2e_model, --max-steps $steps)"
    set +e
    FIXPOINT_SNAPSHOT_DIR="$WORK/snapshots" "$BIN/fixpoint" fix --repo "$WORK/repo" --issue-file "$WORK/repo/ISSUE.md" \
        --model "$e2e_model" --max-steps "$steps" --report "$WORK/report.json" --trajectory "$WORK/trajectory.jsonl" >&2
    rc=$?
    set -e
    echo "exit code $rc (0 verified, 1 not verified)"
    (( rc == 0 || rc == 1 )) || exit "$rc"
    "$BIN/ModelBench" run --report "$WORK/report.json" --journal "$WORK/trajectory.jsonl" $per_request
fi
