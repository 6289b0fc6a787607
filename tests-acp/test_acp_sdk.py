"""`fixpoint acp` driven by a real ACP client: the `agent-client-protocol` Python SDK.

Skipped when the SDK is not installed: `scripts/setup --only python` installs it into the test venv.
"""
import asyncio
import json
import os
import queue
import subprocess
import tempfile
import threading
import time

import pytest

acp = pytest.importorskip("acp")
from acp import PROTOCOL_VERSION, Client, RequestError, text_block  # noqa: E402
from acp.schema import (  # noqa: E402
    AllowedOutcome,
    ClientCapabilities,
    FileSystemCapabilities,
    RequestPermissionResponse,
)
from acp.stdio import spawn_agent_process  # noqa: E402

from conftest import BUGGY, FIXED, FIXING_TURNS, ScriptedModel, agent_command, git_status  # noqa: E402


class RecordingClient(Client):
    """Records every session/update and answers permission requests with `choice`."""

    def __init__(self, choice="allow_once"):
        self.updates = []
        self.permissions = []
        self.choice = choice

    async def session_update(self, session_id, update, **kwargs):
        self.updates.append(update)

    async def request_permission(self, session_id, tool_call, options, **kwargs):
        self.permissions.append((tool_call, options))
        return RequestPermissionResponse(outcome=AllowedOutcome(outcome="selected", option_id=self.choice))

    def of(self, kind):
        return [u for u in self.updates if u.session_update == kind]

    def message_text(self):
        return "".join(u.content.text for u in self.of("agent_message_chunk"))


async def session(client, model, repository, *extra):
    """Starts `fixpoint acp` on `model`, initializes, opens a session in `repository`."""
    command = agent_command()
    log = tempfile.TemporaryFile()
    context = spawn_agent_process(
        lambda agent: client, command[0], *command[1:], "--model-url", model.url, "--test-cmd", "sh test.sh", *extra,
        env=dict(os.environ), transport_kwargs={"stderr": log},
    )
    conn, process = await context.__aenter__()
    init = await conn.initialize(protocol_version=PROTOCOL_VERSION, client_capabilities=ClientCapabilities(
        fs=FileSystemCapabilities(read_text_file=False, write_text_file=False)))
    assert init.protocol_version == 1
    assert init.auth_methods == []
    created = await conn.new_session(cwd=repository, mcp_servers=[])
    assert created.modes.current_mode_id == "ask"
    return context, conn, created.session_id


def test_a_full_turn_ends_verified_with_tool_calls_and_a_diff(repository):
    model = ScriptedModel(FIXING_TURNS)
    client = RecordingClient("allow_once")

    async def scenario():
        context, conn, sid = await session(client, model, repository)
        try:
            answer = await asyncio.wait_for(conn.prompt(session_id=sid, prompt=[text_block("add(2, 3) returns -1")]), 120)
            assert answer.stop_reason == "end_turn"
        finally:
            await context.__aexit__(None, None, None)

    try:
        asyncio.run(scenario())
    finally:
        model.stop()
    edit_calls = [u for u in client.of("tool_call") if u.kind == "edit" and u.tool_call_id.startswith("t0-")]
    assert edit_calls, [u.session_update for u in client.updates]
    call_id = edit_calls[0].tool_call_id
    statuses = [u.status for u in client.updates if getattr(u, "tool_call_id", None) == call_id]
    assert statuses == ["pending", "in_progress", "completed"]
    done = [u for u in client.of("tool_call_update") if u.tool_call_id == call_id and u.status == "completed"][0]
    diffs = [c for c in done.content if c.type == "diff"]
    assert diffs and diffs[0].path == os.path.join(repository, "calc.py")
    assert diffs[0].old_text == BUGGY and diffs[0].new_text == FIXED
    assert client.of("plan") and len(client.of("plan")[-1].entries) == 4
    assert any(u.content.text == "add subtracts" for u in client.of("agent_thought_chunk"))
    text = client.message_text()
    assert "Verified fix" in text and "passed (exit 0)" in text
    assert len(client.permissions) == 1
    assert [o.kind for o in client.permissions[0][1]] == ["allow_once", "reject_once"]
    with open(os.path.join(repository, "calc.py")) as f:
        assert f.read() == FIXED


