#!/usr/bin/env bash
# `make run`: the desktop app, signed in to a living demo program, in one command.
#   1. builds the UI and the binaries (server, CLI, app)
#   2. starts `lodestar-server --demo` on a free loopback port (its data in $LODESTAR_DEMO_DIR,
#      default $CARGO_TARGET_DIR/demo, so the program keeps what you did between runs)
#   3. signs the app's data folder in as a demo mentee (LODESTAR_DEMO_USER, default owen.fischer)
#   4. runs the app; when its window closes, the server stops.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
lodestar_prepare
ensure_ui_deps

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
	lodestar_die "no display to open a window on: run this in a desktop session (or: xvfb-run -a make run)"
fi

(cd ui && npm run --silent build)
cargo build --workspace --bins
bin="$CARGO_TARGET_DIR/debug"

demo_dir=${LODESTAR_DEMO_DIR:-$CARGO_TARGET_DIR/demo}
user=${LODESTAR_DEMO_USER:-owen.fischer}
mkdir -p "$demo_dir/app"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"

"$bin/lodestar-server" --listen "127.0.0.1:$port" --database "sqlite://$demo_dir/server.db" --demo \
	>"$demo_dir/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
	curl -fsS "$url/v1/health" >/dev/null 2>&1 && break
	kill -0 "$server" 2>/dev/null || lodestar_die "the demo server did not start; see $demo_dir/server.log"
	sleep 0.1
done

# The demo keeps its token in the demo folder's 0600 file, not in your keychain.
export LODESTAR_TOKEN_STORE=file LODESTAR_DATA_DIR="$demo_dir/app" LODESTAR_SERVER="$url"
echo lodestar-demo | "$bin/lodestar" login "$user" >/dev/null
echo "Lodestar demo: server $url (log: $demo_dir/server.log), signed in as $user."
echo "Every demo account's password is lodestar-demo. Close the window to stop."
"$bin/lodestar-app"
