#!/usr/bin/env bash
# `make bench` (and `make bench QUICK=1`): builds the workspace (release, or BENCH_PROFILE: debug for
# `make test`'s quick pass, profiling for perf with symbols),
# then runs lodestar-bench with everything its groups need: a throwaway PostgreSQL
# (scripts/with-postgres.sh), a display and a session bus for the real app (xvfb-run,
# dbus-run-session), tauri-driver. Rows go to the table and to BENCH_OUT as JSON.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
lodestar_prepare
ensure_ui_deps
ensure_tauri_driver
profile=${BENCH_PROFILE:-release}
flags=()
[ "$profile" = debug ] || flags=(--profile "$profile")
npm --prefix ui run --silent build
cargo build "${flags[@]}" --workspace --bins
bin="$CARGO_TARGET_DIR/$profile"
export LODESTAR_BIN_DIR="$bin" LODESTAR_APP_BIN="$bin/lodestar-app"
# Durable PostgreSQL: the server throughput counts messages once they are on disk.
export LODESTAR_PG_DURABLE=1
export BENCH_OUT="${BENCH_OUT:-$CARGO_TARGET_DIR/bench-results.json}"
on_fresh_desktop bash scripts/with-postgres.sh bash scripts/with-s3.sh "$bin/lodestar-bench" "$@"
