#!/usr/bin/env bash
# Make this machine ready to build Lodestar, then run COMMAND in that environment.
#
#   scripts/env.sh [COMMAND [ARGS...]]      e.g. scripts/env.sh cargo run -p lodestar-server
#   source scripts/env.sh                   defines the functions below; scripts/test.sh does this
#
# - Debian packages in SYSTEM_PACKAGES that are missing get installed (apt-get as root, or sudo);
#   nothing is touched when all are present, and machines without dpkg are left alone.
# - cargo must exist (also found in ~/.cargo/bin); rustfmt and clippy are added with rustup when
#   a caller needs them and they are missing.
# - CARGO_TARGET_DIR, unless set, is a folder outside the clone that survives between runs:
#   /work/target when writable, else ~/.cache/lodestar-target.

# Debian packages needed to build and test Lodestar: the Rust build, the Tauri app (WebKitGTK and
# friends, PLATFORM.md), and the desktop tests (a virtual display, a session bus, a notification
# daemon, WebKit's WebDriver, Chromium for the UI's browser tests, rpm for `make bundle`, HAProxy for
# the bench's chaos group).
SYSTEM_PACKAGES=(
	build-essential pkg-config libssl-dev curl wget file
	libwebkit2gtk-4.1-dev libxdo-dev libayatana-appindicator3-dev librsvg2-dev
	xvfb xauth webkit2gtk-driver dbus dbus-x11 dunst libnotify-bin imagemagick xdotool chromium rpm sqlite3
	python3 python3-venv fonts-noto-color-emoji xclip haproxy
)

lodestar_log() { printf '%s\n' "$*" >&2; }
lodestar_die() {
	lodestar_log "error: $*"
	exit 1
}

# Install whatever in SYSTEM_PACKAGES is missing.
ensure_system_packages() {
	ensure_packages "${SYSTEM_PACKAGES[@]}"
}

# Install whichever of the named Debian packages are missing (scripts/windows.sh: mingw-w64, wine).
ensure_packages() {
	local pkg missing=()
	if ! command -v dpkg-query >/dev/null 2>&1; then
		lodestar_log "env: no dpkg here; make sure the equivalents of these are installed: $*"
		return 0
	fi
	for pkg in "$@"; do
		if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != installed ]; then
			missing+=("$pkg")
		fi
	done
	[ ${#missing[@]} -gt 0 ] || return 0

	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1 && { [ -t 0 ] || sudo -n true 2>/dev/null; }; then
			sudo=(sudo)
		else
			lodestar_die "missing Debian packages: ${missing[*]}
  install them with: sudo apt-get install --no-install-recommends ${missing[*]}"
		fi
	fi
	lodestar_log "env: installing missing Debian packages: ${missing[*]}"
	local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300)
	"${apt[@]}" update >&2 || lodestar_die "apt-get update failed"
	"${apt[@]}" install -y --no-install-recommends "${missing[@]}" >&2 ||
		lodestar_die "apt-get install ${missing[*]} failed"
}

# Make sure cargo (and the named rustup components, e.g. rustfmt clippy) are there.
ensure_rust() {
	if ! command -v cargo >/dev/null 2>&1 && [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then
		export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
	fi
	command -v cargo >/dev/null 2>&1 ||
		lodestar_die "cargo not found: install the Rust toolchain (https://rustup.rs), then run this again"
	local component sub
	for component in "$@"; do
		case $component in
		rustfmt) sub=fmt ;;
		*) sub=$component ;;
		esac
		if ! cargo "$sub" --version >/dev/null 2>&1; then
			command -v rustup >/dev/null 2>&1 ||
				lodestar_die "cargo $sub is missing and there is no rustup to add the '$component' component"
			lodestar_log "env: adding the Rust component $component"
			rustup component add "$component" >&2 || lodestar_die "rustup component add $component failed"
		fi
	done
}

