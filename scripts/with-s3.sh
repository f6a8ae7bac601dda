#!/usr/bin/env bash
# Run a command with LODESTAR_TEST_S3_ENDPOINT pointing at a real S3-compatible server.
#
#   scripts/with-s3.sh COMMAND [ARGS...]
#
# If LODESTAR_TEST_S3_ENDPOINT is already set, COMMAND runs as is against that server.
# Otherwise moto's S3 server (PyPI's `moto[server]`, pinned below, installed once into a
# virtual environment under ~/.cache/lodestar-moto) is started on a free port of 127.0.0.1 and
# COMMAND runs with LODESTAR_TEST_S3_ENDPOINT=http://127.0.0.1:PORT; the tests make their own
# buckets. The server is stopped however COMMAND ends, and COMMAND's exit status is ours.
# shellcheck disable=SC2317 # the cleanup function is reached through traps
set -euo pipefail

MOTO_VERSION=5.2.5

log() { printf 'with-s3: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

[ $# -gt 0 ] || die "usage: scripts/with-s3.sh COMMAND [ARGS...]"

if [ -n "${LODESTAR_TEST_S3_ENDPOINT:-}" ]; then
	log "using the S3 server given by LODESTAR_TEST_S3_ENDPOINT ($LODESTAR_TEST_S3_ENDPOINT)"
	exec "$@"
fi

venv="${LODESTAR_MOTO_VENV:-$HOME/.cache/lodestar-moto}"
if ! "$venv/bin/moto_server" --help >/dev/null 2>&1 ||
	[ "$("$venv/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null)" != "$MOTO_VERSION" ]; then
	log "installing moto[server] $MOTO_VERSION into $venv"
	command -v python3 >/dev/null 2>&1 || die "python3 is needed to run moto"
	python3 -m venv "$venv" || die "cannot make a virtual environment (Debian: apt-get install python3-venv)"
	"$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" ||
		die "cannot install moto[server] from PyPI"
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
logfile=$(mktemp)
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$logfile" 2>&1 &
moto=$!
cleanup() {
	kill "$moto" 2>/dev/null || true
	wait "$moto" 2>/dev/null || true
	rm -f "$logfile"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for _ in $(seq 1 100); do
	if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/')" 2>/dev/null; then
		break
	fi
	kill -0 "$moto" 2>/dev/null || die "moto_server exited: $(cat "$logfile")"
	sleep 0.1
done
log "moto S3 server on 127.0.0.1:$port"
export LODESTAR_TEST_S3_ENDPOINT="http://127.0.0.1:$port"
status=0
"$@" || status=$?
exit "$status"
