#!/usr/bin/env bash
# Lodestar for Windows, proven on this Linux machine (issue 17, item 7), and a first look at macOS:
#   setup    Debian's mingw-w64 (the C cross compiler and linker) and wine, rustup's targets
#            x86_64-pc-windows-gnu and aarch64-apple-darwin: each installed only when missing
#   build    lodestar.exe and lodestar-server.exe (debug, without debug information: that
#            compiles protocol, notes, client and server), and their sizes
#   check    cargo clippy --target x86_64-pc-windows-gnu of the desktop app (a check, and lints)
#   wine     lodestar.exe under Wine against a real Linux server: register, send online, send
#            offline, sync, search, the keychain and the %APPDATA% data folder
#            (tests/tests/cli_wine.rs, ignored by a plain `cargo test`)
#   macos    cargo check --target aarch64-apple-darwin of the crates that need no Apple SDK
#
#   scripts/windows.sh          (make test runs it as its `windows` step)
#
# The app needs ui/dist (it embeds the UI); when it is missing the UI is built first, as the
# `ui` step of scripts/test.sh does.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/env.sh
source scripts/env.sh

WINDOWS=x86_64-pc-windows-gnu
MACOS=aarch64-apple-darwin

step() { printf '==> windows: %s\n' "$*" >&2; }

# rustup's standard library for each named target, added when missing.
ensure_rust_targets() {
	local target installed
	installed=$(rustup target list --installed 2>/dev/null) ||
		lodestar_die "rustup is needed to add the targets $*"
	for target in "$@"; do
		if ! grep -qx "$target" <<<"$installed"; then
			lodestar_log "env: adding the Rust target $target"
			rustup target add "$target" >&2 || lodestar_die "rustup target add $target failed"
		fi
	done
}

step "setup"
ensure_packages mingw-w64 wine wine64
ensure_rust
ensure_rust_targets "$WINDOWS" "$MACOS"
ensure_target_dir
# The C parts of -sys crates (ring, SQLite) and the app's resource file, built by mingw-w64.
# rustc's own target already links with x86_64-w64-mingw32-gcc: no .cargo/config.toml needed.
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc
export CXX_x86_64_pc_windows_gnu=x86_64-w64-mingw32-g++
export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
export RC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-windres
if [ ! -f ui/dist/index.html ]; then
	step "ui/dist is missing: building the UI the app embeds"
	ensure_ui_deps
	npm --prefix ui run --silent build
fi

# No debug information in the Windows builds: with it lodestar.exe was 316 MB and its link the
# slowest part of the step; a debugging session on Windows builds its own.
no_debug=(--config profile.dev.debug=0)

step "build ($WINDOWS): lodestar.exe, lodestar-server.exe (protocol, notes, client, server)"
cargo build "${no_debug[@]}" --target "$WINDOWS" -p lodestar-client --bin lodestar -p lodestar-server --bin lodestar-server
exes=("$CARGO_TARGET_DIR/$WINDOWS/debug/lodestar.exe" "$CARGO_TARGET_DIR/$WINDOWS/debug/lodestar-server.exe")
ls -l "${exes[@]}" >&2
du -h "${exes[@]}" >&2

step "check ($WINDOWS): the desktop app, with clippy (its Windows-only code gets the lints too)"
cargo clippy "${no_debug[@]}" --target "$WINDOWS" -p lodestar-app -- -D warnings

step "wine: lodestar.exe against a Linux server"
# Rust's standard library (1.78 and later) imports ProcessPrng from bcryptprimitives.dll, which
# Windows 10 and later have and Wine has only from 9.0 on; Debian 12's Wine is 8.0. The test puts
# this stand-in into its prefix when the prefix has none (RtlGenRandom is the same generator).
shims="$CARGO_TARGET_DIR/wine-shims"
mkdir -p "$shims"
cat >"$shims/bcryptprimitives.c.new" <<'EOF_C'
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!RtlGenRandom(data, chunk))
			return FALSE;
		data += chunk;
		len -= chunk;
	}
	return TRUE;
}
EOF_C
if ! cmp -s "$shims/bcryptprimitives.c.new" "$shims/bcryptprimitives.c" || [ ! -f "$shims/bcryptprimitives.dll" ]; then
	mv "$shims/bcryptprimitives.c.new" "$shims/bcryptprimitives.c"
	x86_64-w64-mingw32-gcc -shared -O2 -s -o "$shims/bcryptprimitives.dll" "$shims/bcryptprimitives.c" -ladvapi32
else
	rm -f "$shims/bcryptprimitives.c.new"
fi
# --workspace: the features the `test` step built with, so the test binary it made is reused.
LODESTAR_WINDOWS_CLI="${exes[0]}" LODESTAR_WINE_SHIMS="$shims" \
	cargo test --workspace --test cli_wine -- --ignored --nocapture

step "check ($MACOS): the crates that need no Apple SDK"
# Only these two: the client and the server (and so the app) compile C in build scripts, ring
# (rustls) and the bundled SQLite, which needs a C compiler for Apple targets and the macOS SDK's
# headers; neither can be had on Linux.
cargo check --target "$MACOS" -p lodestar-protocol -p lodestar-notes
