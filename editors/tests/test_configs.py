"""Every configuration file under editors/ parses: Lua (loaded by Neovim), Emacs Lisp (byte-compiled
with warnings as errors), TOML, JSON, JavaScript (node --check), and the Kakoune script (sourced by
kak when it is installed)."""
import glob
import json
import os
import shutil
import subprocess
import tomllib

import pytest

EDITORS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def files(pattern):
    found = sorted(glob.glob(os.path.join(EDITORS, "**", pattern), recursive=True))
    return [pytest.param(f, id=os.path.relpath(f, EDITORS)) for f in found if "/node_modules/" not in f]


@pytest.mark.parametrize("path", files("*.lua"))
def test_lua_loads(path):
    script = f"local f, e = loadfile({json.dumps(path)}); if not f then io.stderr:write(e) vim.cmd('cquit 1') end"
    proc = subprocess.run(["nvim", "--headless", "-u", "NONE", "-i", "NONE", "-c", "lua " + script, "-c", "qall!"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("path", files("*.el"))
def test_elisp_byte_compiles_without_warnings(path, tmp_path):
    copy = tmp_path / os.path.basename(path)  # so no .elc lands in the tree
    shutil.copy(path, copy)
    setup = ('(progn (require (quote package)) (setq package-directory-list (list "/usr/share/emacs/site-lisp/elpa"))'
             f' (package-initialize) (add-to-list (quote load-path) {json.dumps(os.path.join(EDITORS, "emacs"))})'
             ' (setq byte-compile-error-on-warn t))')
    proc = subprocess.run(["emacs", "-Q", "--batch", "--eval", setup, "-f", "batch-byte-compile", str(copy)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "Warning" not in proc.stderr, proc.stderr


@pytest.mark.parametrize("path", files("*.toml"))
def test_toml_parses(path):
    with open(path, "rb") as f:
        tomllib.load(f)


@pytest.mark.parametrize("path", files("*.json"))
def test_json_parses(path):
    with open(path) as f:
        json.load(f)


@pytest.mark.parametrize("path", files("*.js"))
def test_javascript_parses(path):
    proc = subprocess.run(["node", "--check", path], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("path", files("*.kak"))
def test_kakoune_script(path):
    # The server table inside `lsp_servers` is TOML that kakoune-lsp parses.
    with open(path) as f:
        text = f.read()
    table = text.split("set-option -add buffer lsp_servers %{", 1)[1].split("\n    }", 1)[0]
    tomllib.loads("\n".join(line.strip() for line in table.splitlines()))
    if not shutil.which("kak"):
        pytest.skip("kak is not installed")
    proc = subprocess.run(["kak", "-n", "-ui", "dummy", "-e", f"try %{{ source {path}; quit 0 }} catch %{{ quit 1 }}"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr


def test_kakoune_fix_command_sends_the_issue_as_json(tmp_path):
    """:fixpoint-fix builds the executeCommand arguments itself: quotes and backslashes must survive."""
    if not shutil.which("kak"):
        pytest.skip("kak is not installed")
    out = tmp_path / "sent.txt"
    fake = f"define-command lsp-execute-command -params 2 %{{ nop %sh{{ printf '%s\\n%s\\n' \"$1\" \"$2\" > {out} }} }}"
    script = f"{fake}; source {os.path.join(EDITORS, 'kakoune', 'fixpoint.kak')}; fixpoint-fix 'say \"hi\" \\ there' twice; quit 0"
    proc = subprocess.run(["kak", "-n", "-ui", "dummy", "-e", script], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    command, arguments = out.read_text().splitlines()
    assert command == "fixpoint.fixIssue"
    assert json.loads(arguments) == [{"issue": 'say "hi" \\ there twice'}]
