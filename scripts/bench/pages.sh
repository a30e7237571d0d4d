# Single-request latency of every page type (issue 22, point 5); sourced by
# scripts/bench.sh, which provides $work, $lua_dir, note, failures, page_auth.
#
# The pages and the ids they need are listed in scripts/bench/pages.txt. Each
# page is asked for $page_warmup + page_count times in a row over one
# kept-alive connection (one curl), and the measured requests' time_total
# gives the median, 90th percentile and maximum. With --tiny: one request
# each, its status checked, no figures.

page_count() { # size → measured requests per page
    if [[ -n "$page_requests" ]]; then echo "$page_requests"; elif (($1 >= 100000)); then echo 10; else echo 20; fi
}

declare -A PL  # PL[backend/size/page] = "median p90 max" (ms)
declare -A PID # the ids of this database: PID[@name@] = id

# The ids the pages need (scripts/bench/pages.txt explains the three kinds of
# line): links on the demo's own pages, or, for what the demo lacks, made
# with the API. @sys@ is Treserva, from the API.
pages_resolve() { # base
    local base=$1 kind a b c d e id cand
    PID=([@org@]="$org")
    auth=("${api_auth[@]}")
    status_of "$base/api/v1/orgs/$org/systems?q=Treserva&per_page=1" >/dev/null
    PID[@sys@]="$(grep -o '{"id":"[0-9a-f-]\{36\}"' "$work/last-body" | head -n 1 | cut -d'"' -f4)"
    # Candidates for "find": the first 60 systems by name (the demo's journeys
    # start from the first systems of the register).
    status_of "$base/api/v1/orgs/$org/systems?per_page=60&sort=name" >/dev/null
    grep -o '{"id":"[0-9a-f-]\{36\}"' "$work/last-body" | cut -d'"' -f4 >"$work/candidates"
    while IFS='|' read -r kind a b c d e; do
        case "$kind" in
            link)
                auth=("${page_auth[@]}")
                id="$(pages_link "$base" "$(pages_fill "$b")" "$(pages_fill "$c")" "${d:-[0-9]}")"
                if [[ -n "$id" ]]; then PID[$a]=$id; fi
                ;;
            find)
                auth=("${page_auth[@]}")
                while read -r cand; do
                    id="$(pages_link "$base" "$(pages_fill "${c//@cand@/$cand}")" "$(pages_fill "${d//@cand@/$cand}")" "${e:-[0-9]}")"
                    if [[ -n "$id" ]]; then
                        PID[$a]=$cand PID[$b]=$id
                        break
                    fi
                done <"$work/candidates"
                ;;
            post)
                [[ -z "${PID[$a]:-}" ]] || continue
                b="$(pages_fill "$b")" c="$(pages_fill "$c")"
                [[ "$b$c" != *@*@* ]] || continue
                auth=("${api_auth[@]}")
                if [[ "$(status_of -X POST -H 'Content-Type: application/json' --data "$c" "$base$b")" == 201 ]]; then
                    PID[$a]="$(grep -o '"id":"[0-9a-f-]\{36\}"' "$work/last-body" | head -n 1 | cut -d'"' -f4)"
                fi
                ;;
        esac
    done <"$lua_dir/pages.txt"
}

# The first link under a prefix on a page whose next path segment matches
# a pattern (ids have digits; "new", "edit" and "print" do not).
pages_link() { # base source prefix pattern
    [[ "$2$3" != *@*@* ]] || return 0 # what it depends on is missing
    status_of "$1$2" >/dev/null
    grep -o "href=\"$3[^\"/?#]*" "$work/last-body" | sed "s|^href=\"$3||" | grep -e "$4" | head -n 1 || true
}

# curl's "status time_total" lines → "median p90 max" in ms.
latency_stats() {
    awk '{print $2 * 1000}' | sort -g | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.1f %.1f %.1f", m, v[int(0.9 * NR + 0.999999)], v[NR] }'
}

# The public register and the sign-in page as an anonymous visitor sees
# them; the others signed in.
auth_for() { # path
    if [[ "$1" == /public* || "$1" == /login ]]; then auth=("${env_auth[@]}"); else auth=("${page_auth[@]}"); fi
}

pages_fill() { # text → text with the known ids put in
    local t=$1 k
    for k in "${!PID[@]}"; do t="${t//$k/${PID[$k]}}"; done
    echo "$t"
}

