#!/usr/bin/env bash
# The API contract test: schemathesis (PyPI) against the OpenAPI document of a
# running demo, with its examples, coverage, fuzzing and stateful phases.
#
#   scripts/schemathesis.sh [-- extra schemathesis run options]
#
# Makes (or reuses) a Python virtual environment under the cargo target
# directory with a pinned schemathesis, loads `insyn demo --systems 40` into a
# fresh SQLite database in a temporary directory, creates an administrator's
# write token, serves the demo on a free loopback port and runs
# `schemathesis run` against http://127.0.0.1:PORT/api/openapi.json with that
# token as the document's bearer scheme. Exits non-zero on any failure, or when
# the server logged an error; the server and the data are removed however the
# script ends. The settings (the token, the demo organisation as the `org` of
# every path, the stateful depth, the operations whose 422s no schema can
# predict) are in scripts/schemathesis.toml.
#
# Environment: INSYN_BIN (default: $CARGO_TARGET_DIR/debug/insyn, built if
# missing), SCHEMATHESIS_MAX_EXAMPLES (default 15 per operation and phase),
# SCHEMATHESIS_REPORT_DIR (default: the temporary directory, removed at the end).
set -euo pipefail

SCHEMATHESIS_VERSION=4.32.5

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
bin="${INSYN_BIN:-$target_dir/debug/insyn}"
max_examples="${SCHEMATHESIS_MAX_EXAMPLES:-15}"
extra=()
if [[ "${1:-}" == "--" ]]; then
    shift
    extra=("$@")
fi

# --- the virtual environment ------------------------------------------------------
venv="$target_dir/schemathesis-venv"
if [[ ! -x "$venv/bin/schemathesis" ]] ||
    [[ "$("$venv/bin/schemathesis" --version 2>/dev/null)" != *"$SCHEMATHESIS_VERSION"* ]]; then
    echo "schemathesis $SCHEMATHESIS_VERSION: installing it into $venv"
    if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
        echo "python3-venv not found: installing it with apt-get"
        if [[ $EUID -eq 0 ]]; then sudo_=(); else sudo_=(sudo); fi
        "${sudo_[@]}" apt-get update -q
        "${sudo_[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv
    fi
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
echo "$("$venv/bin/schemathesis" --version)"

if [[ ! -x "$bin" ]]; then
    cargo build -q -p insyn
fi

# --- a demo with a fresh database --------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/insyn-schemathesis.XXXXXX")"
server_pid=""
cleanup() {
    local rc=$?
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [[ $rc -ne 0 && -f "$work/server.log" ]]; then
        echo "server log (last 20 lines):" >&2
        tail -n 20 "$work/server.log" >&2 || true
    fi
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

db="sqlite://$work/insyn.db"
"$bin" demo --systems 40 --no-serve --database-url "$db" >"$work/demo.log" 2>&1 ||
    { cat "$work/demo.log" >&2; exit 1; }
token="$("$bin" token create --email admin@exempelstad.se --scope write --name schemathesis \
    --database-url "$db" 2>>"$work/demo.log" | tail -n 1)"
[[ "$token" == insyn_* ]] || { echo "error: no token from insyn token create" >&2; exit 1; }

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
port=""
for candidate in $(shuf -i 20000-29999 -n 50); do
    port_in_use "$candidate" && continue
    NO_COLOR=1 RUST_LOG="${RUST_LOG:-warn}" "$bin" serve --addr "127.0.0.1:$candidate" --database-url "$db" \
        >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        if port_in_use "$candidate"; then
            port=$candidate
            break 2
        fi
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    # Someone else took the port, or the server did not start: try another.
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
done
[[ -n "$port" ]] || { echo "error: the server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
echo "insyn demo (40 systems) on 127.0.0.1:$port, data in $work"

# --- schemathesis --------------------------------------------------------------------
report_dir="${SCHEMATHESIS_REPORT_DIR:-$work/report}"
status=0
# The token is the bearer scheme's (scripts/schemathesis.toml): sent where the document
# asks for it, the API's paths, as the server accepts it only there.
INSYN_SCHEMATHESIS_TOKEN="$token" "$venv/bin/schemathesis" --config-file "$root/scripts/schemathesis.toml" --no-color run \
    "http://127.0.0.1:$port/api/openapi.json" \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$max_examples" \
    --workers 1 \
    --seed 1 \
    --generation-database none \
    --request-timeout 30 \
    --report junit --report-dir "$report_dir" \
    "${extra[@]}" || status=$?
if [[ $status -ne 0 ]]; then
    echo "schemathesis failed (exit $status)" >&2
    exit "$status"
fi
# A 5xx is a failure above; an internal error the server logged is one too.
if grep -q -E '\bERROR\b|panicked' "$work/server.log"; then
    echo "error: the server logged errors during the run:" >&2
    grep -E '\bERROR\b|panicked' "$work/server.log" | head -n 20 >&2
    exit 1
fi
echo "schemathesis: no failures"
