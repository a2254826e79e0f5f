# What the live benchmarks share (sourced, not run): the emulator's Python,
# a release build of vigil, a work folder removed on exit, and moto started
# on a free port. Background processes added to `pids` are killed on exit.

py="$(scripts/emulator-venv)"
cargo build --release --quiet --bin vigil
target="${CARGO_TARGET_DIR:-target}"; [[ "$target" = /* ]] || target="$(pwd)/$target"
vigil="$target/release/vigil"
work="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true

# Starts the patched moto; sets `moto` to its URL.
start_moto() {
  "$py" tests/emulator/vigil_moto.py > "$work/moto.log" 2>&1 &
  pids+=($!)
  until grep -q "listening on" "$work/moto.log"; do sleep 0.2; done
  moto="$(sed -n 's/^listening on //p' "$work/moto.log")"
}

# Starts microburst in front of $1 with $2 ms added to every call; sets
# `proxy` to its URL.
start_latency_proxy() {
  local port
  port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$(dirname "$py")/microburst" --host 127.0.0.1 --port "$port" --upstream "$1" >/dev/null 2>&1 &
  pids+=($!)
  proxy="http://127.0.0.1:$port"
  until curl -sf "$proxy/_microburst/health" >/dev/null; do sleep 0.2; done
  curl -sf -X POST "$proxy/_microburst/rules" -H 'content-type: application/json' \
    -d "[{\"service\":\"*\",\"latency\":$2}]" >/dev/null
}
