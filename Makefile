# Lodestar: one line of intent per target; the work is in scripts/.
.PHONY: run test fmt lint

# Run the server with demo data (embedded SQLite, nothing else to install).
run:
	bash scripts/env.sh cargo run -p lodestar-server -- --demo

# Every check CI runs: formatting, clippy, all tests (with a throwaway PostgreSQL if none is given).
test:
	bash scripts/test.sh

# Format all Rust code in place.
fmt:
	cargo fmt --all

# Clippy on every target; warnings are errors.
lint:
	bash scripts/env.sh cargo clippy --workspace --all-targets -- -D warnings
