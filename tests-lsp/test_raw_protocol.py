"""Byte-level cases against the built server: framing, errors, lifecycle, exit codes, end of input."""
import os
import subprocess
import tempfile
import time

import pytest

from conftest import frame, is_test_server, server_command


def test_malformed_json_is_a_parse_error_with_null_id_and_the_server_carries_on(server):
    server.send_bytes(frame(b'{"jsonrpc":"2.0","id":1,"method":'))
    error = server.next_message()
    assert error["id"] is None
    assert error["error"]["code"] == -32700
    assert server.initialize()["capabilities"]["executeCommandProvider"]


@pytest.mark.parametrize("header", [
    b"Content-Length: abc\r\n\r\n",
    b"Content-Type: application/json\r\n\r\n{}",
    b"no colon here\r\n\r\n",
    b"Content-Length: -5\r\n\r\n",
])
def test_a_bad_header_is_reported_and_the_next_frame_is_read(server, header):
    server.send_bytes(header)
    error = server.next_message()
    assert error["id"] is None and error["error"]["code"] == -32700
    assert server.initialize()["serverInfo"]["name"] == "fixpoint"


def test_an_absurd_content_length_is_rejected_without_allocating(server):
    server.send_bytes(b"Content-Length: 99999999999999999999999999999\r\n\r\n")
    assert server.next_message()["error"]["code"] == -32700
    server.send_bytes(b"Content-Length: 4294967296\r\n\r\n")
    assert server.next_message()["error"]["code"] == -32700
    with open(f"/proc/{server.proc.pid}/status") as status:
        rss_kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    assert rss_kb < 200 * 1024, f"the server holds {rss_kb} KiB"
    assert server.initialize()


def test_frames_split_across_writes_are_reassembled(server):
    data = frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
    for i in range(0, len(data), 7):
        server.send_bytes(data[i:i + 7])
        time.sleep(0.001)
    assert server.response(1)["result"]["serverInfo"]["name"] == "fixpoint"


def test_requests_before_initialize_are_refused_and_notifications_dropped(server):
    server.notify("textDocument/didOpen", {"textDocument": {"uri": "file:///x", "languageId": "c", "version": 1, "text": ""}})
    rid = server.request("textDocument/codeAction", {})
    # The first thing back answers the request: the notification was not answered.
    message = server.next_message()
    assert message["id"] == rid
    assert message["error"]["code"] == -32002


def test_invalid_requests_unknown_methods_and_invalid_params(server):
    server.initialize()
    server.send({"jsonrpc": "2.0", "id": 50, "method": 7})
    assert server.response(50)["error"]["code"] == -32600
    assert server.response(server.request("no/such"))["error"]["code"] == -32601
    bad = server.response(server.request("textDocument/codeAction", {"textDocument": {}}))
    assert bad["error"]["code"] == -32602
    assert "textDocument.uri" in bad["error"]["message"]
    again = server.response(server.request("initialize", {"capabilities": {}}))
    assert again["error"]["code"] == -32600


def test_notifications_are_never_answered(server):
    server.initialize()
    server.notify("$/unknownThing", {})
    server.notify("custom/unknown", {})
    server.notify("textDocument/didChange", {"textDocument": {"uri": "file:///not-open", "version": 2}, "contentChanges": []})
    rid = server.request("shutdown")
    while True:
        message = server.next_message()
        if "method" in message:
            continue  # the server may log or show messages; it never responds to a notification
        assert message["id"] == rid
        break


def test_after_shutdown_requests_are_invalid_and_exit_is_zero(server):
    server.initialize()
    assert server.response(server.request("shutdown"))["result"] is None
    assert server.response(server.request("textDocument/codeAction", {}))["error"]["code"] == -32600
    server.notify("exit")
    assert server.wait_exit() == 0


def test_exit_without_shutdown_is_one(server):
    server.initialize()
    server.notify("exit")
    assert server.wait_exit() == 1


def test_end_of_input_ends_the_server(server):
    server.initialize()
    server.close_stdin()
    assert server.wait_exit() == 1


def test_end_of_input_after_shutdown_is_zero(server):
    server.initialize()
    server.response(server.request("shutdown"))
    server.close_stdin()
    assert server.wait_exit() == 0


