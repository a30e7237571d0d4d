#!/usr/bin/env bash
# insyn's test command: the same steps locally and in CI.
#
#   scripts/test.sh            formatting, clippy (warnings are errors), then every
#                              test on SQLite and on a throwaway PostgreSQL cluster
#   scripts/test.sh --no-lint  skip formatting and clippy (quick local runs)
#
# Anything after the options (or after `--`) is passed to `cargo nextest run`, e.g.
#   scripts/test.sh --no-lint -p insyn-tests -E 'test(/::pg$/)'
#
# Works on a fresh Debian machine with a Rust toolchain: installs PostgreSQL
# (apt), rustfmt/clippy (rustup) and cargo-nextest when they are missing.
# PostgreSQL runs as the `postgres` user in a directory under target/pgtest
# (or /tmp when that is not reachable for it), on 127.0.0.1 and a free port
# from 54329 up, and is stopped and removed on exit, however the script ends.
set -euo pipefail

lint=1
nextest_args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-lint) lint=0 ;;
        -h | --help)
            sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        --) shift; nextest_args+=("$@"); break ;;
        *) nextest_args+=("$1") ;;
    esac
    shift
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$SECONDS

section() {
    printf '\n\033[1m==> %s\033[0m (%ds)\n' "$*" "$((SECONDS - started))"
}

