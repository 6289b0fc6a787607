"""The real `fixpoint serve` when its editor goes away in the middle of a run.

Stdin closed, or the client killed (stdin and stdout gone at once), while the agent is waiting for
the model: every run is cancelled, its snapshots are removed, an embedded llama-server is stopped,
and the process exits within 2 s. Two fix requests for one repository: the second is refused.

Runs in the pass where FIXPOINT_LSP_SERVER names the real server (scripts/test sets it to
`.build/debug/fixpoint serve`). The model is a small scripted HTTP server here (it answers one tool
call, then never answers again), except in the last test, which starts the real embedded
llama-server with the small model and is skipped when the runtime is not installed.
"""
import json
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import Server, is_test_server
from scripted_model import TurnModel, tool_call

pytestmark = pytest.mark.skipif(is_test_server(), reason="needs the real `fixpoint serve` (FIXPOINT_LSP_SERVER)")

EXIT_WITHIN_S = 2.0


def make_repo(root):
    repo = os.path.join(root, "repo")
    os.makedirs(repo)
    with open(os.path.join(repo, "calc.py"), "w") as f:
        f.write("def add(a, b):\n    return a - b\n")
    with open(os.path.join(repo, "test_calc.py"), "w") as f:
        f.write("from calc import add\n\ndef test_add():\n    assert add(2, 3) == 5\n")
    subprocess.run("git init -q && git add -A && git -c user.name=t -c user.email=t@e commit -qm base",
                   shell=True, cwd=repo, check=True)
    return repo


def snapshots(cache):
    folder = os.path.join(cache, "snapshots")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def start_run(root, init_options):
    cache = os.path.join(root, "cache")
    repo = make_repo(root)
    server = Server(env={"FIXPOINT_CACHE": cache})
    params = {"processId": None, "capabilities": {},
              "workspaceFolders": [{"uri": "file://" + repo, "name": "repo"}],
              "initializationOptions": {"testCommand": "python3 -c 'import test_calc; test_calc.test_add()'", **init_options}}
    assert "result" in server.response(server.request("initialize", params), timeout=30)
    server.notify("initialized", {})
    rid = server.request("workspace/executeCommand", {"command": "fixpoint.fixIssue", "arguments": [{"issue": "add() subtracts"}]})
    return server, cache, repo, rid


@pytest.mark.parametrize("how", ["stdin closed", "client killed"])
def test_the_editor_going_away_mid_run_cancels_removes_snapshots_and_exits_fast(how):
    model = TurnModel([tool_call("call_1", "read_file", {"path": "calc.py"})])
    root = tempfile.mkdtemp(prefix="fixpoint-goes-away-")
    try:
        server, cache, _, _ = start_run(root, {"modelUrl": model.url})
        try:
            assert model.hanging.wait(timeout=60), f"the run never reached its second model request; stderr: {''.join(server.stderr)}"
            assert snapshots(cache), "the run has a snapshot while it goes on"
            started = time.monotonic()
            server.close_stdin()
            if how == "client killed":
                server.proc.stdout.close()  # nobody reads the answers any more either
            code = server.proc.wait(timeout=10)
            elapsed = time.monotonic() - started
            print(f"{how}: exited {elapsed:.2f}s after the editor went away")
            assert elapsed < EXIT_WITHIN_S, f"exited after {elapsed:.2f}s; stderr: {''.join(server.stderr)}"
            assert code == 1
            assert snapshots(cache) == [], f"snapshots left behind: {snapshots(cache)}"
        finally:
            server.kill()
    finally:
        model.shutdown()
        shutil.rmtree(root, ignore_errors=True)


def test_a_second_fix_for_the_same_repository_is_refused_while_the_first_runs():
    model = TurnModel([tool_call("call_1", "read_file", {"path": "calc.py"})])
    root = tempfile.mkdtemp(prefix="fixpoint-second-run-")
    try:
        server, cache, repo, first = start_run(root, {"modelUrl": model.url})
        try:
            assert model.hanging.wait(timeout=60)
            second = server.request("workspace/executeCommand", {"command": "fixpoint.fixIssue", "arguments": [{"issue": "again"}]})
            answer = server.response(second)
            assert "error" in answer, answer
            assert "already running" in answer["error"]["message"], answer
            assert repo in answer["error"]["message"]
            # The first run was not disturbed: cancel it and it ends as cancelled.
            server.notify("$/cancelRequest", {"id": first})
            assert server.response(first)["error"]["code"] == -32800
            server.close_stdin()
            server.proc.wait(timeout=10)
            assert snapshots(cache) == []
        finally:
            server.kill()
    finally:
        model.shutdown()
        shutil.rmtree(root, ignore_errors=True)


def llama_server_children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid), "-f", "llama-server"], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def runtime_installed():
    cache = os.path.expanduser(os.environ.get("FIXPOINT_CACHE", "~/.cache/fixpoint"))
    return (os.path.exists(os.path.join(cache, "llama-server", "current", "bin", "llama-server"))
            and os.path.exists(os.path.join(cache, "models", "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")))


@pytest.mark.skipif(not runtime_installed() and os.environ.get("FIXPOINT_REQUIRE_MODEL") != "1",
                    reason="the model runtime is not installed (scripts/setup); this test starts the real llama-server")
def test_stdin_closed_mid_run_stops_the_embedded_llama_server():
    real_cache = os.path.expanduser(os.environ.get("FIXPOINT_CACHE", "~/.cache/fixpoint"))
    root = tempfile.mkdtemp(prefix="fixpoint-goes-away-embedded-")
    try:
        # The run's own cache (snapshots), with the installed runtime and models linked in.
        cache = os.path.join(root, "cache")
        os.makedirs(cache)
        for name in ("llama-server", "models"):
            os.symlink(os.path.join(real_cache, name), os.path.join(cache, name))
        repo = make_repo(root)
        server = Server(env={"FIXPOINT_CACHE": cache})
        try:
            params = {"processId": None, "capabilities": {},
                      "workspaceFolders": [{"uri": "file://" + repo, "name": "repo"}],
                      "initializationOptions": {"testCommand": "python3 -c 'import test_calc; test_calc.test_add()'", "model": "small"}}
            assert "result" in server.response(server.request("initialize", params), timeout=30)
            server.notify("initialized", {})
            server.request("workspace/executeCommand", {"command": "fixpoint.fixIssue", "arguments": [{"issue": "add() subtracts"}]})
            # Mid-run: the embedded server is up and the agent has asked it something.
            server.wait_for(lambda m: m.get("method") == "fixpoint/step" and "asking the model" in json.dumps(m), timeout=120)
            children = llama_server_children(server.proc.pid)
            assert children, "no embedded llama-server is running"
            started = time.monotonic()
            server.close_stdin()
            code = server.proc.wait(timeout=15)
            elapsed = time.monotonic() - started
            print(f"embedded llama-server: exited {elapsed:.2f}s after stdin closed")
            assert elapsed < EXIT_WITHIN_S, f"exited after {elapsed:.2f}s; stderr: {''.join(server.stderr)}"
            assert code == 1
            for pid in children:
                with pytest.raises(ProcessLookupError):
                    os.kill(pid, 0)
            assert snapshots(cache) == []
        finally:
            server.kill()
    finally:
        shutil.rmtree(root, ignore_errors=True)
