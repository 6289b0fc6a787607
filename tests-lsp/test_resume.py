"""`fixpoint.resumeFix`: a real `fixpoint serve` killed with SIGKILL in the middle of a run (nothing of
it runs after), then a new server goes on with that run from its last completed step.

Runs in the pass where FIXPOINT_LSP_SERVER names the real server (scripts/test sets it to
`.build/debug/fixpoint serve`). The models are small scripted HTTP servers: the first answers one tool
call and then never answers again (the server is killed while it waits); the second answers the steps
that are left.
"""
import os
import shutil
import subprocess
import tempfile

import pytest

from conftest import Server, is_test_server
from scripted_model import TurnModel, tool_call

pytestmark = pytest.mark.skipif(is_test_server(), reason="needs the real `fixpoint serve` (FIXPOINT_LSP_SERVER)")

TEST_COMMAND = "python3 -c 'import test_calc; test_calc.test_add()'"


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


def start_server(cache, repo, model_url):
    server = Server(env={"FIXPOINT_CACHE": cache})
    params = {"processId": None, "capabilities": {},
              "workspaceFolders": [{"uri": "file://" + repo, "name": "repo"}],
              "initializationOptions": {"testCommand": TEST_COMMAND, "modelUrl": model_url}}
    assert "result" in server.response(server.request("initialize", params), timeout=30)
    server.notify("initialized", {})
    return server


def listing(folder):
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def test_a_run_killed_with_its_server_is_resumed_by_the_next_server():
    first_model = TurnModel([tool_call("call_1", "read_file", {"path": "calc.py"})])
    second_model = TurnModel([tool_call("call_2", "edit_file", {"path": "calc.py", "old_text": "return a - b", "new_text": "return a + b"}),
                              tool_call("call_3", "submit", {"summary": "add adds"})])
    root = tempfile.mkdtemp(prefix="fixpoint-resume-")
    try:
        cache = os.path.join(root, "cache")
        repo = make_repo(root)
        runs = os.path.join(cache, "runs")
        first = start_server(cache, repo, first_model.url)
        try:
            first.request("workspace/executeCommand", {"command": "fixpoint.fixIssue", "arguments": [{"issue": "add() subtracts"}]})
            assert first_model.hanging.wait(timeout=60), f"the run never reached step 2; stderr: {''.join(first.stderr)}"
            journals = [name for name in listing(runs) if name.endswith(".jsonl")]
            assert len(journals) == 1 and journals[0] + ".checkpoint" in listing(runs), listing(runs)
        finally:
            first.proc.kill()  # SIGKILL: no cleanup of any kind runs
            first.proc.wait(timeout=10)
        assert listing(os.path.join(cache, "snapshots")), "the killed server's snapshot is left behind"

        second = start_server(cache, repo, second_model.url)
        try:
            rid = second.request("workspace/executeCommand", {"command": "fixpoint.resumeFix", "arguments": [{}]})
            answer = second.response(rid, timeout=120, answer=lambda m: {"applied": False} if m["method"] == "workspace/applyEdit" else None)
            report = answer.get("result")
            assert report, answer
            assert report["status"] == "verified", report
            assert report["resumed_from_step"] == 1
            assert report["steps"] == 3 and report["tool_calls"] == 3
            assert "return a + b" in report["patch"]
            # Step 2 asked again with the killed run's messages exactly (a warm prefix cache still hits).
            assert second_model.requests[0] == first_model.requests[1]
            assert len(second_model.requests) == 2
            # The run ended: nothing is left to resume; the killed server's snapshot was removed at start.
            assert listing(runs) == []
            again = second.response(second.request("workspace/executeCommand", {"command": "fixpoint.resumeFix", "arguments": [{}]}))
            assert again["error"]["code"] == -32602 and "no killed run" in again["error"]["message"], again
            second.close_stdin()
            second.proc.wait(timeout=10)
            assert listing(os.path.join(cache, "snapshots")) == []
        finally:
            second.kill()
        with open(os.path.join(repo, "calc.py")) as f:
            assert "return a - b" in f.read(), "the user's file is untouched (the edit was declined)"
    finally:
        first_model.shutdown()
        second_model.shutdown()
        shutil.rmtree(root, ignore_errors=True)


def test_resume_fix_removes_no_journal_it_did_not_make_nor_one_left_resumable():
    first_model = TurnModel([tool_call("call_1", "read_file", {"path": "calc.py"})])
    second_model = TurnModel([tool_call("call_2", "edit_file", {"path": "calc.py", "old_text": "return a - b", "new_text": "return a + b"}),
                              tool_call("call_3", "submit", {"summary": "add adds"})])
    root = tempfile.mkdtemp(prefix="fixpoint-resume-keep-")
    try:
        cache = os.path.join(root, "cache")
        repo = make_repo(root)
        runs = os.path.join(cache, "runs")
        first = start_server(cache, repo, first_model.url)
        try:
            first.request("workspace/executeCommand", {"command": "fixpoint.fixIssue", "arguments": [{"issue": "add() subtracts"}]})
            assert first_model.hanging.wait(timeout=60), f"the run never reached step 2; stderr: {''.join(first.stderr)}"
        finally:
            first.proc.kill()
            first.proc.wait(timeout=10)
        killed = listing(runs)
        assert len(killed) == 2, killed

        # The model server is not up yet: the resumed run fails before its first step; the killed run stays resumable.
        down = start_server(cache, repo, "http://127.0.0.1:1/v1")
        try:
            answer = down.response(down.request("workspace/executeCommand", {"command": "fixpoint.resumeFix", "arguments": [{}]}), timeout=60)
            assert "error" in answer or answer["result"]["status"] == "error", answer
            assert listing(runs) == killed
        finally:
            down.kill()

        # A journal the user keeps elsewhere, named: resumed, and still there when the run ends.
        user_journal = os.path.join(root, "my-run.jsonl")
        journal = [name for name in killed if name.endswith(".jsonl")][0]
        shutil.copy(os.path.join(runs, journal), user_journal)
        shutil.copy(os.path.join(runs, journal + ".checkpoint"), user_journal + ".checkpoint")
        second = start_server(cache, repo, second_model.url)
        try:
            rid = second.request("workspace/executeCommand", {"command": "fixpoint.resumeFix", "arguments": [{"journal": user_journal}]})
            answer = second.response(rid, timeout=120, answer=lambda m: {"applied": False} if m["method"] == "workspace/applyEdit" else None)
            report = answer.get("result")
            assert report and report["status"] == "verified", answer
            assert os.path.exists(user_journal), "the user's journal is the user's"
            assert not os.path.exists(user_journal + ".checkpoint"), "the run finished: nothing of it is left to resume"
        finally:
            second.kill()
    finally:
        first_model.shutdown()
        second_model.shutdown()
        shutil.rmtree(root, ignore_errors=True)
