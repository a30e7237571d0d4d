# The ceiling beside insyn (issue 22, point 7); sourced by scripts/bench.sh.
#
# bench/ceiling is a minimal axum + SQLite server that answers the API list
# and get-one cases from the same SQLite file (no auth, no audit). On SQLite,
# right after insyn's run of each of those cases, the same wrk case runs
# against it, and the report prints insyn's requests/s as a ratio of its.

declare -A ceiling_case=(
    [api_list]="plain.lua|/systems?page=1"
    [api_get]="rotate.lua|/systems/%s"
)
declare -A ceiling_goal=([api_list]=1 [api_get]=0.8)
declare -A ceiling_label=([api_list]="List (page of 50)" [api_get]="Get one system")
ceiling_pid=""
ceiling_base=""
ceiling_build_secs=""

ceiling_build() {
    [[ -z "$ceiling_bin" ]] || return 0
    section "Build the ceiling (cargo build --release --offline -p insyn-ceiling)"
    local t0=$SECONDS
    cargo build --release --offline -p insyn-ceiling
    ceiling_build_secs=$((SECONDS - t0))
    ceiling_bin="$target_dir/release/insyn-ceiling"
}

ceiling_stop() {
    [[ -n "$ceiling_pid" ]] || return 0
    kill "$ceiling_pid" 2>/dev/null || true
    wait "$ceiling_pid" 2>/dev/null || true
    ceiling_pid=""
}

ceiling_start() { # backend size db_file
    local port
    port="$(free_port 18380)" || die "no free port for the ceiling"
    ceiling_base="http://127.0.0.1:$port"
    "$ceiling_bin" "$3" "$org" "127.0.0.1:$port" >"$work/ceiling-$1-$2.log" 2>&1 &
    ceiling_pid=$!
    local deadline=$((SECONDS + 30))
    until curl -fs -o /dev/null --max-time 2 "$ceiling_base/healthz"; do
        if ! kill -0 "$ceiling_pid" 2>/dev/null || ((SECONDS >= deadline)); then
            cat "$work/ceiling-$1-$2.log" >&2
            failures+=("$1/$2/ceiling: did not start")
            ceiling_pid=""
            return 1
        fi
        sleep 0.1
    done
}

# After insyn's run of case $3: the same case against the ceiling, if it has one.
ceiling_after() { # backend size case db_file secs ids
    local b=$1 s=$2 c=$3 db=$4 secs=$5 ids=$6 spec lua path out line args=()
    spec="${ceiling_case[$c]:-}"
    [[ -n "$spec" && $b == sqlite && -n "$ceiling_bin" ]] || return 0
    if [[ -z "$ceiling_pid" ]]; then ceiling_start "$b" "$s" "$db" || return 0; fi
    IFS='|' read -r lua path <<<"$spec"
    local url="$ceiling_base$path"
    if [[ $lua == rotate.lua ]]; then url="$ceiling_base"; args=("$ids" "$path"); fi
    local code
    code="$(curl -s -o "$work/last-body" -w '%{http_code}' --max-time 10 "$ceiling_base${path//%s/$(head -n 1 "$ids")}")"
    if [[ $code != 200 ]]; then
        failures+=("$b/$s/ceiling $c: HTTP $code before the run")
        return 0
    fi
    auth=()
    ((warmup > 0)) && run_wrk "$warmup" "$lua" "$url" "${args[@]}" warmup >/dev/null
    out="$(run_wrk "$secs" "$lua" "$url" "${args[@]}" run)"
    line="$(grep '^WRK_RESULT ' <<<"$out" || true)"
    if [[ -z "$line" ]]; then
        failures+=("$b/$s/ceiling $c: no result")
        return 0
    fi
    wrk_record "$b/$s/ceiling_$c" "$line"
    ((${R[$b/$s/ceiling_$c/errors]} == 0)) || failures+=("$b/$s/ceiling $c: ${R[$b/$s/ceiling_$c/errors]} errors")
    R[$b/$s/ceiling_$c/ratio]="$(ceiling_ratio "$b" "$s" "$c")"
    note "$(printf '%-14s %9s req/s  median %9s  p99 %9s  (ceiling; insyn/ceiling %s)' \
        "ceiling" "${R[$b/$s/ceiling_$c/rps]}" "$(ms "${R[$b/$s/ceiling_$c/p50]}")" \
        "$(ms "${R[$b/$s/ceiling_$c/p99]}")" "${R[$b/$s/ceiling_$c/ratio]}")"
}

ceiling_ratio() { # backend size case → insyn req/s ÷ ceiling req/s
    awk -v i="${R[$1/$2/$3/rps]:-0}" -v c="${R[$1/$2/ceiling_$3/rps]:-0}" \
        'BEGIN { if (c > 0) printf "%.2f", i / c; else print "–" }'
}

ceiling_report() { # target size
    local t=$1 s c v
    [[ -n "$ceiling_bin" && " $backends " == *" sqlite "* ]] || return 0
    echo
    echo "### Ceiling: insyn beside a minimal axum + SQLite server (issue 22)"
    echo
    echo "\`bench/ceiling\` answers the same list (page of 50 in operation, by name, every field of"
    echo "insyn's list, its total from the same maintained counts) and get-one requests from the same"
    echo "SQLite file, read-only, with no sign-in, audit or policy; the same wrk settings, right after"
    echo "insyn's run of the case. Ratio = insyn's requests/s ÷ the ceiling's."
    echo
    echo "| case | systems | insyn req/s | p99 | ceiling req/s | p99 | ratio | goal |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"
    for c in api_list api_get; do
        for s in $sizes; do
            v="${R[sqlite/$s/ceiling_$c/ratio]:-}"
            local goal="≥ ${ceiling_goal[$c]}"
            if [[ $s == "$t" && -n "$v" && "$v" != – ]]; then
                if awk -v r="$v" -v g="${ceiling_goal[$c]}" 'BEGIN { exit !(r >= g) }'; then
                    goal+=": met"
                else
                    goal+=": **missed**"
                fi
            fi
            echo "| ${ceiling_label[$c]} | $(fmt_int "$s") | $(fmt_int "${R[sqlite/$s/$c/rps]:-}") | ${R[sqlite/$s/$c/p99]:-–} |" \
                "$(fmt_int "${R[sqlite/$s/ceiling_$c/rps]:-}") | ${R[sqlite/$s/ceiling_$c/p99]:-–} | ${v:-–} | $goal |"
        done
    done
}

# One line per full run in BENCHMARKS.md's history of the ratios (outside
# the run's markers, before the history's end marker).
ceiling_history() { # file target size
    local f=$1 t=$2 line
    [[ -n "${R[sqlite/$t/ceiling_api_list/ratio]:-}${R[sqlite/$t/ceiling_api_get/ratio]:-}" ]] || return 0
    grep -q '^<!-- ceiling:history:end -->' "$f" || return 0
    line="| $(date -u '+%Y-%m-%d') | \`$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)\` |"
    line+=" $(fmt_int "$t") | ${R[sqlite/$t/ceiling_api_list/ratio]:-–} | ${R[sqlite/$t/ceiling_api_get/ratio]:-–} |"
    awk -v l="$line" '/^<!-- ceiling:history:end -->/ { print l } { print }' "$f" >"$work/history.md"
    cat "$work/history.md" >"$f"
}
