# The national shape on PostgreSQL (issue 22, point 6); sourced by
# scripts/bench.sh, run by `scripts/bench.sh --national`.
#
# `insyn demo --orgs 290 --systems 500` (Exempelstad, its company and
# kommun-002 … kommun-290, each following the demo's policy profile) in a
# throwaway cluster; two `insyn serve` on that database behind haproxy
# (round-robin, as tests/it/multi_instance.rs); then list, search, tasks and
# compliance, each first one request at a time over 20 organisations and then
# with wrk, every request for the next organisation (rotate.lua over the
# slugs). The results go between BENCHMARKS.md's bench:national markers.

# name|label|path with %s for the organisation
national_cases=(
    "api_list|API list (page of 50, lifecycle filter, sorted by name)|/api/v1/orgs/%s/systems?per_page=50&lifecycle=in_operation&sort=name"
    "api_search|API full-text search (q=ekonomi, page of 50)|/api/v1/orgs/%s/systems?q=ekonomi&per_page=50"
    "html_tasks|HTML tasks page (Mina uppgifter)|/o/%s/tasks"
    "html_compliance|HTML compliance dashboard|/o/%s/compliance"
)
national_single=20 # organisations asked one request at a time, per case

national_serve() { # name port url → pid in $national_pid
    "$bin" serve --addr "127.0.0.1:$2" --database-url "$3" \
        --audit-checkpoint-file "$work/$1-checkpoints.jsonl" >"$work/serve-$1.log" 2>&1 &
    national_pid=$!
}

national_haproxy() { # port backend-port… → pid in $national_pid
    local port=$1 p i=0 servers=""
    shift
    for p in "$@"; do i=$((i + 1)); servers+="    server insyn$i 127.0.0.1:$p"$'\n'; done
    cat >"$work/haproxy.cfg" <<EOF
global
    maxconn 400
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend insyn
    bind 127.0.0.1:$port
    default_backend instances
backend instances
    balance roundrobin
    option forwardfor
$servers
EOF
    local hp
    hp="$(command -v haproxy || echo /usr/sbin/haproxy)"
    [[ -x "$hp" ]] || die "haproxy is not installed (apt-get install haproxy)"
    "$hp" -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
    national_pid=$!
}

