"""Summarizes scripts/bench-harness.sh's runs (files from run-one.sh in DIR) as Markdown.

Per agent and run: the median per-step overhead over steps 6-15 ("step 10") and 291-300 ("step
300"), each step's overhead being the gap the model server saw between its answer and the agent's
next request, less, for the peer, the time its command took (Fixpoint's read_file runs in process and
stays in). Across runs: the median and the spread (min-max). Ratios pair run i of one agent with run
i of the other (they ran side by side in the same invocation).
"""
import glob
import json
import os
import statistics
import sys

directory, steps = sys.argv[1], int(sys.argv[2])
late = (max(2, steps - 9), steps)
early = (6, 15)


def window(values, lo, hi):
    # values[k] is the gap before step k + 2
    picked = [values[s - 2] for s in range(lo, hi + 1) if 0 <= s - 2 < len(values)]
    return statistics.median(picked) if picked else float("nan")


runs = {}
for path in sorted(glob.glob(os.path.join(directory, "*.gaps.json"))):
    name = os.path.basename(path)[: -len(".gaps.json")]
    agent, run_id = name.split("-", 1)
    data = json.load(open(path))
    gaps = [g / 1e6 for g in data["gaps_ns"]]  # ms
    if agent == "peer":
        commands = json.load(open(os.path.join(directory, f"peer-{run_id}.commands.json")))
        # The gap before step k + 2 contains the command of step k + 1 (commands[k]).
        gaps = [g - 1000 * commands[k] if k < len(commands) else g for k, g in enumerate(gaps)]
    rss_path = os.path.join(directory, f"{agent}-{run_id}.rss")
    rss = int(open(rss_path).read().split()[-1]) / 1024 if os.path.exists(rss_path) else float("nan")
    report_path = os.path.join(directory, f"{agent}-{run_id}.report.json")
    compactions = (sum(1 for e in json.load(open(report_path)).get("events", []) if e.get("kind") == "compaction")
                   if os.path.exists(report_path) else None)
    runs.setdefault(agent, []).append({
        "compactions": compactions,
        "early": window(gaps, *early), "late": window(gaps, *late), "rss": rss, "exit": data["exit"],
        "requests": data["chat_requests"], "last_bytes": data["last_request_bytes"],
        "growth": window(gaps, *late) / window(gaps, *early),
    })


def fmt(values, unit="", digits=2):
    values = [v for v in values if v == v]
    if not values:
        return "n/a"
    return f"{statistics.median(values):.{digits}f}{unit} ({min(values):.{digits}f}–{max(values):.{digits}f})"


print(f"Per-step overhead, ms: median of runs (min–max); {steps}-step runs, steps {early[0]}–{early[1]} and {late[0]}–{late[1]}\n")
print(f"| agent | runs | step 10 | step {steps} | late ÷ early | peak RSS, MB | last request, KB (~tokens) | compactions | exit codes |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
for agent, rs in sorted(runs.items()):
    last = statistics.median(r["last_bytes"] for r in rs)
    print(f"| {agent} | {len(rs)} | {fmt([r['early'] for r in rs])} | {fmt([r['late'] for r in rs])} | "
          f"{fmt([r['growth'] for r in rs], digits=1)} | {fmt([r['rss'] for r in rs], digits=0)} | "
          f"{last / 1024:.0f} (~{last * 0.3 / 1000:.0f}K) | {sorted(set(str(r['compactions']) for r in rs))} | "
          f"{sorted(set(r['exit'] for r in rs))} |")

pairs = [("fixpoint", "peer"), ("fixpoint", "baseline")]
for a, b in pairs:
    if a in runs and b in runs:
        n = min(len(runs[a]), len(runs[b]))
        print(f"\n{a} ÷ {b} (run by run, {n} pairs): step 10 "
              f"{fmt([runs[a][i]['early'] / runs[b][i]['early'] for i in range(n)])}, step {steps} "
              f"{fmt([runs[a][i]['late'] / runs[b][i]['late'] for i in range(n)])}, peak RSS "
              f"{fmt([runs[a][i]['rss'] / runs[b][i]['rss'] for i in range(n)])}")
