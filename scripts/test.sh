#!/usr/bin/env bash
# The test suite: installs the native libraries when missing, then runs every Swift test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build --disable-swift-testing
