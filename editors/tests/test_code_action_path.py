"""Helix and Kakoune have no Fixpoint commands of their own: a fix starts from a code action, and the
result comes back as a workspace edit the editor applies to its buffers. This drives that path over
real pipes against `fixpoint serve` (real agent, scripted model), with the client capabilities those
editors announce, and checks that it alone gives a usable fix: the action is offered on the
diagnostic, progress arrives, the edit applies cleanly to the open buffer, and the saved result
passes the fixture's tests."""
import importlib.util
import os
import subprocess
import sys

import pytest

from test_editors import FIXPOINT, ROOT, workspace  # noqa: F401  (the fixture)

spec = importlib.util.spec_from_file_location("lsp_pipes", os.path.join(ROOT, "tests-lsp", "conftest.py"))
lsp_pipes = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lsp_pipes)

EDIT = {"applyEdit": True, "workspaceEdit": {"documentChanges": True, "resourceOperations": ["create", "rename", "delete"],
                                             "failureHandling": "abort"}}
# From helix-lsp's client.rs and kakoune-lsp's capabilities (the parts Fixpoint reads).
CAPABILITIES = {
    "helix": {"workspace": {**EDIT, "workspaceFolders": True, "configuration": True, "executeCommand": {}},
              "window": {"workDoneProgress": True, "showDocument": {"support": True}},
              "general": {"positionEncodings": ["utf-8", "utf-32", "utf-16"]}},
    "kakoune": {"workspace": {**EDIT, "workspaceFolders": True, "executeCommand": {}},
                "window": {"workDoneProgress": True}},
}


def offset(text, position):
    lines = text.split("\n")
    return sum(len(line) + 1 for line in lines[:position["line"]]) + position["character"]  # ASCII fixture


def apply(text, edits):
    for edit in sorted(edits, key=lambda e: offset(text, e["range"]["start"]), reverse=True):
        text = text[:offset(text, edit["range"]["start"])] + edit["newText"] + text[offset(text, edit["range"]["end"]):]
    return text


@pytest.mark.parametrize("editor", sorted(CAPABILITIES))
def test_a_code_action_alone_gives_a_usable_fix(editor, workspace, monkeypatch):  # noqa: F811
    repo = workspace["repo"]
    monkeypatch.setenv("FIXPOINT_LSP_SERVER", f"{FIXPOINT} serve")
    server = lsp_pipes.Server(env={"FIXPOINT_CACHE": workspace["env"]["FIXPOINT_CACHE"]}, cwd=str(repo))
    try:
        server.initialize(root=str(repo), capabilities=CAPABILITIES[editor])
        uri = "file://" + str(repo / "numbers_util.py")
        buffer = (repo / "numbers_util.py").read_text()
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": buffer}})
        diagnostic = {"range": {"start": {"line": 6, "character": 4}, "end": {"line": 6, "character": 21}},
                      "message": "test_is_even fails: is_even(4) returns False", "source": "unittest"}
        answer = server.response(server.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}}))
        (action,) = answer["result"]
        assert action["title"] == "Fixpoint: fix “test_is_even fails: is_even(4) returns False”"

        edits = []

        def answer_server(message):
            if message["method"] == "workspace/applyEdit":
                edits.append(message["params"])
                return {"applied": True}
            return None

        rid = server.request("workspace/executeCommand", action["command"] and
                             {"command": action["command"]["command"], "arguments": action["command"]["arguments"]})
        progress = []
        response = server.wait_for(lambda m: (m.get("method") == "$/progress" and progress.append(m["params"]["value"]) and False)
                                   or ("method" not in m and m.get("id") == rid), timeout=90, answer=answer_server)
        assert response["result"]["status"] == "verified", response
        assert [p["kind"] for p in progress][0] == "begin" and progress[-1]["kind"] == "end"
        assert progress[-1]["message"].startswith("verified fix")

        (offer,) = edits
        (change,) = offer["edit"]["documentChanges"]
        assert change["textDocument"] == {"uri": uri, "version": 1}
        assert offer["edit"]["changeAnnotations"]["fixpoint.fix"]["needsConfirmation"] is True
        # The editor applies it to its buffer; the user saves (:write-all).
        (repo / "numbers_util.py").write_text(apply(buffer, change["edits"]))
        tests = subprocess.run([sys.executable, "-m", "unittest", "-q"], cwd=repo, capture_output=True, text=True)
        assert tests.returncode == 0, tests.stderr
    finally:
        server.kill()