as_root() {
    if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# --- 1. tools -----------------------------------------------------------------
section "Tools"
pg_bin() {
    # The newest installed PostgreSQL's bin directory, if any.
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [[ -n "$d" && -x "$d/initdb" ]] && echo "$d"
}
if ! pg_bin >/dev/null; then
    echo "PostgreSQL not found: installing it with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q
    as_root apt-get install -y -q --no-install-recommends postgresql postgresql-contrib
fi
PG_BIN="$(pg_bin)" || { echo "error: initdb not found under /usr/lib/postgresql/*/bin" >&2; exit 1; }
echo "PostgreSQL: $("$PG_BIN/postgres" --version)"

if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    rustup component add rustfmt clippy
fi
if ! cargo nextest --version >/dev/null 2>&1; then
    cargo install cargo-nextest --locked
fi
echo "$(cargo --version); $(cargo nextest --version | sed -n 1p)"

# --- 2, 3. lint ------------------------------------------------------------------
if [[ $lint -eq 1 ]]; then
    section "Formatting (cargo fmt --all --check)"
    cargo fmt --all --check
    section "Clippy (warnings are errors)"
    cargo clippy --workspace --all-targets -- -D warnings
else
    section "Formatting and clippy skipped (--no-lint)"
fi

# --- 4. a throwaway PostgreSQL cluster -------------------------------------------
section "PostgreSQL test cluster"
pg_dir=""
pg_started=0
cleanup() {
    local rc=$?
    if [[ $pg_started -eq 1 ]]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" stop -D "$pg_dir/data" -m immediate -s >/dev/null 2>&1 || true
    fi
    if [[ -n "$pg_dir" ]]; then
        rm -rf "$pg_dir"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# One directory per run, so that two runs at once do not meet.
target_dir="${CARGO_TARGET_DIR:-$root/target}"
mkdir -p "$target_dir/pgtest"
pg_dir="$(mktemp -d "$target_dir/pgtest/run.XXXXXX")"
chmod 755 "$target_dir/pgtest"
chown postgres: "$pg_dir"
if ! runuser -u postgres -- test -w "$pg_dir"; then
    echo "postgres cannot reach $pg_dir (a parent directory is closed to it): using /tmp"
    rm -rf "$pg_dir"
    pg_dir="$(mktemp -d /tmp/insyn-pg.XXXXXX)"
    chown postgres: "$pg_dir"
fi
runuser -u postgres -- "$PG_BIN/initdb" -D "$pg_dir/data" --auth=trust --username=postgres \
    -E UTF8 --locale=C --no-sync >"$pg_dir/initdb.log" 2>&1 ||
    { cat "$pg_dir/initdb.log" >&2; exit 1; }

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
port=""
for candidate in $(seq 54329 54429); do
    port_in_use "$candidate" && continue
    if runuser -u postgres -- "$PG_BIN/pg_ctl" start -D "$pg_dir/data" -w -t 60 -s \
        -l "$pg_dir/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $candidate -k $pg_dir/data \
            -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
            -c max_connections=200 -c log_checkpoints=off"; then
        port=$candidate
        pg_started=1
        break
    fi
    # Someone took the port between the check and the start: try the next one.
    echo "could not start on port $candidate; trying the next" >&2
done
if [[ -z "$port" ]]; then
    echo "error: PostgreSQL did not start" >&2
    cat "$pg_dir/server.log" >&2 || true
    exit 1
fi
export INSYN_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "PostgreSQL listening on 127.0.0.1:$port, data in $pg_dir/data"
echo "INSYN_TEST_PG_URL=$INSYN_TEST_PG_URL"

# --- OpenID provider for the sign-in tests (tests/oidc-provider) ---------------
# The OIDC tests (tests/it/http_oidc.rs) start the provider themselves, one per
# test on a free port (node tests/oidc-provider/server.js); here its pinned
# packages are installed from the lock file when missing or out of date.
section "OpenID provider for the sign-in tests (npm ci in tests/oidc-provider)"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "error: Node.js and npm are needed for the OpenID Connect tests" >&2
    exit 1
fi
oidc_dir="$root/tests/oidc-provider"
if [[ ! -d "$oidc_dir/node_modules/oidc-provider" ||
    "$oidc_dir/package-lock.json" -nt "$oidc_dir/node_modules/.package-lock.json" ]]; then
    (cd "$oidc_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "node $(node --version), oidc-provider $(node -p "require('$oidc_dir/node_modules/oidc-provider/package.json').version")"
# --- end of the OpenID provider section ------------------------------------------

# --- SMTP server for the mail tests (aiosmtpd) -----------------------------------
# The mail tests (tests/it/mail.rs) start `python3 -m aiosmtpd` themselves, one per
# test on a free port; here it is installed from PyPI when missing (or from
# Debian when pip may not install into this Python).
section "SMTP server for the mail tests (aiosmtpd)"
if ! command -v python3 >/dev/null 2>&1; then
    echo "python3 not found: installing it with apt-get"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3
fi
if ! python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
    python3 -m pip install --quiet aiosmtpd 2>/dev/null || {
        echo "pip could not install aiosmtpd: installing Debian's python3-aiosmtpd"
        as_root apt-get update -q
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-aiosmtpd
    }
fi
echo "$(python3 --version), aiosmtpd $(python3 -c 'import aiosmtpd; print(aiosmtpd.__version__)')"

# --- Load balancer for the two-instance test (haproxy) ---------------------------
# The two-instance test (tests/it/multi_instance.rs) starts two `insyn serve` on one
# PostgreSQL database behind haproxy (round-robin), with a configuration of its own
# on free ports; here Debian's haproxy is installed when missing.
section "Load balancer for the two-instance test (haproxy)"
if ! command -v haproxy >/dev/null 2>&1 && [[ ! -x /usr/sbin/haproxy ]]; then
    echo "haproxy not found: installing Debian's haproxy with apt-get"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends haproxy
fi
"$(command -v haproxy || echo /usr/sbin/haproxy)" -v 2>&1 | sed -n 1p

# --- 5. tests --------------------------------------------------------------------
# Some tests run the binary as processes of their own (two `insyn mail send-once`
# at once): it is built first, copied beside this run's PostgreSQL data (a target
# directory shared by several checkouts may get another build of it meanwhile)
# and named in INSYN_BIN.
section "The insyn binary for the tests (cargo build -p insyn)"
cargo build -q -p insyn
cp "$target_dir/debug/insyn" "$pg_dir/insyn"
export INSYN_BIN="$pg_dir/insyn"

section "Tests (cargo nextest run --workspace --no-fail-fast)"
status=0
cargo nextest run --workspace --no-fail-fast "${nextest_args[@]}" || status=$?

if [[ $status -ne 0 ]]; then
    section "FAILED (exit $status)"
    echo "PostgreSQL server log (last 30 lines):"
    tail -n 30 "$pg_dir/server.log" 2>/dev/null || true
    exit "$status"
fi

# --- 5a. the fuzz harness, a bounded number of cases per target -------------------------
# Every parser of outside input (fuzz/, scripts/fuzz.sh), 300 mutated inputs each from a
# fixed seed: a smoke check that takes seconds; scripts/fuzz.sh runs them for minutes.
if [[ "${CI:-}" != true && ${#nextest_args[@]} -gt 0 ]]; then
    section "Fuzz check skipped (a filtered run)"
else
    section "Fuzz harness, 300 cases per target (scripts/fuzz.sh --cases 300)"
    INSYN_FUZZ_SEED=1 bash scripts/fuzz.sh --cases 300 || { section "FAILED: scripts/fuzz.sh"; exit 1; }
fi

# --- 5b. the benchmark script, at a tiny scale ----------------------------------------
# Timings do not belong in tests: this only checks that scripts/bench.sh still runs end
# to end (200 systems, both databases, 1 s per case, output to a temporary file) and that
# no case had errors. It uses the debug binary, so no release build is needed.
if [[ "${CI:-}" != true && ("${INSYN_SKIP_E2E:-0}" == 1 || ${#nextest_args[@]} -gt 0) ]]; then
    section "Benchmark script check skipped (a filtered or quick run)"
else
    section "Benchmark script at a tiny scale (scripts/bench.sh --tiny)"
    cargo build -q -p insyn
    INSYN_BIN="$target_dir/debug/insyn" bash scripts/bench.sh --tiny ||
        { section "FAILED: scripts/bench.sh --tiny"; exit 1; }
fi

# --- 5b'. faults survived, at a tiny scale --------------------------------------------
# scripts/resilience.sh --tiny: insyn serve killed with SIGKILL during a burst of API
# writes (every acknowledged write must be there after restart, and the audit trail
# verify), and `insyn import` killed half-way (all rows or none), on both databases.
if [[ "${CI:-}" != true && ("${INSYN_SKIP_E2E:-0}" == 1 || ${#nextest_args[@]} -gt 0) ]]; then
    section "Resilience check skipped (a filtered or quick run)"
else
    section "Faults survived at a tiny scale (scripts/resilience.sh --tiny)"
    INSYN_BIN="$target_dir/debug/insyn" bash scripts/resilience.sh --tiny ||
        { section "FAILED: scripts/resilience.sh --tiny"; exit 1; }
fi

# --- 5c. the API contract (schemathesis against a demo) ------------------------------
# scripts/schemathesis.sh: examples, coverage, fuzzing and stateful phases against the
# OpenAPI document of `insyn demo`; any failure fails the run. Skipped like the
# browser tests on a filtered or quick local run.
if [[ "${CI:-}" != true && ("${INSYN_SKIP_E2E:-0}" == 1 || ${#nextest_args[@]} -gt 0) ]]; then
    section "API contract check skipped (a filtered or quick run)"
else
    section "API contract (scripts/schemathesis.sh)"
    INSYN_BIN="$target_dir/debug/insyn" bash scripts/schemathesis.sh ||
        { section "FAILED: scripts/schemathesis.sh"; exit 1; }
fi

# --- 6. browser tests (e2e/) ---------------------------------------------------------
# BEGIN browser tests (issue 8): the journeys, axe (WCAG 2.1 A/AA) in both languages,
# keyboard-only use, 320 px and 200 % zoom, in Debian's chromium driven by
# playwright-core, against the real binary (`insyn demo`, one server per test file, each
# on a free port with its own SQLite database). Screenshots go to $INSYN_ARTIFACTS
# (default /tmp/insyn-e2e), outside the repository. Node's own test runner, no other.
# Local runs skip them with INSYN_SKIP_E2E=1 or when cargo nextest gets arguments (a
# filtered run); CI always runs them.
if [[ "${CI:-}" != true && ("${INSYN_SKIP_E2E:-0}" == 1 || ${#nextest_args[@]} -gt 0) ]]; then
    section "Browser tests skipped (INSYN_SKIP_E2E=1 or a filtered run)"
else
    section "Browser tests (e2e/: chromium + playwright-core + axe-core, node --test)"
    e2e_started=$SECONDS
    if [[ ! -x /usr/bin/chromium ]]; then
        echo "chromium not found: installing Debian's chromium with apt-get"
        as_root apt-get update -q
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
    fi
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        echo "node/npm not found: installing them with apt-get"
        as_root apt-get update -q
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm
    fi
    echo "$(/usr/bin/chromium --version 2>/dev/null | sed -n 1p); node $(node --version)"
    # npm ci only when node_modules is missing or package-lock.json changed since the last one.
    e2e_lock="$(sha256sum e2e/package-lock.json | cut -d' ' -f1)"
    if [[ ! -d e2e/node_modules || "$(cat e2e/node_modules/.insyn-lock.sha256 2>/dev/null)" != "$e2e_lock" ]]; then
        (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
        echo "$e2e_lock" >e2e/node_modules/.insyn-lock.sha256
    fi
    cargo build -p insyn # a no-op when the binary is up to date
    export INSYN_ARTIFACTS="${INSYN_ARTIFACTS:-/tmp/insyn-e2e}"
    e2e_status=0
    (cd e2e && INSYN_BIN="$target_dir/debug/insyn" node --test --test-concurrency=2) || e2e_status=$?
    echo "Browser tests took $((SECONDS - e2e_started)) s; screenshots in $INSYN_ARTIFACTS/screenshots"
    if [[ $e2e_status -ne 0 ]]; then
        section "FAILED: browser tests (exit $e2e_status)"
        exit "$e2e_status"
    fi
fi
# END browser tests

section "All checks passed"
