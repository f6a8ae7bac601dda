#!/usr/bin/env bash
# The property-based fuzzer of the HTTP API (`make fuzz`, and a step of `make test`): schemathesis
# reads the server's own `GET /v1/openapi.json`, generates requests from it (valid ones and
# broken ones) and checks every answer against what the document promises. It runs against a
# real `lodestar-server` signed in as a fresh user, once on a fresh SQLite file and once on a
# fresh PostgreSQL database.
#
#   scripts/fuzz.sh                   both backends (PostgreSQL through scripts/with-postgres.sh)
#   scripts/fuzz.sh sqlite            one backend
#   scripts/fuzz.sh postgres          needs LODESTAR_TEST_DATABASE_URL (a server where it may
#                                     CREATE DATABASE), as scripts/with-postgres.sh sets it
#
# Checks: no 5xx (not_a_server_error); every status, content type, header and body is one the
# document lists for that route (status_code_, content_type_, response_headers_ and
# response_schema_conformance). Bounded and repeatable: FUZZ_EXAMPLES test cases per operation
# and phase (default 100) from the fixed seed FUZZ_SEED (default 1), about a minute per backend
# here. Exits non-zero when schemathesis finds anything; the last line says what was found.
# schemathesis is pinned and installed once into $CARGO_TARGET_DIR/tools/fuzz-venv.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh

SCHEMATHESIS_VERSION=4.32.5
EXAMPLES=${FUZZ_EXAMPLES:-100}
SEED=${FUZZ_SEED:-1}
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance

log() { printf 'fuzz: %s\n' "$*" >&2; }

# Both backends: SQLite here, PostgreSQL inside a throwaway cluster; one summary line at the end.
if [ $# -eq 0 ]; then
	lodestar_prepare
	sqlite_rc=0 postgres_rc=0
	bash "$0" sqlite || sqlite_rc=$?
	bash scripts/with-postgres.sh bash "$0" postgres || postgres_rc=$?
	verdict() { if [ "$1" -eq 0 ]; then echo passed; else echo "FAILED (exit $1)"; fi; }
	echo "fuzz summary: sqlite $(verdict "$sqlite_rc"), postgres $(verdict "$postgres_rc")" \
		"($EXAMPLES cases per operation and phase, seed $SEED; schemathesis $SCHEMATHESIS_VERSION)"
	[ "$sqlite_rc" -eq 0 ] && [ "$postgres_rc" -eq 0 ]
	exit
fi

backend=$1
case $backend in
sqlite | postgres) ;;
*)
	echo "usage: scripts/fuzz.sh [sqlite|postgres]" >&2
	exit 2
	;;
esac
ensure_target_dir
ensure_rust

# schemathesis in a virtualenv of its own, reinstalled only when the pinned version changes.
venv=$CARGO_TARGET_DIR/tools/fuzz-venv
if [ "$(cat "$venv/.lodestar-version" 2>/dev/null)" != "$SCHEMATHESIS_VERSION" ]; then
	log "installing schemathesis $SCHEMATHESIS_VERSION into $venv"
	rm -rf "$venv"
	python3 -m venv "$venv" ||
		lodestar_die "python3 -m venv failed (Debian: apt-get install python3-venv)"
	"$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >&2 ||
		lodestar_die "pip install schemathesis==$SCHEMATHESIS_VERSION failed"
	echo "$SCHEMATHESIS_VERSION" >"$venv/.lodestar-version"
fi
python=$venv/bin/python

# LODESTAR_SERVER_BIN runs another build of the server (an older commit's, to compare).
server_bin=${LODESTAR_SERVER_BIN:-}
if [ -z "$server_bin" ]; then
	cargo build --quiet -p lodestar-server --bin lodestar-server
	server_bin=$CARGO_TARGET_DIR/debug/lodestar-server
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/lodestar-fuzz.XXXXXXXX")
server_pid=
database=
psql=
cleanup() {
	if [ -n "$server_pid" ]; then
		kill -TERM "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	if [ -n "$database" ]; then
		"$psql" -q -d "$LODESTAR_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" \
			>/dev/null 2>&1 || true
	fi
	rm -rf -- "$work"
}
trap cleanup EXIT

# A fresh database for this run.
if [ "$backend" = sqlite ]; then
	database_url="sqlite://$work/server.db"
else
	[ -n "${LODESTAR_TEST_DATABASE_URL:-}" ] ||
		lodestar_die "fuzz.sh postgres needs LODESTAR_TEST_DATABASE_URL (run it through scripts/with-postgres.sh)"
	psql=$(command -v psql || true)
	if [ -z "$psql" ]; then
		for candidate in "${LODESTAR_PG_BINDIR:-}" /usr/lib/postgresql/*/bin; do
			if [ -n "$candidate" ] && [ -x "$candidate/psql" ]; then psql=$candidate/psql; fi
		done
	fi
	[ -n "$psql" ] || lodestar_die "psql not found (Debian: apt-get install postgresql-client)"
	database=lodestar_fuzz_$$_$(date +%s)
	"$psql" -q -d "$LODESTAR_TEST_DATABASE_URL" -c "CREATE DATABASE $database" >/dev/null
	# The same server and credentials, another database: replace the URL's path.
	database_url=$("$python" -c '
import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1])
print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$LODESTAR_TEST_DATABASE_URL" "$database")
fi

# The server on a free loopback port (port 0: it prints the address it got).
server_log=$work/server.log
: >"$server_log" # before the server starts, which opens it in the background
RUST_LOG=${RUST_LOG:-warn} "$server_bin" --listen 127.0.0.1:0 --database "$database_url" >"$server_log" 2>&1 &
server_pid=$!
base=
for _ in $(seq 1 300); do
	base=$(sed -n 's/^Lodestar server listening on \(http:[^ ]*\).*/\1/p' "$server_log")
	[ -z "$base" ] || break
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$base" ]; then
	cat "$server_log" >&2
	lodestar_die "lodestar-server did not start on $backend"
