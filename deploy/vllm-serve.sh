#!/usr/bin/env bash
# Start a vLLM OpenAI-compatible server for ncreport's `openai` backend, in its own virtualenv.
#
# vLLM cannot share the service's environment: it pins its own torch, transformers and FastAPI
# (shared/research/feasibility.md §6). This script creates /opt/ncreport-vllm (or $VLLM_VENV) once,
# installs vLLM there, and serves one model on GPUs.
#
#   deploy/vllm-serve.sh MODEL [--tp N] [--port 8000] [--max-seqs 64] [--served-name clinical-llm]
#
# Models a site would choose (instruction-tuned, licence permitting local clinical use), e.g.
#   Qwen/Qwen2.5-7B-Instruct (1 GPU), meta-llama/Llama-3.1-8B-Instruct (1 GPU),
#   Qwen/Qwen2.5-72B-Instruct-AWQ or meta-llama/Llama-3.3-70B-Instruct (--tp 2..8).
# The weights must already be on local disk or in the site's model mirror: set HF_HUB_OFFLINE=1
# once they are, so nothing leaves the hospital network at run time.
# Then:  ncreport draft study.json --llm openai --llm-url http://HOST:PORT/v1 --llm-model clinical-llm
set -euo pipefail

model="${1:?usage: $0 MODEL [--tp N] [--port P] [--max-seqs N] [--served-name NAME]}"; shift
tp=1; port=8000; max_seqs=64; name=clinical-llm; host=127.0.0.1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --tp) tp="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        --max-seqs) max_seqs="$2"; shift 2 ;;
        --served-name) name="$2"; shift 2 ;;
        --host) host="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

venv="${VLLM_VENV:-/opt/ncreport-vllm}"
if [[ ! -x "$venv/bin/vllm" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --upgrade pip
    "$venv/bin/pip" install "vllm${VLLM_VERSION:+==$VLLM_VERSION}"
fi

# Deterministic serving for reports: greedy decoding is requested per call by ncreport
# (temperature 0, fixed seed); --max-num-seqs bounds concurrent drafts per engine;
# tensor parallelism spreads one model over --tp GPUs. Bind to loopback unless a reverse proxy
# with authentication fronts it (--host).
exec "$venv/bin/vllm" serve "$model" \
    --served-model-name "$name" \
    --host "$host" --port "$port" \
    --tensor-parallel-size "$tp" \
    --max-num-seqs "$max_seqs" \
    --max-model-len 4096 \
    --gpu-memory-utilization 0.90 \
    --seed 0
