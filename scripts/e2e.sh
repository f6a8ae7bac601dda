#!/usr/bin/env bash
# The real app end to end (ui/tests/e2e): each run gets its own X display (xvfb-run) and its own
# session bus (dbus-run-session), so a notification daemon and the keychain fallback behave as on
# a fresh desktop. Needs the workspace's binaries (cargo build --workspace --bins) and ui/dist.
#   scripts/e2e.sh                 the end-to-end tests (ui/tests/e2e/*.e2e.mjs)
#   scripts/e2e.sh SCRIPT.mjs      another script in the same setting (e.g. the screenshots)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
lodestar_prepare
ensure_ui_deps
ensure_tauri_driver
cargo build --workspace --bins
export LODESTAR_BIN_DIR="$CARGO_TARGET_DIR/debug"
if [ $# -gt 0 ]; then
	command=(node "$@")
else
	# A test that hangs (a frozen window) fails after 4 minutes, and the whole run ends after 25
	# rather than holding CI to its limit.
	command=(timeout --kill-after=30 1500 node --test --test-concurrency=1 --test-timeout=240000 --test-reporter=spec ui/tests/e2e/app.e2e.mjs ui/tests/e2e/safety.e2e.mjs ui/tests/e2e/richer.e2e.mjs ui/tests/e2e/desktop.e2e.mjs ui/tests/e2e/keyboard.e2e.mjs)
fi
on_fresh_desktop "${command[@]}"