def test_a_rejected_permission_leaves_the_repository_untouched(repository):
    model = ScriptedModel(FIXING_TURNS)
    client = RecordingClient("reject_once")

    async def scenario():
        context, conn, sid = await session(client, model, repository)
        try:
            answer = await asyncio.wait_for(conn.prompt(session_id=sid, prompt=[text_block("add subtracts")]), 120)
            assert answer.stop_reason == "end_turn"
        finally:
            await context.__aexit__(None, None, None)

    try:
        asyncio.run(scenario())
    finally:
        model.stop()
    assert len(client.permissions) == 1
    assert "Verified fix" in client.message_text()
    with open(os.path.join(repository, "calc.py")) as f:
        assert f.read() == BUGGY
    assert git_status(repository) == ""


def test_cancel_mid_run_stops_within_a_second(repository):
    model = ScriptedModel(FIXING_TURNS, hold=True)  # the model is still thinking when the user cancels
    client = RecordingClient()
    timings = {}

    async def scenario():
        context, conn, sid = await session(client, model, repository)
        try:
            turn = asyncio.ensure_future(conn.prompt(session_id=sid, prompt=[text_block("add subtracts")]))
            assert await asyncio.to_thread(model.asked.wait, 60), "the agent never asked the model"
            started = time.monotonic()
            await conn.cancel(session_id=sid)
            answer = await asyncio.wait_for(turn, 10)
            timings["cancel"] = time.monotonic() - started
            assert answer.stop_reason == "cancelled"
            # The connection stays up: the session takes requests again.
            await conn.set_session_mode(session_id=sid, mode_id="auto-apply")
        finally:
            await context.__aexit__(None, None, None)

    try:
        asyncio.run(scenario())
    finally:
        model.stop()
    print(f"cancel answered after {timings['cancel']:.3f} s")
    assert timings["cancel"] < 1.0, timings
    assert client.permissions == []
    with open(os.path.join(repository, "calc.py")) as f:
        assert f.read() == BUGGY


def test_bad_input_gets_json_rpc_errors_and_the_connection_stays_up(repository):
    """Raw lines on the pipe: what a broken client could send."""
    model = ScriptedModel([], hold=True)
    command = agent_command()
    proc = subprocess.Popen(command + ["--model-url", model.url, "--test-cmd", "sh test.sh"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()

    def send(raw):
        proc.stdin.write(raw if isinstance(raw, bytes) else (json.dumps(raw) + "\n").encode())
        proc.stdin.flush()

    def answer(request_id):
        while True:
            message = json.loads(lines.get(timeout=20))  # every line must be one JSON message
            if message.get("id") == request_id and "method" not in message:
                return message

    try:
        send(b"{this is not json\n")
        assert answer(None)["error"]["code"] == -32700
        send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": 1}})
        assert answer(1)["result"]["protocolVersion"] == 1
        send({"jsonrpc": "2.0", "id": 2, "method": "session/fly", "params": {}})
        assert answer(2)["error"]["code"] == -32601
        send({"jsonrpc": "2.0", "id": 3, "method": "session/prompt",
              "params": {"sessionId": "nope", "prompt": [{"type": "text", "text": "x"}]}})
        assert answer(3)["error"]["code"] == -32602
        send({"jsonrpc": "2.0", "id": 4, "method": "session/new", "params": {"cwd": repository, "mcpServers": []}})
        sid = answer(4)["result"]["sessionId"]
        send({"jsonrpc": "2.0", "id": 5, "method": "session/prompt",
              "params": {"sessionId": sid, "prompt": [{"type": "text", "text": "add subtracts"}]}})
        assert model.asked.wait(60)
        send({"jsonrpc": "2.0", "id": 6, "method": "session/prompt",
              "params": {"sessionId": sid, "prompt": [{"type": "text", "text": "again"}]}})
        assert answer(6)["error"]["code"] == -32600
        send({"jsonrpc": "2.0", "method": "session/cancel", "params": {"sessionId": sid}})
        assert answer(5)["result"]["stopReason"] == "cancelled"
        send({"jsonrpc": "2.0", "id": 7, "method": "authenticate", "params": {"methodId": "none"}})
        assert answer(7)["result"] == {}
    finally:
        proc.stdin.close()
        assert proc.wait(timeout=20) == 0
        model.stop()
