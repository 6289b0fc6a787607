#!/usr/bin/env python3
"""A scripted OpenAI-compatible model server that answers like llama-server, for editor tests.

It serves /health, /v1/models, /props and /v1/chat/completions (streamed as Server-Sent Events over
chunked HTTP/1.1, or as one JSON body), replaying a list of turns in order. A turn is a JSON object:

  {"tool_calls": [{"name": "edit_file", "arguments": {...}}], "content": "...", "delay_s": 0.5}
  {"hang": true}     start streaming, then send only SSE comments until the client goes away

Run it by hand (prints the base URL, e.g. http://127.0.0.1:41234/v1, and serves until killed):

  python3 editors/tests/scripted_model.py --turns fix-python-bug [--url-file F]

or use ScriptedModel(turns) from Python. It binds 127.0.0.1 on an ephemeral port.
"""
import argparse
import http.server
import json
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# Named scripts for the bundled fixtures/python-bug repository.
SCRIPTS = {
    # Look, fix, check, submit: a short run with a few visible steps.
    "fix-python-bug": [
        {"tool_calls": [{"name": "read_file", "arguments": {"path": "numbers_util.py"}}]},
        {"tool_calls": [{"name": "edit_file", "arguments": {
            "path": "numbers_util.py", "old_text": "return n % 2 == 1", "new_text": "return n % 2 == 0"}}]},
        {"tool_calls": [{"name": "run_tests", "arguments": {}}]},
        {"tool_calls": [{"name": "submit", "arguments": {"summary": "is_even compared the remainder with 1"}}]},
    ],
    # The model never finishes its first answer: the run can only end by being cancelled.
    "hang": [{"hang": True}],
}


def chunk(delta, finish=None):
    return {"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": "scripted-model", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def usage(prompt_tokens):
    return {"prompt_tokens": prompt_tokens, "completion_tokens": 24, "total_tokens": prompt_tokens + 24,
            "prompt_tokens_details": {"cached_tokens": max(0, prompt_tokens - 200)}}


class ScriptedModel:
    """The server on its own thread; `url` is the OpenAI base URL (…/v1)."""

    def __init__(self, turns, delay_s=0.0, request_log=None):
        self.turns = list(turns)
        self.request_log = request_log  # a file that gets one line per chat request, for tests to wait on
        self.delay_s = delay_s
        self.chat_requests = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        model = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path == "/health":
                    self.send_json({"status": "ok"})
                elif self.path == "/v1/models":
                    self.send_json({"object": "list", "data": [{"id": "scripted-model", "object": "model"}]})
                elif self.path == "/props":
                    self.send_json({"default_generation_settings": {"n_ctx": 32768}, "total_slots": 1})
                else:
                    self.send_json({"error": {"code": 404, "message": "File Not Found"}}, 404)

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if self.path != "/v1/chat/completions":
                    return self.send_json({"error": {"code": 404, "message": "File Not Found"}}, 404)
                with model.lock:
                    index = model.chat_requests
                    model.chat_requests += 1
                    if model.request_log:
                        with open(model.request_log, "a") as log:
                            log.write(f"chat request {index + 1}\n")
                if index >= len(model.turns):
                    return self.send_json({"error": {"code": 400, "message": f"no more scripted turns ({len(model.turns)})"}}, 400)
                turn = model.turns[index]
                prompt_tokens = 400 + 150 * index
                if body.get("stream"):
                    self.stream(turn, index, prompt_tokens)
                else:
                    self.send_json(self.completion(turn, index, prompt_tokens))

            def send_json(self, value, status=200):
                data = json.dumps(value).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def completion(self, turn, index, prompt_tokens):
                calls = tool_calls(turn, index)
                message = {"role": "assistant", "content": turn.get("content")}
                if calls:
                    message["tool_calls"] = calls
                return {"id": "chatcmpl-scripted", "object": "chat.completion", "created": int(time.time()),
                        "model": "scripted-model", "usage": usage(prompt_tokens),
                        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if calls else "stop"}]}

            def send_chunk(self, data):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()

            def event(self, payload):
                self.send_chunk(b"data: " + json.dumps(payload).encode() + b"\n\n")

            def stream(self, turn, index, prompt_tokens):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    self.event(chunk({"role": "assistant", "content": ""}))
                    if turn.get("hang"):
                        # Like a server busy on a long prompt: alive, but nothing useful, until the client hangs up.
                        while not model.stopping.wait(0.2):
                            self.send_chunk(b": ping\n\n")
                        return
                    delay = turn.get("delay_s", model.delay_s)
                    if delay:
                        time.sleep(delay)
                    if turn.get("content"):
                        self.event(chunk({"content": turn["content"]}))
                    calls = tool_calls(turn, index)
                    for i, call in enumerate(calls):
                        self.event(chunk({"tool_calls": [{"index": i, "id": call["id"], "type": "function",
                                                          "function": {"name": call["function"]["name"], "arguments": ""}}]}))
                        self.event(chunk({"tool_calls": [{"index": i, "function": {"arguments": call["function"]["arguments"]}}]}))
                    self.event(chunk({}, "tool_calls" if calls else "stop"))
                    self.event({"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": int(time.time()),
                                "model": "scripted-model", "choices": [], "usage": usage(prompt_tokens)})
                    self.send_chunk(b"data: [DONE]\n\n")
                    self.send_chunk(b"")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client cancelled

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d/v1" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def tool_calls(turn, index):
    return [{"id": f"call_{index}_{i}", "type": "function",
             "function": {"name": c["name"], "arguments": json.dumps(c.get("arguments", {}))}}
            for i, c in enumerate(turn.get("tool_calls", []))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", default="fix-python-bug", help=f"a named script ({', '.join(SCRIPTS)}) or a JSON file")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer (to watch a run)")
    parser.add_argument("--url-file", help="write the base URL here once listening")
    args = parser.parse_args()
    turns = SCRIPTS.get(args.turns)
    if turns is None:
        with open(args.turns) as f:
            turns = json.load(f)
    model = ScriptedModel(turns, delay_s=args.delay)
    if args.url_file:
        with open(args.url_file + ".tmp", "w") as f:
            f.write(model.url + "\n")
        os.replace(args.url_file + ".tmp", args.url_file)
    print(model.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        model.stop()


if __name__ == "__main__":
    sys.exit(main())
