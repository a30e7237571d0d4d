#!/usr/bin/env bash
# Faults insyn must survive (issue 21), measured on SQLite and PostgreSQL:
#
#   scripts/resilience.sh           the full run (15 s bursts, a 10,000-row import, a
#                                   5 s PostgreSQL outage, a full disk, a 10-minute soak);
#                                   prints the figures for RELIABILITY.md
#   scripts/resilience.sh --tiny    the test command's check: a 3 s burst, a 1,000-row
#                                   import, a 2 s outage, a full disk and a 10 s soak;
#                                   non-zero when anything acknowledged was lost, an
#                                   unexpected status came, or insyn did not recover
#   scripts/resilience.sh [--tiny] CASE…   only these cases (burst import outage full soak)
#
# Cases:
#   burst   insyn serve is killed with SIGKILL while 4 clients create systems through
#           the API; after a restart every write that was answered 201 must be there
#           (more may be: a write committed whose answer never left), and
#           `insyn audit verify` must pass.
#   import  `insyn import` of an N-row .xlsx is killed with SIGKILL half-way: the
#           import is one transaction, so afterwards the organisation holds none of
#           the rows, or all of them if it had finished.
#   outage  (PostgreSQL; root) a throwaway cluster of the script's own, on its own port
#           and socket directory, is stopped (`pg_ctl stop -m fast`) for 5 s (tiny: 2 s)
#           and started again while 2 clients write and 2 read through the API. While
#           it is down every answer must be 503 (Retry-After), fast (the pool's
#           acquire timeout, --db-pool-timeout, 3 s), and /readyz 503; afterwards insyn
#           serves again without a restart. Printed: the slowest answer during the
#           outage, the 503s, the time from PostgreSQL accepting connections to
#           insyn's first 200 and to every client succeeding again. Any status but
#           200, 201 and 503 fails the case; so does a lost acknowledged write.
#   full    (SQLite; root) the database on a small tmpfs beside a filler file; 4
#           clients write until the disk is full: the answer must be 503 naming the
#           full disk (and the log say so), reads go on; once the filler is deleted
#           writes succeed again without a restart; then PRAGMA integrity_check is
#           ok, `insyn audit verify` passes and every acknowledged write is there.
#   soak    (SQLite) the capacity of a mixed workload (scripts/bench/mix.lua: lists,
#           gets, searches, register pages, creates) measured with wrk for 20 s
#           (tiny: 3 s), then 70 % of it for 10 minutes (tiny: 10 s), the server's
#           VmRSS sampled every 30 s (tiny: 2 s). Errors (any non-2xx, any socket
#           error) must be 0. INSYN_SOAK_SECONDS overrides the soak's length.
# The outage and full cases need root (runuser postgres, mount); without it they are
# skipped and the script says so.
#
# PostgreSQL is used when INSYN_TEST_PG_URL names a server that may create databases
# (scripts/test.sh sets it); otherwise only SQLite runs, and the script says so.
# INSYN_BIN chooses the binary (default: target/release/insyn, built if missing).
# INSYN_KEEP=1 keeps the work directory (logs, databases) for a look afterwards.
set -euo pipefail

tiny=0
[[ "${1:-}" == "--tiny" ]] && tiny=1 && shift
# Cases to run (default: all), e.g. `scripts/resilience.sh --tiny full outage`.
only=" $* "
want() { [[ "$only" == "  " || "$only" == *" $1 "* ]]; }
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${INSYN_BIN:-$root/target/release/insyn}"
if [[ ! -x "$bin" ]]; then
    (cd "$root" && cargo build --release -q -p insyn)
fi
if ((tiny)); then
    burst_s=3 import_rows=1000 outage_s=2 full_mb=8 filler_mb=1 capacity_s=3 soak_s=10 sample_s=2 soak_systems=200
else
    burst_s=15 import_rows=10000 outage_s=5 full_mb=24 filler_mb=4 capacity_s=20 soak_s=600 sample_s=30 soak_systems=1000