def test_a_client_that_stops_reading_does_not_kill_the_server_with_sigpipe():
    # Our own process, with no reader thread: once we close stdout's read end, the server's writes
    # fail with EPIPE (and would raise SIGPIPE if it were not ignored).
    proc = subprocess.Popen(server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        proc.stdout.close()
        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
        proc.stdin.write(frame(init))
        for i in range(2, 7):
            proc.stdin.write(frame({"jsonrpc": "2.0", "id": i, "method": "no/such"}))
        proc.stdin.flush()
        time.sleep(0.5)
        assert proc.poll() is None, f"the server died with {proc.returncode}"
        proc.stdin.close()
        assert proc.wait(timeout=10) == 1  # the end of input, not -SIGPIPE
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.skipif(not is_test_server(), reason="needs the scripted test server")
def test_end_of_input_during_a_run_leaves_no_orphan_processes(make_server):
    with tempfile.TemporaryDirectory() as root:
        pid_file = os.path.join(root, "child.pid")
        server = make_server(env={"FIXPOINT_TEST_RUNNER": "child", "FIXPOINT_TEST_PIDFILE": pid_file})
        server.initialize(root=root, capabilities={"window": {"workDoneProgress": True}})
        server.request("workspace/executeCommand", {"command": "fixpoint.fixIssue", "arguments": [{"issue": "x", "testCommand": "true"}]})
        server.wait_for(lambda m: m.get("method") == "fixpoint/step")
        child = int(open(pid_file).read())
        os.kill(child, 0)  # running
        server.close_stdin()
        assert server.wait_exit() == 1
        with pytest.raises(ProcessLookupError):
            os.kill(child, 0)


@pytest.mark.skipif(not is_test_server(), reason="needs the scripted test server")
def test_cancel_request_answers_minus_32800(make_server):
    with tempfile.TemporaryDirectory() as root:
        server = make_server(env={"FIXPOINT_TEST_RUNNER": "child", "FIXPOINT_TEST_PIDFILE": os.path.join(root, "pid")})
        server.initialize(root=root)
        rid = server.request("workspace/executeCommand", {"command": "fixpoint.fixIssue", "arguments": [{"issue": "x", "testCommand": "true"}]})
        server.wait_for(lambda m: m.get("method") == "fixpoint/step")
        # Other requests are answered while the run goes on.
        assert server.response(server.request("textDocument/codeAction", {"textDocument": {"uri": "file:///x"}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}}))["result"] == []
        started = time.monotonic()
        server.notify("$/cancelRequest", {"id": rid})
        response = server.response(rid)
        assert response["error"]["code"] == -32800
        assert time.monotonic() - started < 1.0


@pytest.mark.skipif(not is_test_server(), reason="needs the scripted test server")
def test_a_run_offers_its_edit_and_stray_prints_stay_off_the_protocol(make_server):
    with tempfile.TemporaryDirectory() as root:
        with open(os.path.join(root, "a.txt"), "w") as f:
            f.write("hello\n")
        server = make_server(env={"FIXPOINT_TEST_RUNNER": "edit"})
        server.initialize(root=root, capabilities={"workspace": {"applyEdit": True, "workspaceEdit": {"documentChanges": True}}})
        rid = server.request("workspace/executeCommand", {"command": "fixpoint.fixIssue", "arguments": [{"issue": "x", "testCommand": "true"}]})
        edits = []

        def answer(request):
            if request["method"] == "workspace/applyEdit":
                edits.append(request["params"])
                return {"applied": True}
            return None

        result = server.response(rid, answer=answer)["result"]
        assert result["status"] == "verified"
        assert edits[0]["edit"]["changeAnnotations"]["fixpoint.fix"]["needsConfirmation"] is True
        change = edits[0]["edit"]["documentChanges"][0]
        assert change["edits"][0]["newText"] == "fixed\n"
        assert change["edits"][0]["range"]["start"] == {"line": 1, "character": 0}
        server.response(server.request("shutdown"))
        server.notify("exit")
        assert server.wait_exit() == 0
        time.sleep(0.1)
        assert b"stray output" not in server.raw_stdout
        assert any("stray output" in line for line in server.stderr)