# Point CARGO_TARGET_DIR at a folder outside the clone that later runs reuse.
ensure_target_dir() {
	if [ -z "${CARGO_TARGET_DIR:-}" ]; then
		if { [ -d /work/target ] || mkdir -p /work/target 2>/dev/null; } && [ -w /work/target ]; then
			CARGO_TARGET_DIR=/work/target
		else
			CARGO_TARGET_DIR="$HOME/.cache/lodestar-target"
		fi
	fi
	mkdir -p "$CARGO_TARGET_DIR" || lodestar_die "cannot create CARGO_TARGET_DIR=$CARGO_TARGET_DIR"
	export CARGO_TARGET_DIR
	# CI builds each commit once: incremental data only grows the shared target (22 GB of it
	# filled this machine's disk). Local builds keep it.
	if [ -n "${CI:-}" ]; then
		export CARGO_INCREMENTAL=0
	fi
	prune_target_dir
}

# A persistent target dir keeps every build of the workspace's own crates: each change of a
# dependency or of the clone's path gives them new hashes, and the old ones stay (78 GB here,
# twice a full disk). When less than LODESTAR_MIN_FREE_GB (default 30) is free, this deletes the
# workspace's own artifacts not touched for six hours; dependencies stay, so nothing but the
# workspace recompiles.
prune_target_dir() {
	local min=${LODESTAR_MIN_FREE_GB:-30} free
	free=$(df -Pk "$CARGO_TARGET_DIR" | awk 'NR == 2 { print int($4 / 1048576) }')
	[ "${free:-0}" -ge "$min" ] && return 0
	# The workspace's crates (lodestar*) and its test and bench targets, by exact name.
	local targets="" f
	for f in tests/tests/*.rs crates/*/tests/*.rs crates/*/benches/*.rs; do
		[ -e "$f" ] && targets+="|$(basename "$f" .rs)"
	done
	local pattern=".*/(lib)?(lodestar[-_][a-z_-]*|lodestar${targets})-[0-9a-f]{16}(\\..*)?"
	lodestar_log "env: ${free} GB free in $CARGO_TARGET_DIR: deleting the workspace's stale build artifacts"
	find "$CARGO_TARGET_DIR"/*/deps "$CARGO_TARGET_DIR"/*/build "$CARGO_TARGET_DIR"/*/.fingerprint \
		-maxdepth 1 -mindepth 1 -mmin +360 -regextype posix-extended -regex "$pattern" \
		-exec rm -rf {} + 2>/dev/null || true
	rm -rf "$CARGO_TARGET_DIR"/*/incremental
}

# Node.js and the UI's npm packages (npm ci when the lockfile changed since the last install).
ensure_ui_deps() {
	if ! command -v npm >/dev/null 2>&1; then
		SYSTEM_PACKAGES=(nodejs npm)
		ensure_system_packages
	fi
	local lock=ui/package-lock.json stamp=ui/node_modules/.lodestar-installed
	if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
		lodestar_log "env: npm ci in ui/"
		(cd ui && npm ci --no-audit --no-fund --loglevel=error) >&2 || lodestar_die "npm ci failed in ui/"
		touch "$stamp"
	fi
}

# tauri-driver (the WebDriver bridge to the real app), built once into the target folder.
ensure_tauri_driver() {
	TAURI_DRIVER="$CARGO_TARGET_DIR/tools/bin/tauri-driver"
	if [ ! -x "$TAURI_DRIVER" ]; then
		lodestar_log "env: cargo install tauri-driver (once)"
		cargo install tauri-driver --locked --root "$CARGO_TARGET_DIR/tools" >&2 ||
			lodestar_die "cargo install tauri-driver failed"
	fi
	export TAURI_DRIVER
}

# Runs a command on a fresh desktop of its own: an X display (Xvfb) and a D-Bus session bus,
# so notifications, the keychain fallback and the window behave as they would for a new user.
on_fresh_desktop() {
	exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" dbus-run-session -- "$@"
}

# Everything above; extra arguments are rustup components to make sure of.
# (Each step checks its own errors: callers may run this where `set -e` does not apply.)
# shellcheck disable=SC2120 # the arguments are optional
lodestar_prepare() {
	ensure_system_packages
	ensure_rust "$@"
	ensure_target_dir
	lodestar_log "env: $(cargo --version), CARGO_TARGET_DIR=$CARGO_TARGET_DIR"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	lodestar_prepare
	if [ $# -gt 0 ]; then
		exec "$@"
	fi
fi