fi
soak_s="${INSYN_SOAK_SECONDS:-$soak_s}"
writers=4
work="$(mktemp -d /tmp/insyn-resilience.XXXXXX)"
chmod 755 "$work" # the outage case's cluster runs as postgres
export INSYN_AUDIT_KEY_FILE="$work/audit.key"
export PGOPTIONS="-c client_min_messages=warning"
(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$INSYN_AUDIT_KEY_FILE")
server_pid=""
payload=""  # what the clients' writes carry besides a name
pg_data=""  # the outage case's cluster, while it may run
mounted=""  # the full case's tmpfs, while mounted
cleanup() {
    [[ -n "$server_pid" ]] && kill -9 "$server_pid" 2>/dev/null || true
    jobs -p | xargs -r kill 2>/dev/null || true
    [[ -n "$pg_data" ]] && runuser -u postgres -- "$pg_bin/pg_ctl" stop -D "$pg_data" -m immediate -s >/dev/null 2>&1 || true
    [[ -n "$mounted" ]] && umount "$mounted" 2>/dev/null || true
    [[ -n "${INSYN_KEEP:-}" ]] || rm -rf "$work"
}
trap cleanup EXIT
failures=()
results=()

die() { echo "error: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# psql from the newest installed PostgreSQL (as scripts/test.sh finds its tools),
# or from PATH.
psql_bin="$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1 || true)"
psql_bin="${psql_bin:-psql}"
psql() { "$psql_bin" "$@"; }
# initdb and pg_ctl beside it (or on PATH) for the outage case's own cluster.
pg_bin="$(dirname "$(command -v "$psql_bin" || echo /usr/local/bin/psql)")"
[[ -x "$pg_bin/pg_ctl" ]] || pg_bin="$(dirname "$(command -v pg_ctl || echo /usr/local/bin/pg_ctl)")"

# Runs SQL against the backend's database and prints the rows (SQLite through
# Python's own sqlite3 module: no sqlite3 program needed).
sql() { # backend url query
    case "$1" in
        sqlite) python3 -c 'import sqlite3, sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
    print("|".join(str(c) for c in row))' "${2#sqlite://}" "$3" ;;
        postgres) psql -q -A -t -d "$2" -c "$3" ;;
    esac
}

start_server() { # url log → sets server_pid, base
    local port
    port="$(free_port)"
    base="http://127.0.0.1:$port"
    "$bin" serve --addr "127.0.0.1:$port" --database-url "$1" >>"$2" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 200); do
        curl -sf -o /dev/null "$base/healthz" && return 0
        sleep 0.05
    done
    cat "$2" >&2
    die "insyn did not start"
}

stop_server() {
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

# A write token of the demo's administrator.
make_token() { # url log
    "$bin" token create --email admin@exempelstad.se --scope write --name resilience \
        --database-url "$1" 2>>"$2" | tail -n 1
}

# Acknowledged against present: sets acked, present, missing, extra.
count_writes() { # backend url tag
    cat "$work"/acked-"$3"-* 2>/dev/null | sort >"$work/acked-$3" || true
    sql "$1" "$2" "SELECT name FROM systems WHERE name LIKE 'Resilience $3-%'" | sort >"$work/present-$3"
    acked=$(wc -l <"$work/acked-$3")
    present=$(wc -l <"$work/present-$3")
    missing=$(comm -23 "$work/acked-$3" "$work/present-$3" | wc -l)
    extra=$(comm -13 "$work/acked-$3" "$work/present-$3" | wc -l)
}

# One client of the burst, outage and full cases: sends requests until $work/stop-TAG exists,
# logging "client start end status" (epoch seconds) of each to $work/requests-TAG and
# the name of each system answered 201 to $work/acked-TAG-N. Writes carry $payload.
client() { # base token tag n read|write
    local i=0 t0 t1 code name
    while [[ ! -e "$work/stop-$3" ]]; do
        i=$((i + 1))
        t0=$EPOCHREALTIME
        if [[ $5 == write ]]; then
            name="Resilience $3-$4-$i"
            code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -X POST \
                -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
                --data "{\"name\":\"$name\",\"lifecycle\":\"in_operation\",\"hosting\":\"internal\"$payload}" \
                "$1/api/v1/orgs/exempelstad/systems" || true)"
            [[ $code == 201 ]] && echo "$name" >>"$work/acked-$3-$4"
        else
            code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 \
                -H "Authorization: Bearer $2" \
                "$1/api/v1/orgs/exempelstad/systems?per_page=20&page=$((i % 5 + 1))" || true)"
        fi
        t1=$EPOCHREALTIME
        echo "$4 $t0 $t1 $code" >>"$work/requests-$3"
        [[ $code == 2* ]] || sleep 0.1
    done
}

