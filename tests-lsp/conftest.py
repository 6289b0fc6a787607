"""Out-of-process tests: the built language server driven over real pipes, byte by byte.

The server command comes from FIXPOINT_LSP_SERVER (split like a shell would), default: the scripted
test server that `swift build` puts at .build/debug/FixpointLSPTestServer. Tests that need a scripted
agent run (FIXPOINT_TEST_RUNNER) are skipped for other servers.
"""
import json
import os
import queue
import shlex
import subprocess
import threading
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SERVER = os.path.join(ROOT, ".build", "debug", "FixpointLSPTestServer")


def server_command():
    configured = os.environ.get("FIXPOINT_LSP_SERVER")
    return shlex.split(configured) if configured else [DEFAULT_SERVER]


def is_test_server():
    return "FIXPOINT_LSP_SERVER" not in os.environ


def frame(obj):
    body = json.dumps(obj).encode() if not isinstance(obj, (bytes, bytearray)) else bytes(obj)
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Server:
    """One server process with a reader thread that splits its stdout into JSON messages."""

    def __init__(self, env=None, cwd=None):
        command = server_command()
        if not os.path.exists(command[0]) and os.sep in command[0]:
            pytest.fail(f"{command[0]} does not exist: run `swift build --product FixpointLSPTestServer` first")
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})}, cwd=cwd,
        )
        self.messages = queue.Queue()
        self.stderr = []
        self.raw_stdout = bytearray()
        self.stream_error = None
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self.next_id = 1

    def _read_stdout(self):
        buffer = b""
        out = self.proc.stdout
        while True:
            try:
                chunk = os.read(out.fileno(), 65536)
            except (OSError, ValueError):  # a test closed our end on purpose
                chunk = b""
            if not chunk:
                self.messages.put(None)
                return
            self.raw_stdout += chunk
            buffer += chunk
            while b"\r\n\r\n" in buffer:
                header, rest = buffer.split(b"\r\n\r\n", 1)
                fields = dict(line.split(b":", 1) for line in header.split(b"\r\n"))
                try:
                    length = int(fields[b"Content-Length"].strip())
                except (KeyError, ValueError):
                    self.stream_error = f"bad header from server: {header!r}"
                    self.messages.put(None)
                    return
                if len(rest) < length:
                    break
                body, buffer = rest[:length], rest[length:]
                try:
                    self.messages.put(json.loads(body))
                except ValueError:
                    self.stream_error = f"server sent invalid JSON: {body!r}"
                    self.messages.put(None)
                    return

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line.decode(errors="replace"))

    def send_bytes(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, obj):
        self.send_bytes(frame(obj))

    def request(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return rid

    def notify(self, method, params=None):
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def next_message(self, timeout=10):
        try:
            message = self.messages.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no message from the server within {timeout}s; stderr: {''.join(self.stderr)}")
        assert self.stream_error is None, self.stream_error
        return message

    def wait_for(self, predicate, timeout=10, answer=None):
        """Reads messages until one matches; `answer(message)` replies to server requests on the way."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"timed out; stderr: {''.join(self.stderr)}"
            message = self.next_message(left)
            assert message is not None, f"the server closed its output; stderr: {''.join(self.stderr)}"
            if "method" in message and "id" in message:
                result = answer(message) if answer else None
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            if predicate(message):
                return message

    def response(self, rid, timeout=10, answer=None):
        return self.wait_for(lambda m: "method" not in m and m.get("id") == rid, timeout, answer)

    def initialize(self, root=None, capabilities=None):
        params = {"processId": None, "capabilities": capabilities or {}}
        if root:
            params["workspaceFolders"] = [{"uri": "file://" + root, "name": "root"}]
        result = self.response(self.request("initialize", params))
        assert "result" in result, result
        self.notify("initialized", {})
        return result["result"]

    def close_stdin(self):
        self.proc.stdin.close()

    def wait_exit(self, timeout=10):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError(f"the server did not exit within {timeout}s; stderr: {''.join(self.stderr)}")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.kill()


@pytest.fixture
def make_server():
    started = []

    def make(**kwargs):
        s = Server(**kwargs)
        started.append(s)
        return s

    yield make
    for s in started:
        s.kill()