fi
log "$backend: lodestar-server at $base"

# A signed-in user: two tokens, one for everything and one for logout (which revokes its own).
json_field() { "$python" -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
password=fuzz-password-$$-$RANDOM
token=$(curl -fsS -X POST "$base/v1/auth/register" -H 'Content-Type: application/json' \
	-d "{\"username\": \"fuzzer\", \"email\": \"fuzzer@example.com\", \"password\": \"$password\", \"date_of_birth\": \"1990-01-01\", \"mentee_status\": true}" |
	json_field token)
logout_token=$(curl -fsS -X POST "$base/v1/auth/login" -H 'Content-Type: application/json' \
	-d "{\"login\": \"fuzzer\", \"password\": \"$password\"}" | json_field token)

# A small world for the fuzzer to reach past "no such id": a peer, a direct conversation with a
# message, and a group. Half of the ids it generates for these parameters are these real ones.
post() {
	curl -fsS -X POST "$base$1" -H 'Content-Type: application/json' -H "Authorization: Bearer $token" -d "$2"
}
me=$(curl -fsS "$base/v1/me" -H "Authorization: Bearer $token" | json_field user_id)
peer=$(curl -fsS -X POST "$base/v1/auth/register" -H 'Content-Type: application/json' \
	-d "{\"username\": \"fuzzpeer\", \"email\": \"fuzzpeer@example.com\", \"password\": \"$password\", \"date_of_birth\": \"1985-06-01\", \"mentor_status\": true}" |
	"$python" -c 'import json, sys; print(json.load(sys.stdin)["user"]["user_id"])')
direct=$(post /v1/conversations/direct "{\"user_id\": \"$peer\"}" | json_field conversation_id)
group_json=$(post /v1/groups "{\"group_name\": \"fuzz group\", \"member_ids\": [\"$peer\"]}")
group=$(json_field group_id <<<"$group_json")
group_conversation=$(json_field conversation_id <<<"$group_json")
message=$("$python" -c 'import uuid; print(uuid.uuid4())')
post /v1/messages "{\"message_id\": \"$message\", \"conversation_id\": \"$direct\", \"content\": \"hello\"}" >/dev/null
config=$work/schemathesis.toml
cat >"$config" <<EOF
[dictionaries.users]
values = ["$me", "$peer"]
[dictionaries.conversations]
values = ["$direct", "$group_conversation"]
[dictionaries.groups]
values = ["$group"]
[dictionaries.messages]
values = ["$message"]

[parameters]
"path.user_id" = { dictionary = "users", probability = 0.5 }
"body.user_id" = { dictionary = "users", probability = 0.5 }
"body.member_ids[*]" = { dictionary = "users", probability = 0.5 }
"body.conversation_id" = { dictionary = "conversations", probability = 0.5 }
"body.message_ids[*]" = { dictionary = "messages", probability = 0.5 }

[[operations]]
include-path-regex = "^/v1/groups/"
parameters = { "path.id" = { dictionary = "groups", probability = 0.5 } }

[[operations]]
include-path-regex = "^/v1/conversations/"
parameters = { "path.id" = { dictionary = "conversations", probability = 0.5 } }

[[operations]]
include-path-regex = "^/v1/messages/"
parameters = { "path.id" = { dictionary = "messages", probability = 0.5 } }
EOF

# run_schemathesis TOKEN ARGS...: one schemathesis run over the document.
run_schemathesis() {
	local bearer=$1
	shift
	# From the work folder: schemathesis keeps a cache of crashes in ./.schemathesis.
	(cd "$work" && "$venv/bin/schemathesis" --config-file "$config" run "$base/v1/openapi.json" \
		--checks "$CHECKS" \
		--max-examples "$EXAMPLES" \
		--seed "$SEED" \
		--generation-database none \
		--workers 1 \
		--continue-on-failure \
		--request-timeout 30 \
		--no-color \
		-H "Authorization: Bearer $bearer" \
		"$@")
}

rc=0
# Everything but logout, then logout with its own token, so the main token lives to the end.
run_schemathesis "$token" --exclude-path /v1/auth/logout || rc=$?
run_schemathesis "$logout_token" --include-path /v1/auth/logout || rc=$?

if ! kill -0 "$server_pid" 2>/dev/null; then
	log "$backend: lodestar-server died during the run:"
	tail -n 50 "$server_log" >&2
	rc=1
else
	# Colours off, timestamps cut, so that the same error repeated counts as one.
	errors=$(sed 's/\x1b\[[0-9;]*m//g' "$server_log" | grep ' ERROR ' | cut -d' ' -f2- | sort | uniq -c | sort -rn) || true
	if [ -n "$errors" ]; then
		log "$backend: errors in the server's log:"
		head -n 20 <<<"$errors" >&2
	fi
fi
if [ "$rc" -eq 0 ]; then
	log "$backend: passed"
else
	log "$backend: FAILED (schemathesis exit $rc)"
fi
exit "$rc"
