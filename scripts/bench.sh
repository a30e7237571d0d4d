#!/usr/bin/env bash
# insyn's benchmark: how fast the server answers at municipal and national scale.
#
#   scripts/bench.sh           build release, then for SQLite and PostgreSQL at 1,000,
#                              10,000 and 100,000 systems: load the demo (timed), start
#                              insyn (cold start-up time), drive each case with wrk over
#                              loopback (32 connections, 2 threads, bounded time), record
#                              requests/s, median and p99 latency, errors and peak RSS;
#                              profile the cases that miss their target; time every page
#                              type one request at a time (scripts/bench/pages.txt); run the
#                              list and get cases against a minimal axum + SQLite server
#                              beside insyn (bench/ceiling) for a ratio; write the results
#                              into BENCHMARKS.md (between its bench markers)
#   scripts/bench.sh --national   PostgreSQL, 290 organisations of 500 systems, two insyn
#                              instances behind haproxy: list, search, tasks and compliance
#                              with wrk over all organisations (scripts/bench/national.sh)
#   scripts/bench.sh --tiny    200 systems, both databases, 1 s per case, results to a
#                              temporary file; exits non-zero when a case had errors or
#                              produced no result (the test command runs this)
#
# Options: --sizes "1000 10000" --backends "sqlite postgres" --duration S (largest size)
#          --duration-small S (other sizes) --warmup S --connections N --threads N
#          --runs N (measured runs of each case at the largest size, the median kept and
#          the range shown; 3, tiny 1: one run of 8 s varied 1.6x between runs on this machine)
#          --out FILE --bin PATH (skip the build) --profile / --no-profile
#          --wait-idle S (wait up to S seconds in all for other CPU use to stop; 600, tiny 0)
#          --import-size N (the size whose register is exported to .xlsx and imported
#          into an empty database, timed; 10000, tiny 200)
#          --page-requests N --page-warmup N (per page type; 20 and 2, 10 at 100,000 and
#          more; tiny 1 and 0: status only) --no-ceiling --ceiling-bin PATH (skip its build;
#          the ceiling is off in --tiny) --orgs N --org-systems N (--national: 290, 500)
# Environment: INSYN_BIN=path/to/insyn (as --bin, e.g. target/debug/insyn);
#          INSYN_BENCH_TOKEN=… sends "Authorization: Bearer …" with every request
#          (without it: a write token for INSYN_BENCH_EMAIL, default the demo's
#          administrator, made with `insyn token create` for each database);
#          INSYN_BENCH_HEADER="Name: value" sends one more header.
#
# Installs wrk, curl, PostgreSQL (and haproxy for --national) with apt-get when
# missing. Everything it starts (insyn, the ceiling, haproxy, a throwaway PostgreSQL
# cluster under target/bench, perf) is stopped and removed on exit, however the
# script ends. Load goes to 127.0.0.1 only.
set -Eeuo pipefail
trap 'echo "bench.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
lua_dir="$root/scripts/bench"
invoked="scripts/bench.sh${*:+ $*}"
if [[ "$(nice)" != 0 ]]; then invoked="nice -n $(nice) $invoked"; fi

# --- options ------------------------------------------------------------------
tiny=0
sizes=""
backends="sqlite postgres"
duration=""
duration_small=""
runs=""
warmup=""
connections=32
threads=2
out=""
profile=""
profile_secs=4
wait_idle=""
import_size=""
bin="${INSYN_BIN:-}"
page_requests=""
page_warmup=""
ceiling=""
ceiling_bin=""
national=0
national_orgs=290
national_systems=500
while [[ $# -gt 0 ]]; do
    case "$1" in
        --tiny) tiny=1 ;;
        --sizes) sizes="$2"; shift ;;
        --backends) backends="$2"; shift ;;
        --duration) duration="$2"; shift ;;
        --duration-small) duration_small="$2"; shift ;;
        --warmup) warmup="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --connections) connections="$2"; shift ;;
        --threads) threads="$2"; shift ;;
        --out) out="$2"; shift ;;
        --bin) bin="$2"; shift ;;
        --profile) profile=1 ;;
        --no-profile) profile=0 ;;
        --wait-idle) wait_idle="$2"; shift ;;
        --import-size) import_size="$2"; shift ;;
        --page-requests) page_requests="$2"; shift ;;
        --page-warmup) page_warmup="$2"; shift ;;
        --no-ceiling) ceiling=0 ;;
        --ceiling-bin) ceiling_bin="$2"; shift ;;
        --national) national=1 ;;
        --orgs) national_orgs="$2"; shift ;;
        --org-systems) national_systems="$2"; shift ;;
        -h | --help) sed -n '2,39p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
# Defaults by mode; options given explicitly win.
# The national run keeps one 8 s run per case (its cases rotate over 290
# organisations; --runs applies to the full run's largest size).
if [[ $national -eq 1 ]]; then : "${duration:=8}"; fi
if [[ $tiny -eq 1 ]]; then
    : "${sizes:=200}" "${duration:=1}" "${duration_small:=1}" "${runs:=1}" "${warmup:=0}" "${profile:=0}" "${wait_idle:=0}"
    : "${import_size:=200}" "${page_requests:=1}" "${page_warmup:=0}" "${ceiling:=0}"
else
    : "${sizes:=1000 10000 100000}" "${duration:=5}" "${duration_small:=3}" "${runs:=3}" "${warmup:=1}" "${profile:=1}"
    : "${wait_idle:=600}" "${import_size:=10000}" "${page_warmup:=2}" "${ceiling:=1}"
fi
if [[ $national -eq 1 ]]; then backends=postgres; ceiling=0; profile=0; fi
page_target_ms=50 # issue 22: every page's median at 100,000 systems
page_profiles=6   # the slowest pages over it at the largest size are profiled
target_size=100000 # the size the issue's targets are set for
largest=0
for s in $sizes; do if ((s > largest)); then largest=$s; fi; done

