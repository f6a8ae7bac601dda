#!/usr/bin/env bash
# Run a command with LODESTAR_TEST_DATABASE_URL pointing at a PostgreSQL server.
#
#   scripts/with-postgres.sh COMMAND [ARGS...]
#
# If LODESTAR_TEST_DATABASE_URL is already set, COMMAND runs as is against that server.
# Otherwise a throwaway cluster is created in a temporary folder (initdb, trust auth, superuser
# `postgres`), started on a free port on 127.0.0.1 with durability off (it is only for tests),
# and COMMAND runs with LODESTAR_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres.
# LODESTAR_PG_DURABLE=1 keeps PostgreSQL's durability on (fsync, synchronous commit): what
# `make bench` measures, since a message counts only once it is durable.
# Tests create their own databases with CREATE DATABASE through that URL.
# The server is stopped and the folder removed however COMMAND ends (exit, Ctrl-C, TERM), and
# COMMAND's exit status is ours.
#
# PostgreSQL comes from /usr/lib/postgresql/<newest>/bin (Debian's layout), else from
# LODESTAR_PG_BINDIR, pg_config or PATH. When none is found and we are root, Debian's
# `postgresql` package is installed. As root, initdb and pg_ctl run as the `postgres` user.
# shellcheck disable=SC2317 # the cleanup functions are reached through traps
set -euo pipefail

