#!/usr/bin/env bash
# Benchmark: `supportcheck verify` runs its probes in parallel. 100 `http`
# probes against a local server (python3's ThreadingHTTPServer on
# 127.0.0.1) that waits 100 ms before each answer must finish in about the
# time of the slowest few (a few rounds of --jobs probes), not their sum
# (100 x 100 ms = 10 s). Prints the time with the default --jobs (32), with
# --jobs 100 and with --jobs 1 (the sum, for comparison), and exits 1 when
# the default run takes more than LIMIT seconds.
#
# Usage: benches/probes.sh               (from the repository root)
#        N=200 DELAY_MS=100 LIMIT=1.5 benches/probes.sh
#        BIN=target/debug/supportcheck benches/probes.sh   (skip the release build)
set -euo pipefail

cd "$(dirname "$0")/.."
N=${N:-100}
DELAY_MS=${DELAY_MS:-100}
LIMIT=${LIMIT:-1.5}
if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet
    BIN="$PWD/target/release/supportcheck"
fi
bin=$(realpath "$BIN")
work=$(mktemp -d)
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/server.py" <<PY
import http.server, socketserver, sys, time
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(${DELAY_MS} / 1000)
        body = b"Contact us"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 256
s = S(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
python3 "$work/server.py" >"$work/port" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")

project="$work/project"
mkdir -p "$project/playbooks"
printf 'checklists: [playbooks]\nprobes:\n  allow_hosts: [127.0.0.1]\n' >"$project/supportcheck.yaml"
{
    printf -- '---\ntitle: Probed\nid: probed\nchecklist:\n'
    for i in $(seq "$N"); do
        printf '  - order: %d\n    question: Page %d?\n    expectation: Up.\n    version: 1.0.0\n    probes:\n      - http: http://127.0.0.1:%d/page/%d\n        contains: Contact us\n' "$i" "$i" "$port" "$i"
    done
    printf -- '---\n'
} >"$project/playbooks/probed.md"

# Wall seconds of one `verify` run with the given flags; every probe must pass.
run() {
    local start end
    rm -f "$project/readiness/probes.jsonl"
    start=$(date +%s.%N)
    (cd "$project" && "$bin" -q verify "$@" >"$work/out") ||
        { echo "verify $* failed:" >&2; tail -5 "$work/out" >&2; exit 2; }
    end=$(date +%s.%N)
    grep -q "$N probes: $N passed" "$work/out" || { tail -3 "$work/out" >&2; exit 2; }
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

default=$(run)
wide=$(run --jobs 100)
serial=$(run --jobs 1)
sum=$(awk -v n="$N" -v d="$DELAY_MS" 'BEGIN { printf "%.1f", n * d / 1000 }')
echo "verify: $N http probes, ${DELAY_MS} ms each (sum ${sum} s)"
echo "  --jobs 32 (default): ${default} s"
echo "  --jobs 100:          ${wide} s"
echo "  --jobs 1:            ${serial} s"
awk -v t="$default" -v l="$LIMIT" 'BEGIN { exit !(t <= l) }' ||
    { echo "the default run took ${default} s, over the limit of ${LIMIT} s" >&2; exit 1; }
