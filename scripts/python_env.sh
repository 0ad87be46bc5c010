#!/usr/bin/env bash
# Creates (idempotently) the Python virtual environment `.venv` in the repository root that the
# quality benchmark's data scripts and report use (scripts/make_planted_data.py,
# scripts/make_crops_data.py, scripts/quality_report.py), with pinned packages from PyPI.
# `--peers` adds the speed peers of `xnn bench` (scripts/torch_reference.py,
# scripts/jax_reference.py): PyTorch's CPU wheel and JAX, also pinned. `--torch` adds PyTorch
# alone (the heatmaps of scripts/concept_heatmaps.py, which the quickstart makes).
# Each set has a stamp file inside .venv holding the requirement list last installed: when it
# matches, nothing is done, so re-running is instant. Prints one line to stderr per set.
#
#   bash scripts/python_env.sh            # then: .venv/bin/python scripts/make_planted_data.py ...
#   bash scripts/python_env.sh --peers    # also torch and jax, for xnn bench and the peer tests
#   PYTHON=python3.12 bash scripts/python_env.sh   # another interpreter (3.11 or newer)
set -euo pipefail
cd "$(dirname "$0")/.."

base=(
    numpy==2.4.6
    h5py==3.16.0
    scipy==1.17.1
    scikit-learn==1.9.1
    matplotlib==3.11.2
    pyyaml==6.0.4
)
# torch's +cpu wheel comes from the PyTorch CPU index or a local wheel folder (pip's find-links).
peers=(
    torch==2.13.0+cpu
    jax==0.10.2
    jaxlib==0.10.2
)
venv=.venv

case "${1:-}" in
    "") want_peers=0 ;;
    --peers) want_peers=1 ;;
    --torch) want_peers=0; want_torch=1 ;;
    *) echo "python_env: unknown option '$1' (expected nothing, --peers or --torch)" >&2; exit 2 ;;
esac

# install NAME STAMP PACKAGE...: installs the packages unless STAMP already lists exactly them.
install() {
    local name=$1 stamp="$venv/$2"
    shift 2
    local wanted
    wanted=$(printf '%s\n' "$@")
    if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
        echo "python_env: $name in $venv up to date ($*)" >&2
        return 0
    fi
    local action="updated"
    if [[ ! -x "$venv/bin/python" ]]; then
        "${PYTHON:-python3}" -m venv "$venv"
        action="created"
    fi
    local log
    log=$(mktemp)
    rm -f "$stamp"  # a failed install must not leave an old stamp claiming success
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q "$@" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "python_env: pip install of the $name failed (see above); $venv left without its $name stamp" >&2
        return 1
    fi
    rm -f "$log"
    printf '%s\n' "$wanted" >"$stamp"
    echo "python_env: $action $venv with the $name: $*" >&2
}

install "base packages" .xnn-requirements "${base[@]}"
if ((want_peers)); then
    install "benchmark peers" .xnn-peers "${peers[@]}"
elif ((${want_torch:-0})) && ! "$venv/bin/python" -c "import torch" 2>/dev/null; then
    install "PyTorch CPU wheel" .xnn-torch "${peers[0]}"
fi