burst_case() { # backend url
    local b=$1 url=$2 log="$work/burst-$1.log" run token acked present missing extra
    # Each database's trail has its own checkpoints.
    export INSYN_AUDIT_CHECKPOINT_FILE="$work/checkpoints-$b.jsonl"
    "$bin" demo --systems 200 --no-serve --database-url "$url" >>"$log" 2>&1 || { cat "$log" >&2; die "demo load failed ($b)"; }
    token="$(make_token "$url" "$log")"
    start_server "$url" "$log"
    run="$b$RANDOM"
    for w in $(seq 1 $writers); do
        client "$base" "$token" "$run" "$w" write &
    done
    sleep "$burst_s"
    kill -9 "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    touch "$work/stop-$run"
    wait
    start_server "$url" "$log"
    count_writes "$b" "$url" "$run"
    stop_server
    local verify="passed"
    "$bin" audit verify --database-url "$url" >>"$log" 2>&1 || {
        verify="FAILED"
        tail -n 5 "$log" >&2
    }
    results+=("| $b | kill -9 of the server during ${burst_s} s of writes from $writers clients | $acked acknowledged, $present present after restart ($missing missing, $extra committed but unanswered) | audit verify $verify |")
    echo "$b burst: $acked acknowledged, $present present, $missing missing, $extra unanswered; audit verify $verify"
    ((acked > 0)) || failures+=("$b burst: no write was acknowledged")
    ((missing == 0)) || failures+=("$b burst: $missing acknowledged writes missing after kill -9")
    [[ "$verify" == passed ]] || failures+=("$b burst: audit verify failed after kill -9")
}

import_case() { # backend url url2
    local b=$1 url=$2 url2=$3 log="$work/import-$1.log" file="$work/register.xlsx" t0 t1 half count
    export INSYN_AUDIT_CHECKPOINT_FILE="$work/checkpoints-$b-import.jsonl"
    "$bin" demo --systems "$import_rows" --no-serve --database-url "$url" >>"$log" 2>&1 || { cat "$log" >&2; die "demo load failed ($b)"; }
    "$bin" export --org exempelstad --format xlsx --out "$file" --database-url "$url" >>"$log" 2>&1
    "$bin" migrate --database-url "$url2" >>"$log" 2>&1
    # How long a whole import takes here, into a scratch organisation.
    t0=${EPOCHREALTIME/./}
    "$bin" import --org helt "$file" --database-url "$url2" >>"$log" 2>&1 || { cat "$log" >&2; die "import failed ($b)"; }
    t1=${EPOCHREALTIME/./}
    half=$(((t1 - t0) / 2))
    "$bin" import --org halvt "$file" --database-url "$url2" >>"$log" 2>&1 &
    local pid=$!
    sleep "$(awk -v u="$half" 'BEGIN { printf "%.3f", u / 1e6 }')"
    local killed="killed"
    kill -9 "$pid" 2>/dev/null || killed="had already finished"
    wait "$pid" 2>/dev/null || true
    count="$(sql "$b" "$url2" "SELECT COUNT(*) FROM systems s JOIN organisations o ON o.id = s.org_id WHERE o.slug = 'halvt'")"
    results+=("| $b | kill -9 of \`insyn import\` of $import_rows rows after $(awk -v u="$half" 'BEGIN { printf "%.1f", u / 1e6 }') s (a whole import took $(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1e6 }') s) | import $killed; $count of $import_rows rows present | all or none |")
    echo "$b import: $killed half-way; $count of $import_rows rows present"
    if [[ "$count" != 0 && "$count" != "$import_rows" ]]; then
        failures+=("$b import: $count of $import_rows rows after kill -9 (half an import)")
    fi
}

# Seconds between two $EPOCHREALTIME stamps, with one decimal.
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

