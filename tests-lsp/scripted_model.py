"""A scripted OpenAI-compatible model server for the pipe-level tests: /health, /v1/models, /props as
llama-server answers them, and streamed chat completions that answer one tool call per request from a
list of turns; past the last turn a request hangs until the client goes away."""

import http.server
import json
import select
import threading


def tool_call(call_id, name, arguments):
    return {"index": 0, "id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}


class TurnModel(http.server.ThreadingHTTPServer):
    """Answers chat requests with `turns` in order (one tool call each, streamed); past the last turn a
    request hangs until the client goes away. Keeps each request's messages."""

    daemon_threads = True

    def __init__(self, turns):
        self.turns = turns
        self.requests = []
        self.hanging = threading.Event()
        super().__init__(("127.0.0.1", 0), _Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _json(self, obj):
        body = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/health":
            self._json({"status": "ok"})
        elif self.path == "/v1/models":
            self._json({"object": "list", "data": [{"id": "scripted", "object": "model"}]})
        elif self.path == "/props":
            self._json({"default_generation_settings": {"n_ctx": 16384}, "total_slots": 1})
        else:
            self.send_error(404)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        model = self.server
        model.requests.append(body["messages"])
        number = len(model.requests) - 1
        if number < len(model.turns):
            chunks = [{"choices": [{"index": 0, "delta": {"role": "assistant", "tool_calls": [model.turns[number]]}, "finish_reason": None}]},
                      {"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]}]
            payload = b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in chunks) + b"data: [DONE]\n\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        model.hanging.set()
        while True:
            readable, _, _ = select.select([self.connection], [], [], 0.1)
            try:
                if readable and not self.connection.recv(1):
                    return
            except ConnectionError:
                return  # the client was killed
