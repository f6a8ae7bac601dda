#!/usr/bin/env bash
# Every check Lodestar has, in the order CI runs them (`make test`, `.ci/run`):
#   setup    missing Debian packages, the Rust toolchain with rustfmt and clippy, CARGO_TARGET_DIR,
#            the UI's npm packages, tauri-driver
#   ui       the UI built into ui/dist (the app embeds it, so Rust needs it first)
#   fmt      cargo fmt --check
#   clippy   clippy on every target, warnings are errors
#   ui-lint  svelte-check and ESLint, warnings are errors
#   ui-test  the UI's component tests (Vitest) and its browser tests (Chromium, IPC mocked)
#   test     cargo test on the whole workspace, with a throwaway PostgreSQL unless
#            LODESTAR_TEST_DATABASE_URL names one (scripts/with-postgres.sh)
#   windows  the crates checked and the CLI and server built for x86_64-pc-windows-gnu (mingw-w64),
#            lodestar.exe run under Wine against a Linux server, a macOS check (scripts/windows.sh)
#   fuzz     schemathesis, driven by the server's own openapi.json, against a signed-in user on
#            SQLite and on PostgreSQL (scripts/fuzz.sh): no 5xx, and every answer as documented
#   e2e      the real app in a real window (Xvfb, its own session bus, a notification daemon)
#            driven by WebDriver against a real server and the real CLI (scripts/e2e.sh)
#   bench    `make bench QUICK=1` on the debug build: every measurement at a small size, so the
#            harness never rots (no timing is asserted; rows in $CARGO_TARGET_DIR/bench-quick.json)
# Stops at the first failing step, naming it, and prints how long each step took.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/env.sh
source scripts/env.sh

step_names=()
step_times=()
current_step=
step_start=$SECONDS
child=

fmt_secs() {
	if [ "$1" -ge 60 ]; then
		printf '%dm%02ds' $(($1 / 60)) $(($1 % 60))
	else
		printf '%ds' "$1"
	fi
}

# print_summary OUTCOME: the duration of each finished step, then OUTCOME.
print_summary() {
	local i
	echo
	echo "==> durations"
	for i in "${!step_names[@]}"; do
		printf '    %-8s %s\n' "${step_names[$i]}" "$(fmt_secs "${step_times[$i]}")"
	done
	printf '    %-8s %s\n' total "$(fmt_secs "$SECONDS")"
	echo "==> $1"
}

on_exit() {
	local rc=$1
	trap - EXIT INT TERM HUP
	if [ "$rc" -eq 0 ]; then
		print_summary "all checks passed"
		if [ -n "${test_log:-}" ] && [ -f "$test_log" ]; then
			# One closing line: cargo's "test result: ok. N passed; M failed" lines, Vitest's
			# "Tests  N passed" lines and node:test's "pass N" / "fail N", summed.
			sed 's/\x1b\[[0-9;]*m//g' "$test_log" | awk '
				/^test result:/ { p += $4; f += $6 }
				/^ +Tests +[0-9]+ passed/ { p += $2 }
				/^ +Tests +[0-9]+ failed/ { f += $2 }
				/^(ℹ|#) pass [0-9]+$/ { p += $3 }
				/^(ℹ|#) fail [0-9]+$/ { f += $3 }
				END { printf "tests: %d passed, %d failed (Rust, UI components and browser, real-app end to end)\n", p, f }'
			rm -f "$test_log"
		fi
	else
		print_summary "FAILED at step '${current_step:-?}' (exit $rc)"
	fi
	exit "$rc"
}

on_signal() {
	trap - EXIT INT TERM HUP
	# Pass the signal on to the running step and let it clean up (with-postgres stops its server).
	if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
		kill -s "$1" "$child" 2>/dev/null || true
		wait "$child" 2>/dev/null || true
	fi
	print_summary "INTERRUPTED by SIG$1 during step '${current_step:-?}' after $(fmt_secs $((SECONDS - step_start)))"
	kill -s "$1" $$
}

trap 'on_exit $?' EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP

# run_step NAME COMMAND...: run one step, time it, stop everything if it fails.
run_step() {
	local name=$1 rc=0
	shift
	current_step=$name
	step_start=$SECONDS
	echo "==> [$name] $*"
	if declare -F "$1" >/dev/null; then
		# A function of ours: it runs in this shell so that what it exports stays.
		"$@" || rc=$?
	else
		# A program: in the background, so a signal sent to this script alone is handled at once.
		if { true 3<&0; } 2>/dev/null; then
			(
				trap - INT QUIT TERM HUP
				exec "$@"
			) <&0 &
		else
			(
				trap - INT QUIT TERM HUP
				exec "$@"
			) </dev/null &
		fi
		child=$!
		wait "$child" || rc=$?
		child=
	fi
	step_names+=("$name")
	step_times+=($((SECONDS - step_start)))
	if [ "$rc" -ne 0 ]; then
		echo "==> step '$name' failed with exit status $rc: $*" >&2
		exit "$rc"
	fi
}

# Steps of several commands chain them with &&: run_step calls a function in an `||` context,
# where `set -e` does not stop at a failing command.
setup() {
	lodestar_prepare rustfmt clippy &&
		ensure_ui_deps &&
		ensure_tauri_driver
}
run_step setup setup
run_step ui npm --prefix ui run --silent build
run_step fmt cargo fmt --all -- --check
run_step clippy cargo clippy --workspace --all-targets -- -D warnings
ui_lint() {
	npm --prefix ui run --silent check &&
		npm --prefix ui run --silent lint
}
run_step ui-lint ui_lint
test_log=$(mktemp)
ui_test() {
	npm --prefix ui run --silent test 2>&1 | tee -a "$test_log" &&
		npm --prefix ui run --silent test:browser 2>&1 | tee -a "$test_log"
}
run_step ui-test ui_test
# The tests, with their output kept so the run can end on one total line (cargo's own last line
# is a doc-test target that has no tests, which would read as "no test ran").
run_tests() {
	# The CLI tests run the real `lodestar` binary, which `cargo test` alone does not build.
	cargo build --workspace --bins &&
		bash scripts/with-postgres.sh bash scripts/with-s3.sh cargo test --workspace 2>&1 | tee -a "$test_log"
}
run_step test run_tests
run_step windows bash scripts/windows.sh
run_step fuzz bash scripts/fuzz.sh
e2e() {
	bash scripts/e2e.sh 2>&1 | tee -a "$test_log"
}
run_step e2e e2e
quick_bench() {
	BENCH_PROFILE=debug BENCH_OUT="$CARGO_TARGET_DIR/bench-quick.json" bash scripts/bench.sh --quick
}
run_step bench quick_bench