outage_case() {
    local log="$work/outage.log" dir="$work/pg-outage" port url token tag pids=() t_down t_up ready_down
    if ((EUID != 0)) || [[ ! -x "$pg_bin/initdb" ]]; then
        echo "postgres outage: skipped (needs root and initdb/pg_ctl)"
        results+=("| postgres | stopped for ${outage_s} s under load | skipped: needs root and initdb/pg_ctl | - |")
        return
    fi
    mkdir -p "$dir" && chown postgres: "$dir"
    runuser -u postgres -- "$pg_bin/initdb" -D "$dir/data" --auth=trust --username=postgres \
        -E UTF8 --locale=C --no-sync >>"$log" 2>&1 || { cat "$log" >&2; die "initdb failed"; }
    port="$(free_port)"
    pg_data="$dir/data"
    pg_start() {
        runuser -u postgres -- "$pg_bin/pg_ctl" start -D "$dir/data" -w -t 60 -s -l "$dir/server.log" \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off"
    }
    pg_start || { cat "$dir/server.log" >&2; die "the outage case's PostgreSQL did not start"; }
    url="postgres://postgres@127.0.0.1:$port/postgres"
    export INSYN_AUDIT_CHECKPOINT_FILE="$work/checkpoints-outage.jsonl"
    "$bin" demo --systems 50 --no-serve --database-url "$url" >>"$log" 2>&1 || { cat "$log" >&2; die "demo load failed (outage)"; }
    token="$(make_token "$url" "$log")"
    start_server "$url" "$log"
    tag="outage$RANDOM"
    for n in 1 2 3 4; do
        client "$base" "$token" "$tag" "$n" "$( ((n <= 2)) && echo write || echo read)" &
        pids+=($!)
    done
    sleep $((outage_s > 2 ? 3 : 1))
    t_down=$EPOCHREALTIME
    runuser -u postgres -- "$pg_bin/pg_ctl" stop -D "$dir/data" -m fast -w -s
    sleep "$(awk -v s="$outage_s" 'BEGIN { print s / 2 }')"
    ready_down="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$base/readyz" || true)"
    sleep "$(awk -v s="$outage_s" -v a="$t_down" -v n="$EPOCHREALTIME" 'BEGIN { r = s - (n - a); print (r > 0 ? r : 0) }')"
    pg_start || { cat "$dir/server.log" >&2; die "the outage case's PostgreSQL did not start again"; }
    t_up=$EPOCHREALTIME
    # Until every client has succeeded again (at most 30 s), then 2 s more.
    local waited=0
    while ((waited < 300)); do
        [[ "$(awk -v up="$t_up" '$3 >= up && $4 ~ /^20/ { ok[$1] = 1 } END { print length(ok) }' "$work/requests-$tag")" == 4 ]] && break
        sleep 0.1
        waited=$((waited + 1))
    done
    sleep 2
    touch "$work/stop-$tag"
    wait "${pids[@]}" 2>/dev/null || true
    local verify=passed
    stop_server
    count_writes postgres "$url" "$tag"
    "$bin" audit verify --database-url "$url" >>"$log" 2>&1 || { verify=FAILED; tail -n 5 "$log" >&2; }
    runuser -u postgres -- "$pg_bin/pg_ctl" stop -D "$dir/data" -m fast -w -s || true
    pg_data=""
    # Answers that overlapped the outage; the first success after it, overall and per client.
    local figures slowest n503 other first all
    figures="$(awk -v down="$t_down" -v up="$t_up" '
        { total++ }
        $4 == 503 { n503++ }
        $4 != 200 && $4 != 201 && $4 != 503 { other[$4]++ }
        $3 > down && $2 < up { if ($3 - $2 > slowest) slowest = $3 - $2 }
        $3 >= up && $4 ~ /^20/ {
            if (first == "" || $3 < first) first = $3
            if (!($1 in ok) || $3 < ok[$1]) ok[$1] = $3
        }
        END {
            all = ""
            if (length(ok) == 4) { for (c in ok) if (all == "" || ok[c] > all) all = ok[c] }
            o = ""; for (s in other) o = o s "×" other[s] " "
            printf "%.1f|%d|%s|%s|%s|%d\n", slowest, n503, (o == "" ? "none" : o),
                (first == "" ? "never" : sprintf("%.1f", first - up)),
                (all == "" ? "never" : sprintf("%.1f", all - up)), total
        }' "$work/requests-$tag")"
    IFS='|' read -r slowest n503 other first all total <<<"$figures"
    results+=("| postgres | stopped (\`pg_ctl stop -m fast\`) for ${outage_s} s while 2 clients write and 2 read | $total requests: $n503 answered 503, other statuses $other; slowest answer during the outage ${slowest} s; /readyz $ready_down while down; first 200 ${first} s and every client served ${all} s after PostgreSQL accepted connections again, no restart; $acked acknowledged, $present present ($missing missing) | audit verify $verify |")
    echo "postgres outage: $n503 × 503, other statuses: $other, slowest ${slowest} s, readyz $ready_down, first 200 after ${first} s, all clients after ${all} s; $acked acknowledged, $missing missing"
    ((n503 > 0)) || failures+=("postgres outage: no 503 while PostgreSQL was stopped")
    [[ "$other" == none ]] || failures+=("postgres outage: statuses other than 200, 201 and 503: $other")
    [[ "$ready_down" == 503 ]] || failures+=("postgres outage: /readyz answered $ready_down while PostgreSQL was stopped")
    [[ "$all" != never ]] || failures+=("postgres outage: not every client was served again after PostgreSQL returned")
    awk -v s="$slowest" 'BEGIN { exit !(s <= 7) }' || failures+=("postgres outage: an answer took ${slowest} s (the pool timeout is 3 s)")
    ((missing == 0)) || failures+=("postgres outage: $missing acknowledged writes missing")
    [[ "$verify" == passed ]] || failures+=("postgres outage: audit verify failed")
}

