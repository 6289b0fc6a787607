#!/usr/bin/env bash
# Repository scale: snapshot create, fork and verification copy (fork + apply a 5-file patch) on
# generated repositories of 1K, 10K and 100K files and on Django's sdist (a real tree of ~6,800 files),
# side by side with `cp -r`, `git worktree add` and `git clone --shared` on the same repository; and
# the disk a base uses with 1 and with 8 forks (heavy mode). Prints Markdown tables (median, spread,
# ratio); docs/performance.md records them.
#
#   scripts/bench-scale.sh [--runs N] [--sizes "1000 10000 100000"] [--quick]
#
# --quick: 1K and 10K files, 3 runs (the 100K repository takes minutes to generate and to measure).
# Repositories are generated once into $FIXPOINT_CACHE/bench (default ~/.cache/fixpoint/bench), on the
# file system the snapshots use, so reflinks and copies behave as in a real run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CACHE="${FIXPOINT_CACHE:-$HOME/.cache/fixpoint}/bench"
runs=5
sizes="1000 10000 100000"
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --sizes) sizes="$2"; shift 2 ;;
        --quick) runs=3; sizes="1000 10000"; shift ;;
        *) echo "usage: scripts/bench-scale.sh [--runs N] [--sizes \"1000 10000 100000\"] [--quick]" >&2; exit 2 ;;
    esac
done
mkdir -p "$CACHE"
swift build -c release -j 1 --product ScaleBench >&2
BIN="$(swift build -c release --show-bin-path)/ScaleBench"

commit_all() {
    git -C "$1" init -q -b main
    git -C "$1" add -A
    git -C "$1" -c user.name=bench -c user.email=bench@localhost commit -qm base
    touch "$1/.git/fixpoint-bench-complete"
}

# N Python files of ~1.8 KB (40 functions) in 30×7×20 folders, committed.
generated() {
    local n="$1" dir="$CACHE/scale-$1"
    if [ ! -f "$dir/.git/fixpoint-bench-complete" ]; then
        rm -rf "$dir"
        echo "generating $n files in $dir" >&2
        python3 - "$dir" "$n" <<'PY'
import os, sys
root, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    d = f"{root}/pkg{i % 30}/sub{i % 7}/grp{(i // 210) % 20}"
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/module{i}.py", "w") as f:
        f.write("".join(f"def function_{i}_{j}(x):\n    return x + {j}\n" for j in range(40)))
PY
        commit_all "$dir"
    fi
    echo "$dir"
}

django() {
    local version=5.1.4 dir="$CACHE/django-5.1.4"
    if [ ! -f "$dir/.git/fixpoint-bench-complete" ]; then
        [ -f "$CACHE/Django-$version.tar.gz" ] || python3 -m pip download -q --no-binary :all: --no-deps "django==$version" -d "$CACHE" >&2
        rm -rf "$dir" && tar --no-same-owner -xzf "$CACHE/Django-$version.tar.gz" -C "$CACHE" && mv "$CACHE/Django-$version" "$dir"
        commit_all "$dir"
    fi
    echo "$dir"
}

scratch="$CACHE/tmp"
mkdir -p "$scratch"
echo "file system of the snapshots: $(stat -f -c %T "$scratch") ($(df -T "$scratch" | awk 'NR==2 {print $2}'))"
echo
for n in $sizes; do
    "$BIN" --repo "$(generated "$n")" --runs "$runs" --scratch "$scratch" --label "generated, $n files"
    echo
done
"$BIN" --repo "$(django)" --runs "$runs" --scratch "$scratch" --label "Django 5.1.4 sdist"
