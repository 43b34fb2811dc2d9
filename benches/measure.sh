# Sourced by the benchmark scripts: builds the release binary into $bin,
# makes a work folder $work (removed on exit), and defines `measure DIR
# ARGS...`, which runs `supportcheck -q ARGS...` in DIR under GNU time and
# prints "<peak RSS in KB> <wall seconds> <CPU seconds (user + system)>".
# Exit code 1 (findings) counts as a run; anything else stops the script.

[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
cargo build --release --quiet
bin="$PWD/target/release/supportcheck"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() {
    local dir=$1; shift
    local log="$work/time.log"
    (cd "$dir" && /usr/bin/time -v -o "$log" "$bin" -q "$@" >/dev/null 2>&1) ||
        [ $? -eq 1 ] || { echo "$* failed in $dir" >&2; cat "$log" >&2; exit 2; }
    awk -F': ' '/Maximum resident set size/ { kb = $2 }
                /User time/ { cpu += $2 } /System time/ { cpu += $2 }
                /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = p[n] + (n > 1 ? p[n-1] * 60 : 0) }
                END { printf "%d %.3f %.2f\n", kb, s, cpu }' "$log"
}
