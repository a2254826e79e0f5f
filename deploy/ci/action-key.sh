#!/usr/bin/env bash
# action.yml, step 1: the cache key of the action's Vigil build, a hash of
# the sources and lock file it builds from, so a new ref builds once and
# every later run takes the cached binary.
set -euo pipefail
cd "$ACTION_PATH"
hash="$(
    {
        cat Cargo.lock Cargo.toml
        find -L crates -type f -not -path '*/tests/*' -print0 | LC_ALL=C sort -z | xargs -0 cat
    } | sha256sum | cut -c1-16
)"
root="${RUNNER_TOOL_CACHE:-$HOME/.cache}/vigil-action/$hash"
{
    echo "key=vigil-${RUNNER_OS_NAME:-Linux}-$(uname -m)-$hash"
    echo "root=$root"
} >>"$GITHUB_OUTPUT"
