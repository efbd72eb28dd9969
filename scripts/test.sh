#!/usr/bin/env bash
# Runs every test of canhbao: installs missing test tools, then the Rust unit and integration
# tests (which include the W3C HTML check of the example site and the print tests), then the
# browser tests when present.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
cargo test --all-targets
if [ -d tests/browser ]; then
  npm test
fi
