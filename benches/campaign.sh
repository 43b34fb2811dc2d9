#!/usr/bin/env bash
# Benchmark: `supportcheck portfolio --campaign` against plain `portfolio`
# over the same generated portfolio of 10,000 products (5 report versions of
# 30 questions each, with maturity levels and a `stage` fact;
# benches/gen_portfolio.py --levels), release build, read through each
# folder's index.jsonl. The campaign covers the `ga` products (three in
# four) and asks for level `launch`, so every version's levels are read for
# the burn-up. Wall and CPU time from GNU time, best of RUNS. Exits 1 when
# the campaign run takes more than RATIO (1.5) times the plain run's wall
# time. Prints the load average, since the machine may be shared.
#
# Usage: benches/campaign.sh                  (from the repository root)
#        PRODUCTS=10000 RUNS=5 WORK=/tmp/cb benches/campaign.sh
set -euo pipefail

cd "$(dirname "$0")/.."
PRODUCTS=${PRODUCTS:-10000}
RUNS=${RUNS:-5}
RATIO=${RATIO:-1.5}
WORK=${WORK:-/tmp/supportcheck-campaign-bench}
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }

cargo build --release --quiet
bin="$PWD/target/release/supportcheck"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# "<wall s> <CPU s> <peak RSS MB>" of the best of RUNS runs of "$@".
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

dir="$WORK/products-$PRODUCTS"
if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    echo "generating $PRODUCTS products in $dir ..."
    python3 benches/gen_portfolio.py "$dir" "$PRODUCTS" 5 30 --levels
    touch "$dir/.complete"
fi
cat >"$WORK/campaign.yaml" <<'YAML'
name: GA launch readiness
owner: support-ops
where: {stage: ga}
level: launch
start: 2026-10-10
due: 2026-12-31
YAML
export SUPPORTCHECK_NOW=2026-11-30T12:00:00Z

echo "load before: $(uptime)"
printf '%-34s %8s %8s %8s\n' run "wall s" "CPU s" "RSS MB"
read -r s0 cpu0 mb0 < <(best "$bin" -q portfolio "$dir")
printf '%-34s %8s %8s %8s\n' "portfolio" "$s0" "$cpu0" "$mb0"
read -r s1 cpu1 mb1 < <(best "$bin" -q portfolio "$dir" --campaign "$WORK/campaign.yaml")
printf '%-34s %8s %8s %8s\n' "portfolio --campaign" "$s1" "$cpu1" "$mb1"
read -r s2 cpu2 mb2 < <(best "$bin" -q portfolio "$dir" --campaign "$WORK/campaign.yaml" --format json)
printf '%-34s %8s %8s %8s\n' "portfolio --campaign --format json" "$s2" "$cpu2" "$mb2"
echo "load after: $(uptime)"
ratio=$(awk "BEGIN { printf \"%.2f\", $s1 / ($s0 > 0 ? $s0 : 0.01) }")
cpu_ratio=$(awk "BEGIN { printf \"%.2f\", $cpu1 / ($cpu0 > 0 ? $cpu0 : 0.01) }")
echo "campaign / plain: wall ${ratio}x, CPU ${cpu_ratio}x (limit ${RATIO}x)"
awk "BEGIN { exit !($ratio <= $RATIO) }" || { echo "over ${RATIO}x" >&2; exit 1; }
