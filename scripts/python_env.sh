#!/usr/bin/env bash
# Creates (idempotently) the Python virtual environment `.venv` in the repository root that the
# quality benchmark's data scripts and report use (scripts/make_planted_data.py,
# scripts/make_crops_data.py, scripts/quality_report.py), with pinned packages from PyPI.
# A stamp file inside .venv holds the requirement list last installed: when it matches, nothing
# is done, so re-running is instant. Prints one line to stderr about what it did.
#
#   bash scripts/python_env.sh            # then: .venv/bin/python scripts/make_planted_data.py ...
#   PYTHON=python3.12 bash scripts/python_env.sh   # another interpreter (3.11 or newer)
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=(
    numpy==2.4.6
    h5py==3.16.0
    scipy==1.17.1
    scikit-learn==1.9.1
    matplotlib==3.11.2
    pyyaml==6.0.4
)
venv=.venv
stamp="$venv/.xnn-requirements"
wanted=$(printf '%s\n' "${requirements[@]}")

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
    echo "python_env: $venv up to date (${requirements[*]})" >&2
    exit 0
fi

action="updated"
if [[ ! -x "$venv/bin/python" ]]; then
    "${PYTHON:-python3}" -m venv "$venv"
    action="created"
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q "${requirements[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    echo "python_env: pip install failed (see above); $venv left without a stamp" >&2
    exit 1
fi
printf '%s\n' "$wanted" >"$stamp"
echo "python_env: $action $venv with ${requirements[*]}" >&2