log() { printf 'with-postgres: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

[ $# -gt 0 ] || die "usage: scripts/with-postgres.sh COMMAND [ARGS...]"

if [ -n "${LODESTAR_TEST_DATABASE_URL:-}" ]; then
	# Show where it points without any password.
	log "using the PostgreSQL given by LODESTAR_TEST_DATABASE_URL ($(printf '%s' "$LODESTAR_TEST_DATABASE_URL" | sed -E 's#//[^@/]*@#//#'))"
	exec "$@"
fi

is_root() { [ "$(id -u)" -eq 0 ]; }

# Print the folder holding initdb, pg_ctl and postgres, or nothing.
find_bindir() {
	local dir versions
	if [ -n "${LODESTAR_PG_BINDIR:-}" ]; then
		[ -x "$LODESTAR_PG_BINDIR/initdb" ] || die "LODESTAR_PG_BINDIR=$LODESTAR_PG_BINDIR has no initdb"
		printf '%s\n' "$LODESTAR_PG_BINDIR"
		return
	fi
	# Debian's layout, newest major version first.
	versions=$(for dir in /usr/lib/postgresql/*/bin; do
		[ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ] && basename "$(dirname "$dir")"
	done | sort -V | tail -n 1) || true
	if [ -n "$versions" ]; then
		printf '%s\n' "/usr/lib/postgresql/$versions/bin"
		return
	fi
	# Elsewhere: pg_config, then whatever initdb is on PATH (resolving symlinks).
	if command -v pg_config >/dev/null 2>&1; then
		dir=$(pg_config --bindir 2>/dev/null) || dir=
		if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
			printf '%s\n' "$dir"
			return
		fi
	fi
	if command -v initdb >/dev/null 2>&1; then
		dir=$(dirname "$(readlink -f "$(command -v initdb)")")
		if [ -x "$dir/pg_ctl" ]; then
			printf '%s\n' "$dir"
			return
		fi
	fi
}

bindir=$(find_bindir)
if [ -z "$bindir" ]; then
	if is_root && command -v apt-get >/dev/null 2>&1; then
		log "PostgreSQL server not found; installing Debian's postgresql package"
		export DEBIAN_FRONTEND=noninteractive
		apt_opts=(-q -o DPkg::Lock::Timeout=300)
		apt-get "${apt_opts[@]}" update >&2
		apt-get "${apt_opts[@]}" install -y --no-install-recommends postgresql >&2
		bindir=$(find_bindir)
	fi
	[ -n "$bindir" ] || die "PostgreSQL server binaries (initdb, pg_ctl) not found.
  Install them (Debian: sudo apt-get install postgresql), or set LODESTAR_PG_BINDIR to their folder,
  or set LODESTAR_TEST_DATABASE_URL=postgres://USER@HOST:PORT/DB for a server where USER may CREATE DATABASE."
fi

if is_root; then
	id -u postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to run PostgreSQL as (Debian's postgresql-common creates it)"
	command -v runuser >/dev/null 2>&1 || die "runuser not found (package util-linux)"
fi

# Run a PostgreSQL program: as `postgres` when we are root (the server refuses to run as root),
# from / so that user never trips over a working directory it cannot read.
pg() {
	if is_root; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

base=
data=
child=
cleaned=

# Print the pids of every descendant of $1.
descendants() {
	local c
	# shellcheck disable=SC2013 # pids are words
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		printf '%s\n' "$c"
		descendants "$c"
	done
}

stop_child() {
	local sig=$1 pids i
	[ -n "$child" ] || return 0
	if kill -0 "$child" 2>/dev/null; then
		pids="$child $(descendants "$child" | tr '\n' ' ')"
		# shellcheck disable=SC2086
		kill -s "$sig" $pids 2>/dev/null || true
		for ((i = 0; i < 100; i++)); do
			kill -0 "$child" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$child" 2>/dev/null; then
			log "command still running 10 s after SIG$sig; killing it"
			pids="$child $(descendants "$child" | tr '\n' ' ')"
			# shellcheck disable=SC2086
			kill -s KILL $pids 2>/dev/null || true
		fi
	fi
	wait "$child" 2>/dev/null || true
	child=
}

cleanup() {
	[ -z "$cleaned" ] || return 0
	cleaned=1
	stop_child TERM
	if [ -n "$data" ] && [ -f "$data/postmaster.pid" ]; then
		if ! pg "$bindir/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1; then
			local pid
			pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null) || pid=
			if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
				log "pg_ctl stop failed; killing postmaster $pid"
				kill -s KILL "$pid" 2>/dev/null || true
				sleep 0.5
			fi
		fi
	fi
	if [ -n "$base" ]; then
		rm -rf -- "$base"
	fi
}

on_signal() {
	local sig=$1
	trap '' INT TERM HUP
	stop_child "$sig"
	cleanup
	trap - EXIT "$sig"
	# Die by the same signal, so whoever started us (make, a shell) sees how we ended.
	kill -s "$sig" $$
	exit $((128 + $(kill -l "$sig")))
}

trap cleanup EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP

# The folder must be reachable by `postgres` when we are root, so not under root's own TMPDIR.
if is_root; then
	base=$(mktemp -d /tmp/lodestar-pg.XXXXXXXX)
else
	base=$(mktemp -d "${TMPDIR:-/tmp}/lodestar-pg.XXXXXXXX")
fi
data=$base/data
if is_root; then
	chown postgres: "$base"
fi
chmod 700 "$base"

if ! pg "$bindir/initdb" -D "$data" -A trust -U postgres --no-sync --no-locale -E UTF8 >"$base/initdb.log" 2>&1; then
	cat "$base/initdb.log" >&2
	die "initdb failed"
fi

# A port nobody listens on; pg_ctl is retried on another port if it is taken meanwhile.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
	local p i
	if command -v python3 >/dev/null 2>&1 &&
		p=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null) &&
		[ -n "$p" ]; then
		printf '%s\n' "$p"
		return
	fi
	for ((i = 0; i < 200; i++)); do
		p=$((20000 + RANDOM % 30000))
		if ! port_in_use "$p"; then
			printf '%s\n' "$p"
			return
		fi
	done
	die "found no free TCP port"
}

port=
for attempt in 1 2 3 4 5; do
	candidate=$(pick_port)
	opts="-p $candidate -k '$base' -c listen_addresses=127.0.0.1"
	opts+=" -c max_connections=400"
	if [ "${LODESTAR_PG_DURABLE:-0}" != 1 ]; then
		opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	fi
	if pg "$bindir/pg_ctl" -D "$data" -l "$base/postgres.log" -o "$opts" -w -t 60 start >"$base/pg_ctl.log" 2>&1; then
		port=$candidate
		break
	fi
	log "PostgreSQL did not start on port $candidate (attempt $attempt of 5):"
	tail -n 5 "$base/postgres.log" "$base/pg_ctl.log" >&2 2>/dev/null || true
	# A half-started server must not survive into the next attempt.
	if [ -f "$data/postmaster.pid" ]; then
		pg "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
done
[ -n "$port" ] || die "could not start PostgreSQL from $bindir"

export LODESTAR_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
log "using $("$bindir/postgres" --version | sed 's/^postgres (PostgreSQL) /PostgreSQL /') from $bindir: a throwaway cluster at $LODESTAR_TEST_DATABASE_URL"

# COMMAND runs in the background so that a TERM sent to us alone is handled at once (forwarded,
# then cleanup); it keeps our stdin and the default reaction to Ctrl-C.
if { true 3<&0; } 2>/dev/null; then # is stdin open?
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
status=0
wait "$child" || status=$?
child=
exit "$status"