national_main() {
    local s=national b=postgres url t0 t1 p1 p2 hp base token session slugs="$work/slugs.txt"
    local out_file=$out
    load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
    idle_budget_end=$((SECONDS + wait_idle))
    start_postgres
    section "National shape: $national_orgs organisations of $national_systems systems"
    C[$b/$s/idle]="$(wait_for_idle)"
    pg createdb bench_national
    url="postgres://postgres@127.0.0.1:$pg_port/bench_national"
    t0=${EPOCHREALTIME/./}
    "$bin" demo --systems "$national_systems" --orgs "$national_orgs" --no-serve --database-url "$url" \
        >"$work/demo-national.log" 2>&1 || { tail -n 20 "$work/demo-national.log" >&2; die "the national demo did not load"; }
    t1=${EPOCHREALTIME/./}
    C[$b/$s/load_s]="$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1e6 }')"
    note "demo data loaded in ${C[$b/$s/load_s]} s"
    pg vacuumdb --analyze --quiet --dbname bench_national
    token="$("$bin" token create --email "$bench_email" --scope write --name bench \
        --database-url "$url" 2>>"$work/demo-national.log" | tail -n 1)" || die "no API token"
    api_auth=("${env_auth[@]}" -H "Authorization: Bearer $token")

    p1="$(free_port 18480)" || die "no free port"
    national_serve insyn1 "$p1" "$url"
    server_pid=$national_pid
    wait_ready "http://127.0.0.1:$p1" || { cat "$work/serve-insyn1.log" >&2; die "instance 1 did not start"; }
    p2="$(free_port $((p1 + 1)))" || die "no free port"
    national_serve insyn2 "$p2" "$url"
    extra_pids+=("$national_pid")
    wait_ready "http://127.0.0.1:$p2" || { cat "$work/serve-insyn2.log" >&2; die "instance 2 did not start"; }
    hp="$(free_port $((p2 + 1)))" || die "no free port"
    national_haproxy "$hp" "$p1" "$p2"
    extra_pids+=("$national_pid")
    base="http://127.0.0.1:$hp"
    local deadline=$((SECONDS + 20))
    until curl -fs -o /dev/null --max-time 2 "$base/healthz"; do
        ((SECONDS < deadline)) || { cat "$work/haproxy.log" >&2; die "haproxy did not start"; }
        sleep 0.2
    done
    note "two instances on :$p1 and :$p2, haproxy on :$hp"

    session="$(curl -s -D - -o /dev/null --max-time 10 \
        --data-urlencode "email=$bench_email" --data-urlencode "password=$bench_password" \
        "$base/login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: __Host-insyn=\([^;]*\).*/\1/p' | head -n 1)"
    [[ -n "$session" ]] || die "could not sign in as $bench_email"
    page_auth=("${env_auth[@]}" -H "Cookie: __Host-insyn=$session")

    # The municipalities (not the demo's company of 12 systems).
    { echo exempelstad; for ((k = 2; k <= national_orgs; k++)); do printf 'kommun-%03d\n' "$k"; done; } >"$slugs"
    note "$(wc -l <"$slugs") organisations"

    local entry name label path code out line errors secs=$duration k
    for entry in "${national_cases[@]}"; do
        IFS='|' read -r name label path <<<"$entry"
        if [[ "$path" == /o/* ]]; then auth=("${page_auth[@]}"); else auth=("${api_auth[@]}"); fi
        code="$(status_of "$base${path//%s/kommun-002}")"
        if [[ $code != 200 ]]; then
            failures+=("national/$name: HTTP $code before the run")
            continue
        fi
        # One request at a time, each for another organisation.
        local args=()
        for ((k = 0; k < national_single + 2; k++)); do
            args+=(-o /dev/null "$base${path//%s/$(sed -n "$((1 + k * 13 % $(wc -l <"$slugs")))p" "$slugs")}")
        done
        curl -s --max-time 60 -w '%{http_code} %{time_total}\n' "${auth[@]}" "${args[@]}" >"$work/single-$name" || true
        R[$b/$s/$name/single]="$(tail -n "$national_single" "$work/single-$name" | latency_stats)"
        R[$b/$s/$name/single]="${R[$b/$s/$name/single]// / / }"
        ((warmup > 0)) && run_wrk "$warmup" rotate.lua "$base" "$slugs" "$path" >/dev/null
        out="$(run_wrk "$secs" rotate.lua "$base" "$slugs" "$path")"
        line="$(grep '^WRK_RESULT ' <<<"$out" || true)"
        if [[ -z "$line" ]]; then
            failures+=("national/$name: no result")
            continue
        fi
        wrk_record "$b/$s/$name" "$line"
        errors=${R[$b/$s/$name/errors]}
        note "$(printf '%-16s %9s req/s  median %9s  p99 %9s  errors %s  single %s ms' \
            "$name" "${R[$b/$s/$name/rps]}" "$(ms "${R[$b/$s/$name/p50]}")" "$(ms "${R[$b/$s/$name/p99]}")" \
            "$errors" "${R[$b/$s/$name/single]}")"
        ((errors == 0)) || failures+=("national/$name: $errors errors")
    done
    elapsed=$((SECONDS - started))

    section "Report"
    [[ -n "$out_file" ]] || out_file="$root/BENCHMARKS.md"
    national_report >"$work/national.md"
    if [[ -f "$out_file" ]] && grep -q '^<!-- bench:national:begin' "$out_file"; then
        awk -v rep="$work/national.md" '
            /^<!-- bench:national:begin/ { while ((getline l < rep) > 0) print l; skip = 1; next }
            /^<!-- bench:national:end/ { skip = 0; next }
            !skip { print }' "$out_file" >"$work/out.md"
        cat "$work/out.md" >"$out_file"
    else
        { echo; cat "$work/national.md"; } >>"$out_file"
    fi
    sed -n '/^| case/,$p' "$work/national.md" >&2
    note "written to $out_file"
    if [[ ${#failures[@]} -gt 0 ]]; then
        printf 'bench.sh: FAILED: %s\n' "${failures[@]}" >&2
        exit 1
    fi
}

national_report() {
    local b=postgres s=national entry name label path tgt commit
    commit="$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)"
    echo "<!-- bench:national:begin (written by scripts/bench.sh --national; edit outside these markers) -->"
    echo "## National shape: $(fmt_int "$national_orgs") organisations of $(fmt_int "$national_systems") systems, two instances (issue 22)"
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); insyn \`$commit\`; run took $((elapsed / 60)) min $((elapsed % 60)) s."
    echo "- Command: \`$invoked\`${bin:+ (binary \`${bin#"$root"/}\`)}"
    echo "- Machine: $(nproc) cores, load average before: $load_before; CPU busy before: ${C[$b/$s/idle]:-–}%."
    echo "- PostgreSQL ${pg_version:-}: throwaway local cluster, $pg_settings; demo load" \
        "(\`insyn demo --orgs $national_orgs --systems $national_systems\`) ${C[$b/$s/load_s]:-–} s, then \`VACUUM ANALYZE\`."
    echo "- Two \`insyn serve\` on that database behind haproxy (round-robin, no stickiness; one session" \
        "for both, as sessions live in the database). wrk: $threads threads, $connections connections," \
        "$duration s per case after $warmup s of warm-up; each request for the next of the $(fmt_int "$national_orgs")" \
        "municipalities (\`rotate.lua\` over their slugs). \"One at a time\": $national_single requests in a row," \
        "each for another municipality, median / p90 / max in ms."
    echo "- Targets: issue 7's figures for the one-organisation case (list ≥ 5,000/s and p99 ≤ 20 ms," \
        "search ≥ 2,000/s and p99 ≤ 30 ms, tasks and compliance p99 ≤ 100 ms)."
    echo
    echo "| case | req/s | median | p99 | errors | one at a time | target | |"
    echo "|---|---:|---:|---:|---:|---:|---|---|"
    for entry in "${national_cases[@]}"; do
        IFS='|' read -r name label path <<<"$entry"
        tgt=""
        [[ -n "${min_rps[$name]:-}" ]] && tgt="≥ $(fmt_int "${min_rps[$name]}")/s"
        [[ -n "${max_p99[$name]:-}" ]] && tgt+="${tgt:+, }p99 ≤ ${max_p99[$name]} ms"
        local v="–"
        if [[ -n "${R[$b/$s/$name/rps]:-}" ]]; then
            if awk -v r="${R[$b/$s/$name/rps]}" -v m="${min_rps[$name]:-0}" -v p="${R[$b/$s/$name/p99]}" -v mp="${max_p99[$name]:-}" \
                'BEGIN { exit !(r >= m && (mp == "" || (p !~ />/ && p + 0 <= mp + 0))) }'; then
                v=met
            else
                v="**missed**"
            fi
        fi
        echo "| $label | $(fmt_int "${R[$b/$s/$name/rps]:-}") | ${R[$b/$s/$name/p50]:-–} | ${R[$b/$s/$name/p99]:-–} |" \
            "${R[$b/$s/$name/errors]:-–} | ${R[$b/$s/$name/single]:-–} | ${tgt:-–} | $v |"
    done
    if [[ ${#failures[@]} -gt 0 ]]; then
        echo
        echo "Failures:"
        echo
        printf -- '- %s\n' "${failures[@]}"
    fi
    echo "<!-- bench:national:end -->"
}