full_case() {
    local log="$work/full.log" dir="$work/full" url token tag pids=() n=0 body code t_free recovered=""
    mkdir -p "$dir"
    if ((EUID != 0)) || ! mount -t tmpfs -o "size=${full_mb}m" tmpfs "$dir" 2>>"$log"; then
        echo "sqlite disk full: skipped (mounting a small tmpfs needs root)"
        results+=("| sqlite | disk full | skipped: mounting a ${full_mb} MB tmpfs needs root | - |")
        return
    fi
    mounted="$dir"
    # The filler is made first, so that deleting it gives room back.
    dd if=/dev/zero of="$dir/filler" bs=1M count="$filler_mb" status=none
    url="sqlite://$dir/insyn.db"
    export INSYN_AUDIT_CHECKPOINT_FILE="$work/checkpoints-full.jsonl"
    # Loaded beside it (the load's one transaction needs more room than the result).
    "$bin" demo --systems 50 --no-serve --database-url "sqlite://$work/full-seed.db" >>"$log" 2>&1 || { cat "$log" >&2; die "demo load failed (full)"; }
    cp "$work/full-seed.db" "$dir/insyn.db"
    token="$(make_token "$url" "$log")"
    start_server "$url" "$log"
    tag="full$RANDOM"
    local words="Verksamhetssystemet hanterar ärenden, beslut, fakturor och personuppgifter för kommunens förvaltningar"
    local text=""
    while ((${#text} < 3500)); do text="$text $words $((n++))"; done
    payload=",\"description\":\"$text\",\"purpose\":\"$text\""
    for n in 1 2 3 4; do
        client "$base" "$token" "$tag" "$n" write &
        pids+=($!)
    done
    # Until 20 answers were refused, at most 120 s.
    local waited=0
    while ((waited < 1200)); do
        [[ "$(awk '$4 != 201 { n++ } END { print n + 0 }' "$work/requests-$tag" 2>/dev/null || echo 0)" -ge 20 ]] && break
        sleep 0.1
        waited=$((waited + 1))
    done
    # What a refused write says, and that reads go on.
    body="$(curl -s -i --max-time 30 -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        --data "{\"name\":\"Resilience $tag-probe\",\"lifecycle\":\"in_operation\",\"hosting\":\"internal\"$payload}" \
        "$base/api/v1/orgs/exempelstad/systems" | tr -d '\r')"
    local read_code
    read_code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -H "Authorization: Bearer $token" \
        "$base/api/v1/orgs/exempelstad/systems?per_page=50" || true)"
    touch "$work/stop-$tag"
    wait "${pids[@]}" 2>/dev/null || true
    payload=""
    # Room again: writes succeed on the same server.
    rm -f "$dir/filler"
    t_free=$EPOCHREALTIME
    for n in $(seq 1 50); do
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -X POST \
            -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
            --data "{\"name\":\"Resilience $tag-after-$n\",\"lifecycle\":\"in_operation\",\"hosting\":\"internal\"}" \
            "$base/api/v1/orgs/exempelstad/systems" || true)"
        if [[ $code == 201 ]]; then
            echo "Resilience $tag-after-$n" >>"$work/acked-$tag-after"
            recovered="$(secs "$t_free" "$EPOCHREALTIME")"
            break
        fi
        sleep 0.2
    done
    stop_server
    local integrity verify=passed logged
    integrity="$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$dir/insyn.db")"
    "$bin" audit verify --database-url "$url" >>"$log" 2>&1 || { verify=FAILED; tail -n 5 "$log" >&2; }
    count_writes sqlite "$url" "$tag"
    logged="$(grep -c 'DiskFull' "$log" || true)"
    umount "$dir" && mounted=""
    local status title retry n_full
    status="$(sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' <<<"$body")"
    retry="$(sed -n 's/^[Rr]etry-[Aa]fter: //p' <<<"$body")"
    title="$(sed -n '$p' <<<"$body" | python3 -c 'import json, sys
try: print(json.load(sys.stdin).get("title", ""))
except Exception: print("")')"
    n_full="$(awk '$4 == 503 { n++ } END { print n + 0 }' "$work/requests-$tag")"
    local others
    others="$(awk '$4 != 201 && $4 != 503 { o[$4]++ } END { for (s in o) printf "%s×%d ", s, o[s] }' "$work/requests-$tag")"
    results+=("| sqlite | disk full (${full_mb} MB tmpfs, 4 writers) | $n_full writes answered $status \"$title\" (Retry-After $retry), other statuses ${others:-none}; reads $read_code meanwhile; $logged log lines name DiskFull; writes succeed again ${recovered:-never} s after the filler was deleted, no restart; $acked acknowledged, $present present ($missing missing) | integrity_check $integrity, audit verify $verify |")
    echo "sqlite disk full: $acked acknowledged, $n_full × $status \"$title\" (Retry-After $retry), others: ${others:-none}, reads $read_code, writes again after ${recovered:-never} s; integrity $integrity; audit verify $verify; $missing missing"
    [[ "$status" == 503 && "$title" == "The database's disk is full" ]] || failures+=("sqlite disk full: a refused write answered $status \"$title\"")
    [[ -z "$others" ]] || failures+=("sqlite disk full: statuses other than 201 and 503: $others")
    ((logged > 0)) || failures+=("sqlite disk full: the log does not say the disk is full")
    [[ "$read_code" == 200 ]] || failures+=("sqlite disk full: a read answered $read_code while the disk was full")
    [[ -n "$recovered" ]] || failures+=("sqlite disk full: writes did not succeed again after room was made")
    [[ "$integrity" == ok ]] || failures+=("sqlite disk full: integrity_check says $integrity")
    [[ "$verify" == passed ]] || failures+=("sqlite disk full: audit verify failed")
    ((missing == 0)) || failures+=("sqlite disk full: $missing acknowledged writes missing")
}