started=$SECONDS
section() { printf '\n\033[1m==> %s\033[0m (%ds)\n' "$*" "$((SECONDS - started))" >&2; }
note() { printf '    %s\n' "$*" >&2; }
die() { printf 'bench.sh: error: %s\n' "$*" >&2; exit 1; }
as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# --- tools ----------------------------------------------------------------------
section "Tools"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
pg_bin() {
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [[ -n "$d" && -x "$d/initdb" ]] && echo "$d"
}
if [[ " $backends " == *" postgres "* ]] && ! pg_bin >/dev/null; then
    missing+=(postgresql postgresql-contrib)
fi
if [[ $national -eq 1 ]] && ! command -v haproxy >/dev/null && [[ ! -x /usr/sbin/haproxy ]]; then
    missing+=(haproxy)
fi
if [[ $profile -eq 1 ]] && ! command -v perf >/dev/null; then
    missing+=(linux-perf)
fi
if [[ ${#missing[@]} -gt 0 ]]; then
    note "installing with apt-get: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q >/dev/null
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
        { [[ " ${missing[*]} " == *" linux-perf "* ]] && command -v wrk >/dev/null &&
            note "perf could not be installed: no profiles"; }
fi
command -v wrk >/dev/null || die "wrk is not installed"
command -v curl >/dev/null || die "curl is not installed"
if [[ $profile -eq 1 ]] && ! perf record -q -o /dev/null -- true >/dev/null 2>&1; then
    note "perf cannot record here: no profiles"
    profile=0
fi
wrk_version="$( (wrk -v 2>&1 || true) | head -n 1 | awk '{print $1, $2}')"
note "$wrk_version; $(curl --version | head -n 1 | awk '{print $1, $2}')"

# --- insyn --------------------------------------------------------------------------
target_dir="${CARGO_TARGET_DIR:-$root/target}"
build_secs=""
if [[ -z "$bin" ]]; then
    section "Build (cargo build --release -p insyn)"
    build_start=$SECONDS
    cargo build --release -p insyn
    build_secs=$((SECONDS - build_start))
    bin="$target_dir/release/insyn"
fi
[[ -x "$bin" ]] || die "no insyn binary at $bin"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
note "insyn: $bin"

# --- work directory, clean-up -------------------------------------------------------
mkdir -p "$target_dir/bench"
chmod 755 "$target_dir/bench"
work="$(mktemp -d "$target_dir/bench/run.XXXXXX")"
# insyn serve and demo on PostgreSQL need the audit trail's key (SQLite makes one
# next to the database); one for the whole run, in a file of the run's own.
if [[ -z "${INSYN_AUDIT_KEY:-}${INSYN_AUDIT_KEY_FILE:-}" ]]; then
    export INSYN_AUDIT_KEY_FILE="$work/audit.key"
    (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$INSYN_AUDIT_KEY_FILE")
fi
chmod 755 "$work"
server_pid=""
pg_dir=""
pg_started=0
PG_BIN=""
# Other processes the run starts (the ceiling, a second instance, haproxy).
extra_pids=()
cleanup() {
    local rc=$? p
    for p in "$server_pid" "${ceiling_pid:-}" "${extra_pids[@]}"; do
        [[ -n "$p" ]] || continue
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    if [[ $pg_started -eq 1 ]]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" stop -D "$pg_dir/data" -m immediate -s >/dev/null 2>&1 || true
    fi
    if [[ -n "$pg_dir" && "$pg_dir" != "$work"* ]]; then rm -rf "$pg_dir"; fi
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
    local p
    for p in $(seq "$1" "$(($1 + 200))"); do
        port_in_use "$p" || { echo "$p"; return 0; }
    done
    return 1
}

# --- a throwaway PostgreSQL cluster (as in scripts/test.sh) -------------------------
pg_port=""
pg_settings="shared_buffers=256MB, synchronous_commit=off (like SQLite's WAL + synchronous=NORMAL), fsync on"
start_postgres() {
    section "PostgreSQL cluster"
    PG_BIN="$(pg_bin)" || die "initdb not found under /usr/lib/postgresql/*/bin"
    pg_dir="$work/pg"
    mkdir -p "$pg_dir"
    chown postgres: "$pg_dir"
    if ! runuser -u postgres -- test -w "$pg_dir"; then
        note "postgres cannot reach $pg_dir (a parent directory is closed to it): using /tmp"
        rm -rf "$pg_dir"
        pg_dir="$(mktemp -d /tmp/insyn-bench-pg.XXXXXX)"
        chown postgres: "$pg_dir"
    fi
    runuser -u postgres -- "$PG_BIN/initdb" -D "$pg_dir/data" --auth=trust --username=postgres \
        -E UTF8 --locale=C --no-sync >"$pg_dir/initdb.log" 2>&1 ||
        { cat "$pg_dir/initdb.log" >&2; exit 1; }
    local candidate
    for candidate in $(seq 54529 54629); do
        port_in_use "$candidate" && continue
        if runuser -u postgres -- "$PG_BIN/pg_ctl" start -D "$pg_dir/data" -w -t 60 -s \
            -l "$pg_dir/server.log" \
            -o "-c listen_addresses=127.0.0.1 -p $candidate -k $pg_dir/data \
                -c max_connections=100 -c shared_buffers=256MB -c synchronous_commit=off \
                -c log_checkpoints=off"; then
            pg_port=$candidate
            pg_started=1
            break
        fi
        note "could not start on port $candidate; trying the next"
    done
    [[ -n "$pg_port" ]] || { cat "$pg_dir/server.log" >&2 || true; die "PostgreSQL did not start"; }
    pg_version="$("$PG_BIN/postgres" --version | awk '{print $3}')"
    note "PostgreSQL $pg_version on 127.0.0.1:$pg_port, data in $pg_dir/data"
}
pg() { runuser -u postgres -- "$PG_BIN/$1" -h 127.0.0.1 -p "$pg_port" -U postgres "${@:2}"; }

# --- requests ---------------------------------------------------------------------------
org="exempelstad"
# Headers sent with every request. Without INSYN_BENCH_TOKEN, each database gets a
# write token of its own for INSYN_BENCH_EMAIL (the demo's administrator), made with
# `insyn token create`, when the binary has that command.
env_auth=()
if [[ -n "${INSYN_BENCH_TOKEN:-}" ]]; then env_auth+=(-H "Authorization: Bearer $INSYN_BENCH_TOKEN"); fi
if [[ -n "${INSYN_BENCH_HEADER:-}" ]]; then env_auth+=(-H "$INSYN_BENCH_HEADER"); fi
bench_email="${INSYN_BENCH_EMAIL:-admin@exempelstad.se}"
# Pages take a browser session, not a token: the HTML cases sign in with this
# password (the demo administrator's, which is public).
bench_password="${INSYN_BENCH_PASSWORD:-demo-administrator}"
auth=()
api_auth=()
page_auth=()
has_tokens=0
if "$bin" token create --help >/dev/null 2>&1; then has_tokens=1; fi
has_import=0
if "$bin" import --help >/dev/null 2>&1 && "$bin" export --help >/dev/null 2>&1; then has_import=1; fi

# name|label|lua script|path (after http://127.0.0.1:PORT)|expected status
# "create" runs last: it grows the database.
cases=(
    "api_list|API list (page of 50, lifecycle filter, sorted by name)|plain.lua|/api/v1/orgs/$org/systems?per_page=50&lifecycle=in_operation&sort=name|200"
    "api_get|API get one system (ids rotated)|rotate.lua|/api/v1/orgs/$org/systems/%s|200"
    "api_search|API full-text search (q=ekonomi, page of 50)|plain.lua|/api/v1/orgs/$org/systems?q=ekonomi&per_page=50|200"
    "html_register|HTML register page|plain.lua|/o/$org/systems|200"
    "html_system|HTML system page (ids rotated)|rotate.lua|/o/$org/systems/%s|200"
    "html_map|HTML dependency map of Treserva (about 50 neighbours, SVG and table)|plain.lua|/o/$org/systems/@hub@/map|200"
    "html_org_map|HTML dependency map of the whole organisation (at most 60 systems drawn, flows paged)|plain.lua|/o/$org/map|200"
    "html_tasks|HTML tasks page (Mina uppgifter, from the compliance snapshot)|plain.lua|/o/$org/tasks|200"
    "html_compliance|HTML compliance dashboard (charts, first page of gaps)|plain.lua|/o/$org/compliance|200"
    "html_cycle|HTML årshjul of the current year|plain.lua|/o/$org/cycle|200"
    "api_compliance|API compliance (coverage and one page of 50 systems)|plain.lua|/api/v1/orgs/$org/compliance?per_page=50|200"
    "api_create|API create a system (with its audit entry)|create.lua|/api/v1/orgs/$org/systems|201"
)

# Targets from issue 7 (2 cores, 100,000 systems, SQLite): min req/s and max p99 ms.
declare -A min_rps=([api_list]=5000 [api_get]=15000 [api_search]=2000 [html_register]=2000 [api_create]=1000)
declare -A max_p99=([api_list]=20 [api_search]=30 [html_map]=100 [html_tasks]=100 [html_compliance]=100 [html_cycle]=100 [api_compliance]=100)
max_rss_mb=200
max_startup_ms=1000

declare -A R   # results: R[backend/size/case/field]
declare -A C   # per database and size: C[backend/size/field]
failures=()
profiles=()
run_id="$(date +%s)-$$"

# The status of one request; 000 when it took more than 10 s (a case recorded as failed,
# not the end of the run: the previous case may have left the server a backlog).
status_of() { curl -s -o "$work/last-body" -w '%{http_code}' --max-time 10 "${auth[@]}" "$@" || true; }

wait_ready() {
    local base=$1 deadline=$((SECONDS + 60))
    until curl -fs -o /dev/null --max-time 2 "$base/healthz"; do
        kill -0 "$server_pid" 2>/dev/null || return 1
        ((SECONDS < deadline)) || return 1
    done
}

# The ids of systems spread over the whole register (a few pages of 100).
collect_ids() {
    local base=$1 file=$2 total pages p k
    status_of "$base/api/v1/orgs/$org/systems?per_page=100&sort=name" >/dev/null
    total="$(grep -o '"total":[0-9]*' "$work/last-body" | head -n 1 | cut -d: -f2)"
    [[ -n "$total" && "$total" -gt 0 ]] || die "the list returned no systems: $(head -c 300 "$work/last-body")"
    pages=$(((total + 99) / 100))
    : >"$file"
    for k in 0 1 2 3 4; do
        p=$((1 + k * (pages - 1) / 4))
        status_of "$base/api/v1/orgs/$org/systems?per_page=100&sort=name&page=$p" >/dev/null
        grep -o '{"id":"[0-9a-f-]\{36\}"' "$work/last-body" | cut -d'"' -f4 >>"$file"
    done
    sort -u -o "$file" "$file"
    [[ -s "$file" ]] || die "no system ids found"
}

run_wrk() { # secs lua url [args…] → prints wrk's output
    local secs=$1 lua=$2 url=$3
    shift 3
    wrk -t"$threads" -c"$connections" -d"${secs}s" --timeout 5s "${auth[@]}" \
        -s "$lua_dir/$lua" "$url" -- "$@" 2>&1
}

ms() { if [[ $1 == *s ]]; then echo "$1"; else echo "$1 ms"; fi; }
field() { sed -n "s/.*[ ]$1=\([0-9.]*\).*/\1/p" <<<"$2" | head -n 1; }
# A WRK_RESULT line into R[KEY/requests|rps|p50|p99|errors] (latencies in ms).
wrk_record() { # key line
    local k=$1 line=$2
    R[$k/requests]="$(field requests "$line")"
    R[$k/rps]="$(field rps "$line")"
    # wrk has no latency for requests that timed out: with none completed in
    # time, say so rather than print 0.
    R[$k/p50]="$(awk -v u="$(field p50_us "$line")" 'BEGIN { if (u > 0) printf "%.1f", u / 1000; else print "> 5 s" }')"
    R[$k/p99]="$(awk -v u="$(field p99_us "$line")" 'BEGIN { if (u > 0) printf "%.1f", u / 1000; else print "> 5 s" }')"
    R[$k/errors]=$(($(field non2xx "$line") + $(field connect "$line") + $(field read "$line") +
        $(field write "$line") + $(field timeout "$line")))
}

# The index of the median of the numbers given (the lower middle of an even count).
median_index() {
    printf '%s\n' "$@" | awk '{ print NR - 1, ($1 == "" ? 0 : $1) }' | sort -k2,2g | awk -v m=$((($# + 1) / 2)) 'NR == m { print $1 }'
}
# "min–max" of the numbers given, as whole requests/s.
range_of() {
    local lo hi
    read -r lo hi <<<"$(printf '%s\n' "$@" | awk '$1 != "" { v = $1 + 0; if (n++ == 0 || v < lo) lo = v; if (v > hi) hi = v }
        END { printf "%.0f %.0f", lo, hi }')"
    echo "$(fmt_int "$lo")–$(fmt_int "$hi")"
}

# Is a case's result within its target? Prints "met", "missed" or "".
verdict() {
    local b=$1 s=$2 c=$3 rps p99
    rps="${R[$b/$s/$c/rps]:-}"
    p99="${R[$b/$s/$c/p99]:-}"
    [[ -n "${min_rps[$c]:-}" && -n "$rps" ]] || return 0
    if awk -v r="$rps" -v m="${min_rps[$c]}" -v p="$p99" -v mp="${max_p99[$c]:-}" \
        'BEGIN { exit !(r >= m && (mp == "" || (p !~ />/ && p + 0 <= mp + 0))) }'; then
        echo met
    else
        echo missed
    fi
}

# The first N lines of a perf report (nothing when it has no samples there).
perf_top() { # data N report-options…
    local data=$1 n=$2
    shift 2
    { perf report -i "$data" --no-children --stdio -g none "$@" 2>/dev/null || true; } |
        { grep -v -e '^#' -e '^$' || true; } | sed -n "1,${n}p"
}
profile_case() { # backend size case lua url args…
    local b=$1 s=$2 c=$3 lua=$4 url=$5
    shift 5
    local f="$work/perf-$b-$s-$c"
    note "profiling $c for ${profile_secs}s (perf record -a, not counted in the results)"
    run_wrk $((profile_secs + 2)) "$lua" "$url" "$@" >/dev/null &
    local wrk_pid=$!
    sleep 1
    perf record -q -a -F 499 -o "$f.data" -- sleep "$profile_secs" >/dev/null 2>&1 || true
    wait "$wrk_pid" || true
    [[ -s "$f.data" ]] || return 0
    {
        echo "CPU of the 2 cores by thread name (all processes; wrk is the load generator):"
        perf_top "$f.data" 8 --sort comm
        echo
        echo "insyn process only (pid $server_pid), by library:"
        perf_top "$f.data" 6 --pid "$server_pid" --sort dso
        echo
        echo "insyn process only, top symbols (self time):"
        perf_top "$f.data" 20 --pid "$server_pid" --sort sym
        if [[ $b == postgres ]]; then
            echo
            echo "PostgreSQL processes, top symbols (self time):"
            perf_top "$f.data" 12 --comm postgres --sort sym
        fi
    } >"$f.txt"
    rm -f "$f.data"
    profiles+=("$b|$s|$c|$f.txt")
}

# --- CPU accounting: who used the cores during a case ----------------------------
# Ticks (1/100 s) of the whole machine from /proc/stat: "busy total".
machine_ticks() {
    local _ user nice system idle iowait irq softirq steal
    read -r _ user nice system idle iowait irq softirq steal _ </proc/stat
    echo "$((user + nice + system + irq + softirq + steal)) $((user + nice + system + idle + iowait + irq + softirq + steal))"
}
# CPU ticks of a process and of its children that it has waited for.
proc_ticks() {
    local st a
    st="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return 0; }
    read -r -a a <<<"${st##*) }"
    echo $((a[11] + a[12] + a[13] + a[14]))
}
# PostgreSQL: the postmaster of our cluster and its processes.
pg_ticks() {
    local pm t=0 c
    [[ $pg_started -eq 1 && -f "$pg_dir/data/postmaster.pid" ]] || { echo 0; return 0; }
    pm="$(sed -n '1,1p' "$pg_dir/data/postmaster.pid")"
    t=$(proc_ticks "$pm")
    for c in $(pgrep -P "$pm" || true); do t=$((t + $(proc_ticks "$c"))); done
    echo "$t"
}
# CPU of this shell's finished children (wrk, curl), from the `times` builtin,
# into $kids_ticks (not through $(…): a subshell would count its own children).
children_ticks() {
    times >"$work/times"
    kids_ticks=$(awk 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); n += p[1] * 60 + p[2] } printf "%d", n * 100 }' "$work/times")
}
cpu_mark() {
    read -r c_busy c_total <<<"$(machine_ticks)"
    c_srv=$(proc_ticks "$server_pid")
    c_pg=$(pg_ticks)
    children_ticks
    c_kids=$kids_ticks
}
cpu_split() { # → $cpu_result: "insyn/PostgreSQL/wrk/other" in % of the machine since cpu_mark
    local busy total srv pgt kids
    read -r busy total <<<"$(machine_ticks)"
    srv=$(($(proc_ticks "$server_pid") - c_srv))
    pgt=$(($(pg_ticks) - c_pg))
    children_ticks
    kids=$((kids_ticks - c_kids))
    total=$((total - c_total))
    ((total > 0)) || total=1
    # Process times and /proc/stat do not always add up exactly: when the processes
    # account for more than the machine's busy time, scale them down to it.
    cpu_result=$(awk -v b=$((busy - c_busy)) -v t=$total -v s=$srv -v p=$pgt -v k=$kids 'BEGIN {
        o = b - s - p - k; if (o < 0) { f = b / (s + p + k); s *= f; p *= f; k *= f; o = 0 }
        printf "%.0f/%.0f/%.0f/%.0f", 100 * s / t, 100 * p / t, 100 * k / t, 100 * o / t }')
}
# CPU used on the machine over 2 s, in % (other engineers' builds, …).
busy_pct() {
    local b0 t0 b1 t1
    read -r b0 t0 <<<"$(machine_ticks)"
    sleep 2
    read -r b1 t1 <<<"$(machine_ticks)"
    echo $((100 * (b1 - b0) / (t1 - t0 > 0 ? t1 - t0 : 1)))
}
# Before each database and size: wait (within the --wait-idle budget) until the
# machine is idle, so that a build running beside does not skew the figures.
idle_budget_end=0
waited=0
wait_for_idle() {
    local pct
    pct=$(busy_pct)
    while ((pct > 20 && SECONDS < idle_budget_end)); do
        note "the machine is busy (${pct}% CPU, load $(cut -d' ' -f1-3 /proc/loadavg)): waiting for it to calm down"
        sleep 8
        pct=$(busy_pct)
    done
    echo "$pct"
}

# Import of an N-row .xlsx: the demo register exported with `insyn export`, then
# imported with `insyn import` into a new, migrated, empty database (the import is
# timed: process start to exit).
measure_import() { # backend size url
    local b=$1 s=$2 url=$3 file="$work/import-$2.xlsx" url2 t0 t1 created
    "$bin" export --org "$org" --format xlsx --out "$file" --database-url "$url" \
        >>"$work/import-$b-$s.log" 2>&1 || { cat "$work/import-$b-$s.log" >&2; die "export failed ($b, $s)"; }
    if [[ $b == postgres ]]; then
        pg createdb bench_import
        url2="postgres://postgres@127.0.0.1:$pg_port/bench_import"
    else
        url2="sqlite://$work/import.db"
    fi
    "$bin" migrate --database-url "$url2" >>"$work/import-$b-$s.log" 2>&1
    t0=${EPOCHREALTIME/./}
    if ! "$bin" import --org importstad "$file" --database-url "$url2" >"$work/import-$b-$s.out" 2>>"$work/import-$b-$s.log"; then
        tail -n 5 "$work/import-$b-$s.out" "$work/import-$b-$s.log" >&2
        failures+=("$b/$s/import: insyn import failed")
    fi
    t1=${EPOCHREALTIME/./}
    created="$(grep -o '^[0-9]* created' "$work/import-$b-$s.out" | tail -n 1 | cut -d' ' -f1)"
    C[$b/$s/import_s]="$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1e6 }')"
    C[$b/$s/import_rows]="${created:-0}"
    note "import of a $s-row .xlsx ($(du -k "$file" | cut -f1) KB): ${C[$b/$s/import_s]} s, ${created:-0} systems created"
    if [[ "${created:-0}" -ne $s ]]; then
        failures+=("$b/$s/import: ${created:-0} of $s rows created")
    fi
    if [[ $b == postgres ]]; then
        pg dropdb bench_import
    else
        rm -f "$work/import.db" "$work/import.db-wal" "$work/import.db-shm"
    fi
    rm -f "$file"
}

bench_config() { # backend size
    local b=$1 s=$2
    local url db_file="" t0 t1 port base secs ids="$work/ids-$1-$2.txt"
    section "$b, $s systems"
    local wait_start=$SECONDS
    C[$b/$s/idle]="$(wait_for_idle)"
    waited=$((waited + SECONDS - wait_start))
    C[$b/$s/loadavg]="$(cut -d' ' -f1 /proc/loadavg)"
    note "CPU in use before: ${C[$b/$s/idle]}%, load average ${C[$b/$s/loadavg]}"
    case "$b" in
        sqlite)
            db_file="$work/sqlite-$s.db"
            url="sqlite://$db_file"
            ;;
        postgres)
            pg createdb "bench_$s"
            url="postgres://postgres@127.0.0.1:$pg_port/bench_$s"
            ;;
        *) die "unknown backend $b (sqlite or postgres)" ;;
    esac

    t0=${EPOCHREALTIME/./}
    "$bin" demo --systems "$s" --no-serve --database-url "$url" >"$work/demo-$b-$s.log" 2>&1 ||
        { cat "$work/demo-$b-$s.log" >&2; die "demo load failed ($b, $s)"; }
    t1=${EPOCHREALTIME/./}
    C[$b/$s/load_s]="$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1e6 }')"
    note "demo data loaded in ${C[$b/$s/load_s]} s"
    if [[ "$b" == postgres ]]; then
        # What autovacuum does within a minute or two of a bulk load in production:
        # statistics for the planner and a visibility map for index-only scans.
        t0=${EPOCHREALTIME/./}
        pg vacuumdb --analyze --quiet --dbname "bench_$s"
        t1=${EPOCHREALTIME/./}
        note "VACUUM ANALYZE in $(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1e6 }') s"
    fi

    auth=("${env_auth[@]}")
    if [[ -z "${INSYN_BENCH_TOKEN:-}" && $has_tokens -eq 1 ]]; then
        local token
        token="$("$bin" token create --email "$bench_email" --scope write --name bench \
            --database-url "$url" 2>>"$work/demo-$b-$s.log" | tail -n 1)" ||
            die "could not create an API token for $bench_email ($b, $s)"
        auth+=(-H "Authorization: Bearer $token")
    fi

    if [[ $has_import -eq 1 && $s -eq $import_size ]]; then
        measure_import "$b" "$s" "$url"
    fi

    port="$(free_port 18180)" || die "no free port"
    base="http://127.0.0.1:$port"
    t0=${EPOCHREALTIME/./}
    "$bin" serve --addr "127.0.0.1:$port" --database-url "$url" \
        >"$work/serve-$b-$s.log" 2>&1 &
    server_pid=$!
    wait_ready "$base" || { cat "$work/serve-$b-$s.log" >&2; die "insyn did not become ready ($b, $s)"; }
    t1=${EPOCHREALTIME/./}
    C[$b/$s/startup_ms]=$(((t1 - t0) / 1000))
    note "start-up (process start to first 200 from /healthz): ${C[$b/$s/startup_ms]} ms"

    # A session for the page cases (tokens open the API only).
    local session
    session="$(curl -s -D - -o /dev/null --max-time 10 \
        --data-urlencode "email=$bench_email" --data-urlencode "password=$bench_password" \
        "$base/login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: __Host-insyn=\([^;]*\).*/\1/p' | head -n 1)"
    api_auth=("${auth[@]}")
    page_auth=("${env_auth[@]}")
    if [[ -n "$session" ]]; then
        page_auth+=(-H "Cookie: __Host-insyn=$session")
    else
        note "could not sign in as $bench_email: the page cases will be refused"
    fi

    collect_ids "$base" "$ids"
    note "$(wc -l <"$ids") system ids for the rotating cases"
    # The demo's integration hub (issue 18): Treserva, with about 50 flows.
    local hub
    status_of "$base/api/v1/orgs/$org/systems?q=Treserva&per_page=1" >/dev/null
    hub="$(grep -o '{"id":"[0-9a-f-]\{36\}"' "$work/last-body" | head -n 1 | cut -d'"' -f4)"
    secs=$duration_small
    ((s == largest)) && secs=$duration

    local entry name label lua path expect url_c args out code pages_done=0
    for entry in "${cases[@]}"; do
        IFS='|' read -r name label lua path expect <<<"$entry"
        # Every page, one request at a time, before "create" grows the register.
        if [[ $name == api_create ]]; then
            section "$b, $s systems: every page, one request at a time"
            pages_run "$b" "$s" "$base"
            pages_done=1
        fi
        path="${path//@hub@/$hub}"
        args=()
        if [[ "$path" == /o/* ]]; then auth=("${page_auth[@]}"); else auth=("${api_auth[@]}"); fi
        case "$lua" in
            rotate.lua)
                url_c="$base"
                args=("$ids" "$path")
                code="$(status_of "$base${path//%s/$(head -n 1 "$ids")}")"
                ;;
            create.lua)
                url_c="$base$path"
                args=("$run_id")
                code="$(status_of -X POST -H 'Content-Type: application/json' \
                    --data "{\"name\":\"Bench smoke $run_id\",\"lifecycle\":\"in_operation\"}" "$url_c")"
                ;;
            *)
                url_c="$base$path"
                code="$(status_of "$url_c")"
                ;;
        esac
        if [[ "$code" != "$expect" ]]; then
            note "$name: expected HTTP $expect before the run, got $code: $(head -c 300 "$work/last-body" | tr -s '\n\t ' ' ')"
            note "server log: $(tail -n 3 "$work/serve-$b-$s.log" | tr -s '\n' ' ')"
            failures+=("$b/$s/$name: HTTP $code before the run")
            continue
        fi
        # The last argument names the phase: create.lua puts it into the system names.
        local attempt=1 other w0
        while :; do
            if ((warmup > 0)); then
                run_wrk "$warmup" "$lua" "$url_c" "${args[@]}" "warmup$attempt" >/dev/null
            fi
            # One run at the smaller sizes; at the largest, $runs runs and the one
            # with the median requests/s kept (their range beside it).
            local n=1 r rates=() outs=() cpus=()
            ((s == largest)) && n=$runs
            for ((r = 1; r <= n; r++)); do
                cpu_mark
                outs+=("$(run_wrk "$secs" "$lua" "$url_c" "${args[@]}" "run$attempt-$r")")
                cpu_split
                cpus+=("$cpu_result")
                rates+=("$(field rps "$(grep '^WRK_RESULT ' <<<"${outs[-1]}" || true)")")
            done
            r="$(median_index "${rates[@]}")"
            out="${outs[$r]}"
            cpu_result="${cpus[$r]}"
            R[$b/$s/$name/range]=""
            ((n > 1)) && R[$b/$s/$name/range]="$(range_of "${rates[@]}")"
            other="${cpu_result##*/}"
            # Something beside the benchmark took a share of the CPU: run the case
            # once more when it has stopped (within the --wait-idle budget).
            if ((attempt == 1 && other > 15 && SECONDS < idle_budget_end)); then
                note "$name: other processes used ${other}% of the CPU during the case; running it again when they stop"
                w0=$SECONDS
                wait_for_idle >/dev/null
                waited=$((waited + SECONDS - w0))
                attempt=2
                continue
            fi
            break
        done
        R[$b/$s/$name/cpu]=$cpu_result
        echo "$out" >"$work/wrk-$b-$s-$name.log"
        if ! grep -q '^WRK_RESULT ' <<<"$out"; then
            note "$name: no result from wrk:"
            sed 's/^/      /' <<<"$out" >&2
            failures+=("$b/$s/$name: no result")
            continue
        fi
        local requests errors
        wrk_record "$b/$s/$name" "$(grep '^WRK_RESULT ' <<<"$out")"
        requests=${R[$b/$s/$name/requests]}
        errors=${R[$b/$s/$name/errors]}
        note "$(printf '%-14s %9s req/s  median %9s  p99 %9s  errors %s  CPU insyn/pg/wrk/other %s%%' \
            "$name" "${R[$b/$s/$name/rps]}" "$(ms "${R[$b/$s/$name/p50]}")" "$(ms "${R[$b/$s/$name/p99]}")" \
            "$errors" "${R[$b/$s/$name/cpu]}")"
        if ((requests == 0)); then failures+=("$b/$s/$name: no requests completed"); fi
        if ((errors > 0)); then failures+=("$b/$s/$name: $errors errors"); fi
        if [[ $profile -eq 1 && $s -eq $largest && "$(verdict "$b" "$s" "$name")" == missed ]]; then
            profile_case "$b" "$s" "$name" "$lua" "$url_c" "${args[@]}" profile
        fi
        ceiling_after "$b" "$s" "$name" "$db_file" "$secs" "$ids"
    done
    ceiling_stop
    if [[ $pages_done -eq 0 ]]; then
        section "$b, $s systems: every page, one request at a time"
        pages_run "$b" "$s" "$base"
    fi

    C[$b/$s/rss_mb]="$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status")"
    note "peak RSS of insyn (VmHWM): ${C[$b/$s/rss_mb]} MB"
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    if [[ "$b" == postgres ]]; then
        pg dropdb "bench_$s"
    else
        rm -f "$db_file" "$db_file-wal" "$db_file-shm"
    fi
}

# 1234567 → 1,234,567 (the report's and --national's).
fmt_int() { awk -v n="$1" 'BEGIN { if (n == "") print "–"; else { s = sprintf("%.0f", n); r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) } print s r } }'; }

source "$lua_dir/pages.sh"
source "$lua_dir/ceiling.sh"
source "$lua_dir/national.sh"

# --- the run --------------------------------------------------------------------------
if [[ $national -eq 1 ]]; then
    national_main
    exit 0
fi
if [[ $ceiling -eq 1 && " $backends " == *" sqlite "* ]]; then ceiling_build; else ceiling_bin=""; fi
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
idle_budget_end=$((SECONDS + wait_idle))
note "load average before the run: $load_before"
if [[ " $backends " == *" postgres "* ]]; then start_postgres; fi
for b in $backends; do
    for s in $sizes; do
        bench_config "$b" "$s"
    done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
elapsed=$((SECONDS - started))

# --- the report ----------------------------------------------------------------------
mark() { case "$1" in met) echo "met" ;; missed) echo "**missed**" ;; *) echo "–" ;; esac; }
cell() { # backend size case → "rps req/s, p99 X ms"
    local r="${R[$1/$2/$3/rps]:-}"
    [[ -n "$r" ]] || { echo "no result"; return; }
    echo "$(fmt_int "$r")/s${R[$1/$2/$3/range]:+ (runs ${R[$1/$2/$3/range]})}, p99 $(ms "${R[$1/$2/$3/p99]}")"
}
report() {
    local ts cpu mem commit t b s entry name label
    ts="$(date -u '+%Y-%m-%d %H:%M UTC')"
    cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
    mem="$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    commit="$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)"
    t=$target_size
    [[ " $sizes " == *" $t "* ]] || t=$largest
    echo "<!-- bench:begin (written by scripts/bench.sh; edit outside these markers) -->"
    echo "## Latest run"
    echo
    echo "- Date: $ts; insyn \`$commit\`; run took $((elapsed / 60)) min $((elapsed % 60)) s" \
        "(release build ${build_secs:-skipped}${build_secs:+ s}; waiting for other CPU use to stop: $waited s)."
    echo "- Command: \`$invoked\`${bin:+ (binary \`${bin#"$root"/}\`)}"
    echo "- Machine: $(nproc) cores ($cpu), $mem memory, $(uname -sr)."
    echo "- Load average (1, 5, 15 min) before the run: $load_before; after: $load_after."
    echo "- Load generator: $wrk_version, $threads threads, $connections connections, over loopback;" \
        "at $(fmt_int "$largest") systems $runs run(s) of ${duration} s per case, the median kept (the runs' range in brackets), one of ${duration_small} s at smaller sizes," \
        "after ${warmup} s of warm-up. **wrk shares the machine's $(nproc) cores with the server**" \
        "(and with PostgreSQL), so every figure is a lower bound of what the server alone can do."
    if [[ " $backends " == *" postgres "* ]]; then
        echo "- PostgreSQL ${pg_version:-}: throwaway local cluster, $pg_settings;" \
            "\`VACUUM ANALYZE\` after each demo load (what autovacuum does soon after a bulk load)."
    fi
    echo "- Errors = non-2xx responses + socket errors (connect, read, write, timeout)."
    echo "  Latency: median and 99th percentile as wrk measures them (ms)."
    echo
    echo "### Targets (issue 7: 2 cores, 100,000 systems, SQLite; PostgreSQL beside)"
    echo
    [[ $t -eq $target_size ]] ||
        { echo "This run's largest size is $t systems, not $target_size: the verdicts are indicative only."; echo; }
    echo "| case | target | SQLite, $(fmt_int "$t") systems | | PostgreSQL, $(fmt_int "$t") systems | |"
    echo "|---|---|---|---|---|---|"
    for entry in "${cases[@]}"; do
        IFS='|' read -r name label _ <<<"$entry"
        [[ -n "${min_rps[$name]:-}" ]] || continue
        local tgt
        tgt="≥ $(fmt_int "${min_rps[$name]}")/s"
        [[ -n "${max_p99[$name]:-}" ]] && tgt+=", p99 ≤ ${max_p99[$name]} ms"
        echo "| $label | $tgt | $(cell sqlite "$t" "$name") | $(mark "$(verdict sqlite "$t" "$name")") |" \
            "$(cell postgres "$t" "$name") | $(mark "$(verdict postgres "$t" "$name")") |"
    done
    local sv pv
    for b in sqlite postgres; do
        local v="${C[$b/$import_size/import_s]:-}"
        if [[ -z "$v" ]]; then
            v="not measured|–"
        elif awk -v x="$v" 'BEGIN { exit !(x <= 3) }'; then
            v="$v s ($(fmt_int "${C[$b/$import_size/import_rows]}") created)|met"
        else
            v="$v s ($(fmt_int "${C[$b/$import_size/import_rows]}") created)|**missed**"
        fi
        if [[ $b == sqlite ]]; then sv="$v"; else pv="$v"; fi
    done
    echo "| Import of a $(fmt_int "$import_size")-row .xlsx (\`insyn import\` into an empty database) | ≤ 3 s | ${sv%%|*} | ${sv##*|} | ${pv%%|*} | ${pv##*|} |"
    for b in sqlite postgres; do
        local v="${C[$b/$t/rss_mb]:-}"
        [[ -n "$v" ]] && { ((v <= max_rss_mb)) && v="$v MB|met" || v="$v MB|**missed**"; } || v="not run|–"
        [[ $b == sqlite ]] && sv="$v" || pv="$v"
    done
    echo "| Server peak RSS (VmHWM, insyn process) | ≤ $max_rss_mb MB | ${sv%%|*} | ${sv##*|} | ${pv%%|*} | ${pv##*|} |"
    for b in sqlite postgres; do
        local v="${C[$b/$t/startup_ms]:-}"
        [[ -n "$v" ]] && { ((v <= max_startup_ms)) && v="$v ms|met" || v="$v ms|**missed**"; } || v="not run|–"
        [[ $b == sqlite ]] && sv="$v" || pv="$v"
    done
    echo "| Cold start-up (process start → first 200 from /healthz) | ≤ 1 s | ${sv%%|*} | ${sv##*|} | ${pv%%|*} | ${pv##*|} |"
    echo
    echo "### All cases"
    echo
    echo "Requests/s, median / p99 latency in ms, errors, and who used the machine's CPU during the"
    echo "case in % of both cores: insyn / PostgreSQL / wrk / anything else (kernel network work"
    echo "is partly in \"else\"; a large \"else\" means something beside the benchmark ran)."
    echo
    local head1="| case | systems |" head2="|---|---:|"
    for b in $backends; do
        head1+=" $b req/s | median | p99 | errors | CPU % |"
        head2+="---:|---:|---:|---:|---:|"
    done
    echo "$head1"
    echo "$head2"
    for entry in "${cases[@]}"; do
        IFS='|' read -r name label _ <<<"$entry"
        for s in $sizes; do
            local row
            row="| $label | $(fmt_int "$s") |"
            for b in $backends; do
                if [[ -n "${R[$b/$s/$name/rps]:-}" ]]; then
                    row+=" $(fmt_int "${R[$b/$s/$name/rps]}")${R[$b/$s/$name/range]:+ (${R[$b/$s/$name/range]})} | ${R[$b/$s/$name/p50]} | ${R[$b/$s/$name/p99]} | ${R[$b/$s/$name/errors]} | ${R[$b/$s/$name/cpu]} |"
                else
                    row+=" no result | | | | |"
                fi
            done
            echo "$row"
        done
    done
    pages_report "$t"
    ceiling_report "$t"
    echo
    echo "### Demo load, start-up, memory"
    echo
    head1="| systems |"
    head2="|---:|"
    for b in $backends; do
        head1+=" $b: demo load | start-up | peak RSS | CPU busy before |"
        head2+="---:|---:|---:|---:|"
    done
    echo "$head1"
    echo "$head2"
    for s in $sizes; do
        local row
        row="| $(fmt_int "$s") |"
        for b in $backends; do
            row+=" ${C[$b/$s/load_s]:-–} s | ${C[$b/$s/startup_ms]:-–} ms | ${C[$b/$s/rss_mb]:-–} MB | ${C[$b/$s/idle]:-–}% |"
        done
        echo "$row"
    done
    echo
    echo "Peak RSS is the insyn process's VmHWM over its start-up and every case above;"
    echo "PostgreSQL's own processes are not included. \"CPU busy before\": the machine's CPU use"
    echo "over 2 s just before that database and size, after waiting up to ${wait_idle} s in all for it"
    echo "to drop below 20%."
    if [[ ${#profiles[@]} -gt 0 ]]; then
        echo
        echo "### Profiles of the missed cases (perf record -a -F 499, ${profile_secs} s, separate from the measured runs)"
        local p pb ps pc pf
        for p in "${profiles[@]}"; do
            IFS='|' read -r pb ps pc pf <<<"$p"
            echo
            echo "<details><summary>$pb, $(fmt_int "$ps") systems, $pc</summary>"
            echo
            echo '```'
            cat "$pf"
            echo '```'
            echo
            echo "</details>"
        done
    fi
    if [[ ${#failures[@]} -gt 0 ]]; then
        echo
        echo "### Failures"
        echo
        printf -- '- %s\n' "${failures[@]}"
    fi
    echo "<!-- bench:end -->"
}

section "Report"
[[ -n "$out" ]] || { [[ $tiny -eq 1 ]] && out="$(mktemp /tmp/insyn-bench.XXXXXX.md)" || out="$root/BENCHMARKS.md"; }
report >"$work/report.md"
if [[ -f "$out" ]] && grep -q '^<!-- bench:begin' "$out" && grep -q '^<!-- bench:end' "$out"; then
    # Keep what was written around the markers (analysis, plans); replace the run.
    awk -v rep="$work/report.md" '
        /^<!-- bench:begin/ { while ((getline l < rep) > 0) print l; skip = 1; next }
        /^<!-- bench:end/ { skip = 0; next }
        !skip { print }' "$out" >"$work/out.md"
    cat "$work/out.md" >"$out"
    if [[ $tiny -eq 0 ]]; then
        t=$target_size
        [[ " $sizes " == *" $t "* ]] || t=$largest
        ceiling_history "$out" "$t"
    fi
else
    { echo "# insyn benchmarks"; echo; cat "$work/report.md"; } >"$out"
fi
sed -n '/^### Targets/,/^### Demo load/p' "$work/report.md" | sed '$d' >&2
note "written to $out"
if [[ ${#failures[@]} -gt 0 ]]; then
    printf 'bench.sh: FAILED: %s\n' "${failures[@]}" >&2
    exit 1
fi
section "Done"
