#!/usr/bin/env bash
# The test suite: installs the native libraries when missing, then runs every Swift test.
# Optimised, as users run the engine (the allocation-free-step test needs it), with -enable-testing
# so tests may use @testable imports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --build-tests -Xswiftc -enable-testing
swift test -c release -Xswiftc -enable-testing --skip-build --disable-swift-testing