# The server's resident memory in MB.
rss_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status"; }

# One wrk run of scripts/bench/mix.lua: prints its WRK_RESULT line.
mix() { # seconds delay_ms run
    wrk -t 2 -c 8 -d "${1}s" --timeout 10s -s "$root/scripts/bench/mix.lua" "$base" -- \
        exempelstad "$token" "$session" "$work/soak-ids" "$3" "$2" 2>>"$work/soak.log" | grep '^WRK_RESULT'
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

soak_case() {
    local log="$work/soak.log" url="sqlite://$work/soak.db" session capacity rate delay line rss0 rssmax rssend
    export INSYN_AUDIT_CHECKPOINT_FILE="$work/checkpoints-soak.jsonl"
    if ! command -v wrk >/dev/null; then
        results+=("| sqlite | soak | skipped: wrk is not installed | - |")
        echo "soak: skipped (wrk is not installed)"
        return
    fi
    "$bin" demo --systems "$soak_systems" --no-serve --database-url "$url" >>"$log" 2>&1 || { cat "$log" >&2; die "demo load failed (soak)"; }
    token="$(make_token "$url" "$log")"
    start_server "$url" "$log"
    session="$(curl -s -D - -o /dev/null --max-time 10 --data-urlencode "email=admin@exempelstad.se" \
        --data-urlencode "password=demo-administrator" "$base/login" | tr -d '\r' |
        sed -n 's/^[Ss]et-[Cc]ookie: __Host-insyn=\([^;]*\).*/\1/p' | head -n 1)"
    [[ -n "$session" ]] || die "soak: could not sign in as the demo administrator"
    curl -sf --max-time 30 -H "Authorization: Bearer $token" "$base/api/v1/orgs/exempelstad/systems?per_page=100" |
        python3 -c 'import json, sys; print("\n".join(s["id"] for s in json.load(sys.stdin)["items"]))' >"$work/soak-ids"
    line="$(mix "$capacity_s" 0 "capacity$RANDOM")"
    capacity="$(field rps "$line")"
    rate="$(awk -v c="$capacity" 'BEGIN { printf "%.0f", c * 0.7 }')"
    # 8 connections, each waiting so that together they send `rate` a second
    # (minus the time an answer takes at full load).
    delay="$(awk -v r="$rate" -v p="$(field p50_us "$line")" 'BEGIN { d = 8000 / r - p / 1000; printf "%d", (d > 0 ? d : 0) }')"
    if ((!tiny)); then
        # Answers are quicker below full load: correct the wait by what 10 s at it give.
        line="$(mix 10 "$delay" "calibrate$RANDOM")"
        delay="$(awk -v d="$delay" -v r="$rate" -v g="$(field rps "$line")" 'BEGIN { d += 8000 / r - 8000 / g; printf "%d", (d > 0 ? d : 0) }')"
    fi
    rss0="$(rss_mb)"
    rssmax="$rss0"
    local samples="$rss0" started=$SECONDS
    (mix "$soak_s" "$delay" "soak$RANDOM" >"$work/soak-result") &
    local wrk_pid=$!
    while kill -0 "$wrk_pid" 2>/dev/null; do
        sleep 1
        if (((SECONDS - started) % sample_s == 0)) && kill -0 "$wrk_pid" 2>/dev/null; then
            local r
            r="$(rss_mb)"
            samples="$samples $r"
            ((r > rssmax)) && rssmax=$r
        fi
    done
    wait "$wrk_pid" || true
    rssend="$(rss_mb)"
    ((rssend > rssmax)) && rssmax=$rssend
    line="$(cat "$work/soak-result")"
    stop_server
    local requests errors
    requests="$(field requests "$line")"
    errors=$(($(field non2xx "$line") + $(field connect "$line") + $(field read "$line") + $(field write "$line") + $(field timeout "$line")))
    results+=("| sqlite | soak: ${soak_s} s of the mixed workload at 70 % of its capacity ($capacity req/s measured over ${capacity_s} s; target $rate req/s, got $(field rps "$line")) | $requests requests, $errors errors; p50 $(awk -v u="$(field p50_us "$line")" 'BEGIN { printf "%.1f", u / 1000 }') ms, p99 $(awk -v u="$(field p99_us "$line")" 'BEGIN { printf "%.1f", u / 1000 }') ms; RSS at start $rss0 MB, max $rssmax MB, end $rssend MB (samples every ${sample_s} s: $samples) | errors 0 |")
    echo "soak: capacity $capacity req/s; ${soak_s} s at $(field rps "$line") req/s: $requests requests, $errors errors, p50 $(field p50_us "$line") us, p99 $(field p99_us "$line") us; RSS $rss0 → max $rssmax → $rssend MB"
    [[ -n "$requests" ]] && ((requests > 0)) || failures+=("soak: no request was answered")
    ((errors == 0)) || failures+=("soak: $errors errors")
}

