#!/usr/bin/env python3
"""How long an abandoned request keeps the embedded llama-server busy, by batch size (`-b`).

For each batch size: start llama-server (the one `scripts/setup` built, the default model, one
slot), send a long prompt and close the connection after 3 s (what a run's time limit or a
cancelled edit does), then time a one-token request; also the prompt speed on a fresh 5,600-token
prompt, so a smaller batch is not bought with slower prompts. docs/performance.md, "Cancelling a
request".

    python3 Benchmarks/ServerCancel/cancel_latency.py [--batches 2048,512] [--port 8097]
"""
import argparse, glob, json, os, random, socket, subprocess, time, urllib.request

CACHE = os.path.expanduser("~/.cache/fixpoint")


def post(port, body, timeout=900):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request, timeout=timeout))


def wait_healthy(port, process):
    for _ in range(240):
        if process.poll() is not None:
            raise SystemExit(f"llama-server exited with {process.returncode}")
        try:
            if json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2)).get("status") == "ok":
                return
        except Exception:
            pass
        time.sleep(0.5)
    raise SystemExit("llama-server did not become healthy")


def abandoned_then_next(port):
    words = " ".join(f"word{i}" for i in range(3000))
    body = json.dumps({"messages": [{"role": "user", "content": "Summarize: " + words}], "max_tokens": 50, "stream": True}).encode()
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       b"Content-Length: %d\r\n\r\n" % len(body) + body)
    time.sleep(3)
    connection.close()
    started = time.time()
    post(port, {"messages": [{"role": "user", "content": "Say hi"}], "max_tokens": 1})
    return time.time() - started


def prompt_speed(port):
    tag = random.random()
    items = " ".join(f"item{i}x{tag}" for i in range(250))
    timings = post(port, {"messages": [{"role": "user", "content": "Count: " + items}], "max_tokens": 1})["timings"]
    return timings["prompt_n"], timings["prompt_per_second"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", default="2048,512")
    parser.add_argument("--port", type=int, default=8097)
    args = parser.parse_args()
    binary = f"{CACHE}/llama-server/current/bin/llama-server"
    model = sorted(glob.glob(f"{CACHE}/models/qwen2.5-coder-1.5b*.gguf"))[0]
    print("| -b | next request after an abandoned one, s | prompt tokens | prompt tok/s |")
    print("|---:|---:|---:|---:|")
    for batch in [int(b) for b in args.batches.split(",")]:
        env = dict(os.environ, LD_LIBRARY_PATH=os.path.dirname(binary))
        process = subprocess.Popen([binary, "-m", model, "--host", "127.0.0.1", "--port", str(args.port), "--jinja",
                                    "-c", "16384", "-np", "1", "-b", str(batch), "--no-webui"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        try:
            wait_healthy(args.port, process)
            waited = abandoned_then_next(args.port)
            tokens, speed = prompt_speed(args.port)
            print(f"| {batch} | {waited:.1f} | {tokens} | {speed:.1f} |", flush=True)
        finally:
            process.terminate()
            process.wait()


if __name__ == "__main__":
    main()
