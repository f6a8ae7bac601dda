#!/usr/bin/env bash
# `make bundle`: the release app packaged as .deb and .rpm (AppImage is left out: its bundler
# downloads tools at build time). Windows and macOS installers come from
# .github/workflows/release.yml on those systems.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
lodestar_prepare
ensure_ui_deps
npm --prefix ui run --silent build
(cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb,rpm --ci)
ls -l "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb "$CARGO_TARGET_DIR"/release/bundle/rpm/*.rpm
