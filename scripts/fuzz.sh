#!/usr/bin/env bash
# insyn's fuzz harness (fuzz/, the crate insyn-fuzz) on stable Rust: every
# parser of outside input, each fed mutated seed files for a while.
#
#   scripts/fuzz.sh [--seconds N] [--jobs J] [TARGET…]  each target for N seconds
#                                                     (default 600), J at a time (default 2)
#   scripts/fuzz.sh --cases N [TARGET…]               each target for N cases (a quick check)
#
# Targets (default: all): xlsx ods csv full-json policy user-list hr-file mapping service-follow-ups
# webhook-draft hr-person config.
# Each runs under `nice` with its address space capped by `ulimit -v`
# (INSYN_FUZZ_MEM_KB, default 1 GiB): an allocation over the cap aborts the
# target, and the input it was running is saved as fuzz/crashes/TARGET/abort-*.bin;
# the target then goes on for the rest of its time. Panics (crash-*), hangs
# (hang-*) and slow cases (slow-*) are saved there too; `cargo test -p insyn-fuzz`
# replays every saved input. Exit status 1 when anything was found.
# INSYN_FUZZ_SEED fixes the seeds (scripts/test.sh does, so that its check repeats).
set -euo pipefail

seconds=600
cases=""
jobs=2
targets=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds="$2"; shift ;;
        --cases) cases="$2"; shift ;;
        --jobs) jobs="$2"; shift ;;
        -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1") ;;
    esac
    shift
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
cargo build -q -p insyn-fuzz
bin="$target_dir/debug/insyn-fuzz"
if [[ ${#targets[@]} -eq 0 ]]; then
    mapfile -t targets < <("$bin" list)
fi
mem_kb="${INSYN_FUZZ_MEM_KB:-1048576}"
logs="$(mktemp -d "${TMPDIR:-/tmp}/insyn-fuzz.XXXXXX")"

# One target: runs until its time (or its cases) are used up, restarting after
# an abort or a hang. Writes its summary to $logs/TARGET.summary.
run_target() {
    local t="$1" started=$SECONDS total_cases=0 runs=0 found=0 line rc left
    local crashes="fuzz/crashes/$t"
    mkdir -p "$crashes"
    while :; do
        runs=$((runs + 1))
        if [[ -n "$cases" ]]; then
            args=(--cases "$((cases - total_cases))")
        else
            left=$((seconds - (SECONDS - started)))
            [[ $left -le 0 ]] && break
            args=(--seconds "$left")
        fi
        rc=0
        (ulimit -v "$mem_kb" && exec nice -n 10 "$bin" "$t" "${args[@]}" --seed "${INSYN_FUZZ_SEED:-$RANDOM}$runs") \
            >"$logs/$t.$runs.out" 2>"$logs/$t.$runs.err" || rc=$?
        line="$(grep -h "^insyn-fuzz $t:" "$logs/$t.$runs.out" || true)"
        if [[ -n "$line" ]]; then
            total_cases=$((total_cases + $(sed -E 's/.*: ([0-9]+) cases.*/\1/' <<<"$line")))
        fi
        grep -h "CRASH\|HANG\|SLOW" "$logs/$t.$runs.err" | sed "s/^/  /" || true
        case $rc in
            0) ;;
            1) found=1 ;; # crashes or slow cases, saved by the harness
            3) found=1 ;; # a hang, saved by the harness; go on
            *)
                found=1
                if [[ -f "$crashes/.last-input" ]]; then
                    h="$(sha256sum "$crashes/.last-input" | cut -c1-16)"
                    mv "$crashes/.last-input" "$crashes/abort-$h.bin"
                    echo "$t: ended by status $rc (an abort: allocation over ${mem_kb} KiB, a stack overflow…)" \
                        >"$crashes/abort-$h.txt"
                    tail -n 5 "$logs/$t.$runs.err" >>"$crashes/abort-$h.txt"
                    echo "  $t: ABORT (status $rc), input saved: $crashes/abort-$h.bin"
                fi
                ;;
        esac
        if [[ -n "$cases" ]]; then
            [[ $total_cases -ge $cases || $rc -eq 0 || $rc -eq 1 ]] && break
        elif [[ $rc -eq 0 || $rc -eq 1 ]]; then
            break
        fi
    done
    local n_saved
    n_saved="$(find "$crashes" -name '*.bin' -newer "$logs/start" 2>/dev/null | wc -l)"
    printf '%-10s %8d cases in %4d s, %d run(s), %d new finding(s) saved%s\n' \
        "$t" "$total_cases" "$((SECONDS - started))" "$runs" "$n_saved" \
        "$([[ $found -eq 1 ]] && echo " (see $crashes)")" >"$logs/$t.summary"
    return $found
}

touch "$logs/start"
echo "insyn-fuzz: ${targets[*]}; $([[ -n "$cases" ]] && echo "$cases cases" || echo "$seconds s") each, $jobs at a time, memory cap $mem_kb KiB"
status=0
pids=()
for t in "${targets[@]}"; do
    run_target "$t" &
    pids+=($!)
    if [[ ${#pids[@]} -ge $jobs ]]; then
        wait "${pids[0]}" || status=1
        pids=("${pids[@]:1}")
    fi
done
for p in "${pids[@]}"; do
    wait "$p" || status=1
done
echo "--- per target"
for t in "${targets[@]}"; do
    cat "$logs/$t.summary"
done
rm -rf "$logs"
exit "$status"
