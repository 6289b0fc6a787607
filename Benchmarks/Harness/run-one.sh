#!/usr/bin/env bash
# One scripted run of one agent against its own bench-model-server, for scripts/bench-harness.sh
# (hyperfine times this whole command). Writes into DIR, under names unique to this run:
#   <agent>-<id>.gaps.json   what the model server saw (per-step gaps, request sizes)
#   <agent>-<id>.rss         the agent's peak resident set, KiB (GNU time)
#   peer-<id>.commands.json  the peer's time in each command, seconds
#
#   run-one.sh AGENT DIR STEPS      AGENT: fixpoint | baseline | peer
# Needs BENCH_SERVER, BENCH_REPO, and FIXPOINT_BIN / BASELINE_BIN / PEER_PYTHON as the agent needs.
set -euo pipefail
agent="$1" dir="$2" steps="$3"
id="$(date +%s%N)-$$"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "$agent" in
    fixpoint|baseline)
        bin="$FIXPOINT_BIN"; [ "$agent" = baseline ] && bin="$BASELINE_BIN"
        flavor=fixpoint
        command=(sh -c "exec \"\$0\" fix --repo '$BENCH_REPO' --issue 'Read through the helper modules in pkg/ and report what they do.' \
            --test-cmd 'sh run_tests.sh' --model-url \"\$FIXPOINT_BENCH_MODEL_URL\" --max-steps $steps --action-mode native \
            --report '$dir/$agent-$id.report.json'" "$bin") ;;
    peer)
        flavor=peer
        command=("$PEER_PYTHON" "$here/peer/run_peer.py" --repo "$BENCH_REPO" --steps "$steps" --commands-out "$dir/peer-$id.commands.json") ;;
    *) echo "run-one.sh: unknown agent $agent" >&2; exit 2 ;;
esac
"$BENCH_SERVER" --flavor "$flavor" --steps "$steps" --out "$dir/$agent-$id.gaps.json" -- \
    /usr/bin/time -f %M -o "$dir/$agent-$id.rss" "${command[@]}" > "$dir/$agent-$id.log" 2>&1