backends=(sqlite)
if [[ -n "${INSYN_TEST_PG_URL:-}" ]]; then
    backends+=(postgres)
else
    echo "INSYN_TEST_PG_URL is not set: the burst and import cases run on SQLite only"
fi
pg_db() { # name → url
    local server="${INSYN_TEST_PG_URL%/*}"
    psql -q -d "$INSYN_TEST_PG_URL" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
    echo "$server/$1"
}
for b in "${backends[@]}"; do
    if [[ $b == sqlite ]]; then
        want burst && burst_case sqlite "sqlite://$work/burst.db"
        want import && import_case sqlite "sqlite://$work/source.db" "sqlite://$work/target.db"
        want full && full_case
        want soak && soak_case
    else
        suffix="$$"
        want burst && burst_case postgres "$(pg_db "resilience_burst_$suffix")"
        want import && import_case postgres "$(pg_db "resilience_source_$suffix")" "$(pg_db "resilience_target_$suffix")"
        for d in burst source target; do
            psql -q -d "$INSYN_TEST_PG_URL" -c "DROP DATABASE IF EXISTS resilience_${d}_$suffix WITH (FORCE)" >/dev/null || true
        done
    fi
done
# PostgreSQL stopped and started: a cluster of its own, whatever INSYN_TEST_PG_URL says.
want outage && outage_case

echo
echo "| database | fault | outcome | check |"
echo "|---|---|---|---|"
printf '%s\n' "${results[@]}"
if ((${#failures[@]})); then
    printf 'FAILED: %s\n' "${failures[@]}" >&2
    exit 1
fi
echo "nothing acknowledged was lost"
