#!/usr/bin/env bash
# Installs the Debian packages XNN-Swift builds against, when any is missing:
# OpenBLAS (CBLAS), oneDNN (its SGEMM computes the engine's products), HDF5 (C API), libpng,
# and pkg-config to locate them.
set -euo pipefail
packages=(libopenblas-dev libdnnl-dev libhdf5-dev libpng-dev pkg-config)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
    echo "setup: ${packages[*]} already installed" >&2
    exit 0
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done" >&2
