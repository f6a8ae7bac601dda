# Lodestar: one line of intent per target; the work is in scripts/.
.PHONY: run server test fuzz bench e2e bundle bindings screenshots measure-app fmt lint

# The desktop app, signed in to a local demo program (the server stops when the window closes).
run:
	bash scripts/run-app.sh

# Only the server, with demo data (embedded SQLite, nothing else to install).
server:
	bash scripts/env.sh cargo run -p lodestar-server -- --demo

# Every check CI runs: formatting, lints, the UI's tests, all Rust tests, the real app end to end.
test:
	bash scripts/test.sh

# The OpenAPI fuzzer (schemathesis) against a real server on SQLite and on PostgreSQL.
fuzz:
	bash scripts/fuzz.sh

# Every DESIGN.md budget measured beside this machine's limits (BENCHMARKS.md); QUICK=1: small sizes.
bench:
	QUICK=$(if $(QUICK),1,0) bash scripts/bench.sh

# Only the real-app end-to-end run (Xvfb, tauri-driver, a real server and the CLI).
e2e:
	bash scripts/e2e.sh

# The Linux installers (.deb and .rpm) in $CARGO_TARGET_DIR/release/bundle.
bundle:
	bash scripts/bundle.sh

# Rewrite ui/src/lib/ipc/bindings.ts from the Rust commands, events and types.
bindings:
	LODESTAR_WRITE_BINDINGS=1 bash scripts/env.sh cargo test --workspace --lib bindings

# Format all Rust code in place.
fmt:
	cargo fmt --all

# Clippy on every target; warnings are errors.
lint:
	bash scripts/env.sh cargo clippy --workspace --all-targets -- -D warnings

# The README's screenshots of the real window (docs/screenshots), from a demo program.
screenshots:
	bash scripts/e2e.sh ui/tests/e2e/screenshots.mjs

# The desktop app's figures: cold start, idle memory, a 100k-message conversation (release build).
measure-app:
	bash scripts/env.sh cargo build --release -p lodestar-app
	LODESTAR_APP_BIN=$${CARGO_TARGET_DIR:-/work/target}/release/lodestar-app bash scripts/e2e.sh ui/tests/e2e/measure.mjs
