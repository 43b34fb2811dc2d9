#!/usr/bin/env bash
# Benchmark: `supportcheck portfolio` over generated portfolios of 1,000 and
# 10,000 products, each with 5 report versions of 100 questions
# (benches/gen_portfolio.py), read through each folder's index.jsonl and,
# with the indexes moved aside, through the newest JSON report. Wall time and
# peak RSS from GNU time (`/usr/bin/time -v`), best of RUNS, beside a Python
# baseline that reads the same data with json.load. Prints the load average
# and the CPU time, since the machine may be shared. Exits 1 when the
# 10,000-product run with indexes is over the targets (2 s, 300 MB).
#
# Usage: benches/portfolio.sh                 (from the repository root)
#        SIZES="1000 10000" RUNS=3 WORK=/tmp/pf benches/portfolio.sh
# The generated folders (about 3 GB for 10,000 products) stay in WORK for
# the next run; delete it when done.
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/supportcheck-portfolio-bench}
LIMIT_S=${LIMIT_S:-2}
LIMIT_MB=${LIMIT_MB:-300}
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }

cargo build --release --quiet
bin="$PWD/target/release/supportcheck"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Prints "<wall seconds> <CPU seconds> <peak RSS in MB>" of the run with the
# best wall time among RUNS runs of "$@". CPU time (user + system) is the
# figure that other work on a shared machine disturbs least.
best() {
    local best_s="" best_cpu="" best_mb=""
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -v -o "$log" "$@" >/dev/null 2>&1 || {
            rc=$?
            [ "$rc" -eq 1 ] || { echo "failed ($rc): $*" >&2; cat "$log" >&2; exit 2; }
        }
        read -r s cpu mb < <(awk -F': ' '/Maximum resident set size/ { kb = $2 }
            /User time/ { cpu += $2 } /System time/ { cpu += $2 }
            /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = p[n] + (n > 1 ? p[n-1] * 60 : 0) }
            END { printf "%.2f %.2f %.0f\n", s, cpu, kb / 1024 }' "$log")
        if [ -z "$best_s" ] || awk "BEGIN { exit !($s < $best_s) }"; then
            best_s=$s best_cpu=$cpu best_mb=$mb
        fi
    done
    echo "$best_s $best_cpu $best_mb"
}

# Moves every index.jsonl in $1 aside (off) or back (on).
indexes() {
    python3 - "$1" "$2" <<'PY'
import os, sys
root, mode = sys.argv[1], sys.argv[2]
a, b = ("index.jsonl", "index.jsonl.off") if mode == "off" else ("index.jsonl.off", "index.jsonl")
for d, _, files in os.walk(root):
    if a in files:
        os.rename(os.path.join(d, a), os.path.join(d, b))
PY
}

# One generated portfolio of the largest size, in folders of 1,000 products
# (p00, p01, ...); a smaller size reads the first folders of it.
max=0
for n in $SIZES; do [ "$n" -gt "$max" ] && max=$n; done
dir="$WORK/products-$max"
if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    echo "generating $max products in $dir ..."
    python3 benches/gen_portfolio.py "$dir" "$max" 5 100
    touch "$dir/.complete"
fi

echo "load before: $(uptime)"
printf '%-9s %-7s %-22s %8s %8s %8s\n' products read tool "wall s" "CPU s" "RSS MB"
status=0
for n in $SIZES; do
    mapfile -t paths < <(find "$dir" -mindepth 1 -maxdepth 1 -name 'p*' -type d | sort | head -n $(( (n + 999) / 1000 )))
    indexes "$dir" on
    for mode in index json; do
        [ "$mode" = json ] && indexes "$dir" off
        read -r s cpu mb < <(best "$bin" -q portfolio "${paths[@]}")
        printf '%-9s %-7s %-22s %8s %8s %8s\n' "$n" "$mode" "supportcheck portfolio" "$s" "$cpu" "$mb"
        if [ "$n" = 10000 ] && [ "$mode" = index ] &&
            ! awk "BEGIN { exit !($s <= $LIMIT_S && $mb <= $LIMIT_MB) }"; then
            echo "over the target of ${LIMIT_S} s and ${LIMIT_MB} MB" >&2
            status=1
        fi
        read -r s cpu mb < <(best "$bin" -q portfolio "${paths[@]}" --format json)
        printf '%-9s %-7s %-22s %8s %8s %8s\n' "$n" "$mode" "  ... --format json" "$s" "$cpu" "$mb"
        read -r s cpu mb < <(best python3 benches/portfolio_baseline.py "${paths[@]}")
        printf '%-9s %-7s %-22s %8s %8s %8s\n' "$n" "$mode" "python json baseline" "$s" "$cpu" "$mb"
    done
done
indexes "$dir" on
echo "load after: $(uptime)"
exit $status
