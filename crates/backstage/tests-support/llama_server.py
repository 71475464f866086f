#!/usr/bin/env python3
"""Starts a real llama.cpp server (PyPI xllamacpp) on 127.0.0.1 for shopcast's LLM protocol test.

Usage: llama_server.py --model PATH [--port N] [--threads N] [--ctx N]

Prints one line, `READY <port>`, once /health answers {"status":"ok"}, then serves until stdin closes or the
process is killed (the Rust test kills it when its guard drops). Exit code 3 means xllamacpp is not installed,
4 that the model file is missing, 5 that the server did not become healthy: the test maps those to a loud skip
(or a failure under CI=true).
"""

import argparse
import json
import os
import socket
import sys
import threading
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--ctx", type=int, default=2048)
    args = parser.parse_args()

    try:
        import xllamacpp
    except ImportError as e:
        print(f"MISSING xllamacpp: {e}", flush=True)
        return 3
    if not os.path.isfile(args.model):
        print(f"MISSING model file {args.model}", flush=True)
        return 4

    port = args.port or free_port()
    params = xllamacpp.CommonParams()
    params.model.path = args.model
    params.n_ctx = args.ctx
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    server = xllamacpp.Server(params)  # noqa: F841 - keeps the server alive

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                if json.load(r).get("status") == "ok":
                    break
        except Exception:
            pass
        time.sleep(0.1)
    else:
        print("UNHEALTHY", flush=True)
        return 5

    print(f"READY {port}", flush=True)
    # Serve until the parent closes our stdin (or kills us).
    done = threading.Event()

    def watch_stdin() -> None:
        try:
            sys.stdin.read()
        finally:
            done.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    done.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
