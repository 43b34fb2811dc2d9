#!/usr/bin/env bash
# Makes docs/pr-summary.png, the README's picture of a pull-request job
# summary: examples/acme with a report on main, a pull request that changes
# some answers, ci/action.sh's run step (what the Action does) writing the
# summary, rendered to HTML with GitHub-like styles and photographed by
# headless Chromium. Needs a built supportcheck on PATH (cargo build),
# chromium, and python3 with the markdown package (pip install markdown).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/examples/acme/." "$work/"
cd "$work"

# The report on main.
SUPPORTCHECK_NOW=2026-11-20T12:00:00Z supportcheck -q report --format json >/dev/null

# The pull request: a capability shipped, a note updated, two new answers.
python3 - <<'PY'
import re
p = "readiness/answers.yaml"
s = open(p).read()
s = s.replace("""  support-channels/q4:
    status: partial
    note: Screen sharing through Zoom is approved, with a consent line in the macro. Log collection still means asking the customer to email a HAR file; the in-app diagnostics export is planned for February.""",
"""  support-channels/q4:
    status: met
    note: The in-app diagnostics export shipped in 2.14; agents request it from the ticket sidebar, and screen sharing has a consent line in the macro.""")
s = s.replace("answered_by: Mei Chen\n    answered_at: 2026-11-19T14:12:00Z", "answered_by: Sam Okafor\n    answered_at: 2026-11-24T09:00:00Z", 1)
s += """  service-levels/q6:
    status: met
    note: Status page and incident comms templates approved by Legal on 23 Nov.
    evidence: [docs/support/escalation-policy.md]
    question_version: 1.0.0
    answered_by: Priya Raman
  self-service/q3:
    status: unmet
    note: Search analytics are not wired up yet; ticket deflection is unknown.
    question_version: 1.0.0
    answered_by: Mei Chen
"""
open(p, "w").write(s)
PY

export GITHUB_STEP_SUMMARY="$work/summary.md" GITHUB_OUTPUT="$work/output" INPUT_FORMATS=""
SUPPORTCHECK_NOW=2026-11-24T12:00:00Z bash "$root/ci/action.sh" run >/dev/null

python3 - "$work/summary.md" "$work/summary.html" <<'PY'
import sys, markdown
body = markdown.markdown(open(sys.argv[1]).read(), extensions=["tables", "md_in_html"])
css = """
body { font: 14px/1.5 -apple-system, 'Segoe UI', 'Noto Sans', Helvetica, Arial, sans-serif;
       color: #1f2328; background: #f6f8fa; margin: 0; padding: 16px; }
.box { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; max-width: 860px; }
.head { padding: 10px 16px; border-bottom: 1px solid #d1d9e0; font-weight: 600; }
.head small { color: #59636e; font-weight: 400; }
.md { padding: 4px 24px 12px; }
h2 { font-size: 1.35em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; margin: 18px 0 12px; }
table { border-collapse: collapse; margin: 8px 0 14px; display: block; overflow: auto; }
th, td { border: 1px solid #d1d9e0; padding: 5px 12px; }
th { background: #f6f8fa; font-weight: 600; }
tr:nth-child(2n) td { background: #f6f8fa; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #eff1f3;
       padding: .15em .35em; border-radius: 6px; }
details summary { cursor: pointer; color: #0969da; }
"""
html = f"""<!doctype html><meta charset="utf-8"><style>{css}</style>
<div class="box"><div class="head">readiness summary <small>· Support readiness / readiness (pull_request)</small></div>
<div class="md">{body}</div></div>"""
open(sys.argv[2], "w").write(html)
PY

chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --window-size=900,690 --screenshot="$root/docs/pr-summary.png" "file://$work/summary.html" 2>/dev/null
echo "wrote docs/pr-summary.png"
