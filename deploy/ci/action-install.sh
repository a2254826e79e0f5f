#!/usr/bin/env bash
# action.yml, step 2: Vigil from the action's own sources, unless the cache
# already restored that build; then on PATH for the steps after.
set -euo pipefail
bin="$VIGIL_ROOT/bin"
if [ ! -x "$bin/vigil" ]; then
    if ! command -v cargo >/dev/null 2>&1; then
        echo "::error::Vigil is built from source and needs cargo: add a Rust toolchain step (e.g. dtolnay/rust-toolchain@stable) before this action"
        exit 2
    fi
    echo "building Vigil (about 10 minutes on 2 cores; cached afterwards)"
    cargo install --locked --path "$ACTION_PATH/crates/vigil" --root "$VIGIL_ROOT"
fi
echo "$bin" >>"$GITHUB_PATH"
"$bin/vigil" --version
