#!/usr/bin/env bash
# Neovim during a Fixpoint run, captured from tmux and rendered to PNG (docs/editors.md shows them):
#   docs/images/neovim-run.png      mid-run: the step log filling, progress in the statusline
#   docs/images/neovim-preview.png  the finished run's diff, waiting for a (accept) or r (reject)
# The model is scripted (editors/tests/scripted_model.py, slowed down so the run can be watched); the
# server, the agent, the tests and the editor are real. Needs tmux, Pillow, DejaVu fonts and a built
# fixpoint (FIXPOINT_BIN, default .build/debug/fixpoint).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${FIXPOINT_BIN:-$ROOT/.build/debug/fixpoint}"
OUT="${1:-$ROOT/docs/images}"
# Debian's python3-pil is in the system Python, which may not be the first python3 on PATH.
PIL_PYTHON="${PIL_PYTHON:-/usr/bin/python3}"
work="$(mktemp -d)"
socket="fixpoint-shot-$$"
model_pid=""
cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  [[ -n "$model_pid" ]] && kill "$model_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

python3 "$ROOT/editors/tests/scripted_model.py" --turns fix-python-bug --delay 2 --url-file "$work/url" >/dev/null &
model_pid=$!
for _ in $(seq 100); do [[ -s "$work/url" ]] && break; sleep 0.1; done

cp -R "$ROOT/fixtures/python-bug" "$work/repo"
printf 'testCommand = "python3 -m unittest -q"\nmodelUrl = "%s"\nmaxSteps = 20\nrepairSamples = 0\n' "$(cat "$work/url")" > "$work/repo/fixpoint.toml"
git -C "$work/repo" init -q && git -C "$work/repo" add -A
git -C "$work/repo" -c user.name=demo -c user.email=demo@fixpoint.invalid commit -qm fixture

cat > "$work/init.lua" <<LUA
vim.opt.runtimepath:append("$ROOT/editors/neovim")
vim.o.swapfile = false
vim.o.number = true
vim.o.statusline = " %f %m%=%{v:lua.require'fixpoint'.statusline()} "
require("fixpoint").setup({ cmd = { "$BIN", "serve" } })
LUA

cd "$work/repo"
tmux -L "$socket" new-session -d -x 110 -y 32 \
  "env FIXPOINT_CACHE='$work/cache' XDG_STATE_HOME='$work/state' nvim -i NONE -u '$work/init.lua' numbers_util.py"
keys() { tmux -L "$socket" send-keys "$@"; }
sleep 2
keys ":FixpointLog" Enter; sleep 0.3
keys ":FixpointFix is_even() gives the wrong answer: is_even(4) returns False" Enter
mkdir -p "$OUT"
sleep 9   # a few steps in: the log has lines, the model is thinking about the next one
tmux -L "$socket" capture-pane -e -p > "$work/run.ansi"
for _ in $(seq 60); do grep -q "fixpoint://run-1.diff" <(tmux -L "$socket" capture-pane -p) && break; sleep 0.5; done
sleep 0.5
tmux -L "$socket" capture-pane -e -p > "$work/preview.ansi"
"$PIL_PYTHON" "$ROOT/editors/tools/ansi_png.py" --columns 110 "$work/run.ansi" "$OUT/neovim-run.png"
"$PIL_PYTHON" "$ROOT/editors/tools/ansi_png.py" --columns 110 "$work/preview.ansi" "$OUT/neovim-preview.png"
echo "wrote $OUT/neovim-run.png and $OUT/neovim-preview.png"
