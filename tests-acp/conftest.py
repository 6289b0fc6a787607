"""Out-of-process tests of `fixpoint acp`, driven by the Agent Client Protocol's own Python SDK
(PyPI `agent-client-protocol`): the real binary over real pipes, the real agent, and a scripted
OpenAI-compatible model server on 127.0.0.1 (an ephemeral port) in place of llama-server.

The agent command comes from FIXPOINT_ACP_AGENT (split like a shell would), default:
.build/debug/fixpoint acp.
"""
import json
import os
import shlex
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def agent_command():
    configured = os.environ.get("FIXPOINT_ACP_AGENT")
    command = shlex.split(configured) if configured else [os.path.join(ROOT, ".build", "debug", "fixpoint"), "acp"]
    if os.sep in command[0] and not os.path.exists(command[0]):
        pytest.fail(f"{command[0]} does not exist: run `swift build` first")
    return command


class ScriptedModel:
    """An OpenAI-compatible chat server that plays `turns` in order, streamed as llama-server does.

    A turn is a dict: content, reasoning, tool_calls [(id, name, arguments dict)]. `hold` makes every
    chat request wait until released (or 60 s): a model that is still thinking.
    """

    def __init__(self, turns, hold=False):
        self.turns = list(turns)
        self.requests = []
        self.asked = threading.Event()
        self.release = threading.Event()
        if not hold:
            self.release.set()
        model = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path == "/health":
                    self.send_json({"status": "ok"})
                elif self.path == "/v1/models":
                    self.send_json({"object": "list", "data": [{"id": "scripted", "object": "model"}]})
                elif self.path == "/props":
                    self.send_json({"default_generation_settings": {"n_ctx": 32768}, "total_slots": 1})
                else:
                    self.send_error(404)

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                model.requests.append(body)
                model.asked.set()
                model.release.wait(60)
                if not model.turns:
                    self.send_json({"error": {"message": "no more scripted turns"}}, status=400)
                    return
                chunks = model.chunks(model.turns.pop(0))
                if not body.get("stream"):
                    self.send_json(model.completion(chunks))
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for chunk in chunks:
                    self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
                self.wfile.write(b"data: [DONE]\n\n")

            def send_json(self, value, status=200):
                data = json.dumps(value).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @staticmethod
    def chunks(turn):
        def chunk(delta, finish=None):
            return {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "scripted",
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        out = [chunk({"role": "assistant", "content": ""})]
        if turn.get("reasoning"):
            out.append(chunk({"reasoning_content": turn["reasoning"]}))
        if turn.get("content"):
            out.append(chunk({"content": turn["content"]}))
        calls = turn.get("tool_calls", [])
        for index, (call_id, name, arguments) in enumerate(calls):
            out.append(chunk({"tool_calls": [{"index": index, "id": call_id, "type": "function",
                                              "function": {"name": name, "arguments": json.dumps(arguments)}}]}))
        out.append(chunk({}, "tool_calls" if calls else "stop"))
        out.append({"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "scripted", "choices": [],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}})
        return out

    @staticmethod
    def completion(chunks):
        message = {"role": "assistant", "content": "", "tool_calls": []}
        for chunk in chunks:
            for choice in chunk["choices"]:
                delta = choice["delta"]
                message["content"] += delta.get("content") or ""
                message["tool_calls"] += delta.get("tool_calls", [])
        finish = "tool_calls" if message["tool_calls"] else "stop"
        return {"id": "c", "object": "chat.completion", "created": 1, "model": "scripted",
                "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}

    def stop(self):
        self.release.set()
        self.server.shutdown()


BUGGY = "def add(a, b):\n    return a - b\n"
FIXED = "def add(a, b):\n    return a + b\n"

FIXING_TURNS = [
    {"reasoning": "add subtracts", "content": "The sign is wrong.",
     "tool_calls": [("c1", "edit_file", {"path": "calc.py", "old_text": "a - b", "new_text": "a + b"})]},
    {"tool_calls": [("c2", "submit", {"summary": "add adds"})]},
]


@pytest.fixture
def repository():
    """A git repository with a bug and a test that shows it; removed afterwards."""
    path = os.path.realpath(tempfile.mkdtemp(prefix="fixpoint-acp-"))
    with open(os.path.join(path, "calc.py"), "w") as f:
        f.write(BUGGY)
    with open(os.path.join(path, "test.sh"), "w") as f:
        f.write("python3 -c 'from calc import add; assert add(2, 3) == 5'\n")
    subprocess.run("git init -q && git add -A && git -c user.name=t -c user.email=t@e commit -qm base",
                   shell=True, cwd=path, check=True)
    yield path
    subprocess.run(["rm", "-rf", path], check=False)


def git_status(path):
    return subprocess.run(["git", "status", "--porcelain"], cwd=path, capture_output=True, text=True, check=True).stdout


def wait_for(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False