pages_run() { # backend size base
    local b=$1 s=$2 base=$3 name label path expect line total codes k n
    n=$(page_count "$s")
    pages_resolve "$base"
    local n_pages=0 slow=0 misses=() miss
    while IFS='|' read -r name label path expect; do
        [[ "$expect" =~ ^[0-9]{3}$ ]] || continue # a page line
        n_pages=$((n_pages + 1))
        path="$(pages_fill "$path")"
        if [[ "$path" == *@*@* ]]; then
            failures+=("$b/$s/page $name: no id for $(grep -o '@[a-z_]*@' <<<"$path" | head -n 1) in the demo data")
            continue
        fi
        auth_for "$path"
        total=$((page_warmup + n))
        local args=()
        for ((k = 0; k < total; k++)); do args+=(-o /dev/null "$base$path"); done
        curl -s --max-time 60 -w '%{http_code} %{time_total}\n' "${auth[@]}" "${args[@]}" \
            >"$work/page-$name" 2>/dev/null || true
        codes="$(awk '{print $1}' "$work/page-$name" | sort -u | tr '\n' ' ')"
        if [[ "$codes" != "$expect " ]]; then
            note "page $name ($path): expected HTTP $expect, got ${codes:-nothing}"
            failures+=("$b/$s/page $name: HTTP ${codes% } instead of $expect")
            continue
        fi
        ((n > 1)) || { PL[$b/$s/$name]="ok"; continue; }
        PL[$b/$s/$name]="$(tail -n "$n" "$work/page-$name" | latency_stats)"
        line=${PL[$b/$s/$name]}
        if awk -v m="${line%% *}" -v t="$page_target_ms" 'BEGIN { exit !(m > t) }'; then
            slow=$((slow + 1))
            misses+=("${line%% *}|$name|$path")
        fi
    done <"$lua_dir/pages.txt"
    # The slowest misses at the largest size get their profile, as the wrk
    # cases' do (at most $page_profiles: 6 s each).
    if [[ $profile -eq 1 && $s -eq $largest && ${#misses[@]} -gt 0 ]]; then
        while IFS='|' read -r _ name path; do
            auth_for "$path"
            profile_case "$b" "$s" "page-$name" plain.lua "$base$path"
        done < <(printf '%s\n' "${misses[@]}" | sort -t'|' -k1,1 -g -r | head -n "$page_profiles")
    fi
    if ((n > 1)); then
        note "$n_pages page types, $n requests each: $slow with a median over $page_target_ms ms"
    else
        note "$n_pages page types answered (status checked only)"
    fi
}

# The table for the report: page × size, per backend; the target marked at
# the target size.
pages_report() { # target size
    local t=$1 b s name label path expect v head1 head2 row m
    [[ $tiny -eq 0 ]] || return 0
    echo
    echo "### Every page, one request at a time (issue 22: median ≤ $page_target_ms ms at $(fmt_int "$target_size") systems)"
    echo
    local counts="" s1
    for s1 in $sizes; do counts+="${counts:+, }$(page_count "$s1") at $(fmt_int "$s1")"; done
    echo "Requests in a row per page ($counts systems) after $page_warmup not counted, over one kept-alive"
    echo "connection (curl's time_total), signed in as the demo administrator (the public pages"
    echo "and the sign-in page anonymously): median / 90th percentile / maximum in ms. Ids: the first of each kind the"
    echo "demo's own pages link to (the demo has no contract: the run makes one with the API); the"
    echo "system is Treserva (the demo's most filled-in system), its sub-pages the first system"
    echo "that has one. Not covered: one webhook's page (the demo has none). Target: median ≤ $page_target_ms ms."
    for b in $backends; do
        echo
        echo "#### $b"
        echo
        head1="| page |"
        head2="|---|"
        for s in $sizes; do
            head1+=" $(fmt_int "$s") |"
            head2+="---:|"
        done
        head1+=" median ≤ $page_target_ms ms at $(fmt_int "$t") |"
        head2+="---|"
        echo "$head1"
        echo "$head2"
        while IFS='|' read -r name label path expect; do
            [[ "$expect" =~ ^[0-9]{3}$ ]] || continue # a page line
            row="| $label |"
            for s in $sizes; do
                v="${PL[$b/$s/$name]:-}"
                if [[ -n "$v" ]]; then row+=" ${v// / / } |"; else row+=" no result |"; fi
            done
            v="${PL[$b/$t/$name]:-}"
            if [[ -z "$v" ]]; then
                m="–"
            elif awk -v m="${v%% *}" -v t="$page_target_ms" 'BEGIN { exit !(m <= t) }'; then
                m="met"
            else
                m="**missed**"
            fi
            echo "$row $m |"
        done <"$lua_dir/pages.txt"
    done
}
