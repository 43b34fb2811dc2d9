#!/usr/bin/env bash
# Rebuilds the example portfolio: each product's answers, version by version,
# and a report of each version with a pinned date.
# Usage: examples/portfolio/regenerate.sh [path/to/supportcheck]
set -euo pipefail
bin=$(realpath "${1:-$(command -v supportcheck)}")
cd "$(dirname "$0")"

four="[../playbooks/channels.md, ../playbooks/help-desk.md, ../playbooks/escalation.md, ../playbooks/self-service.md]"

# project FOLDER "PRODUCT" CHECKLISTS
project() {
  rm -rf "$1"
  mkdir -p "$1/readiness"
  printf 'product: %s\nchecklists: %s\n' "$2" "$3" >"$1/supportcheck.yaml"
}

# answers FOLDER id=status...
answers() {
  local dir=$1
  shift
  {
    echo "format: 1"
    echo "answers:"
    for pair in "$@"; do
      printf '  %s:\n    status: %s\n' "${pair%%=*}" "${pair#*=}"
    done
  } >"$dir/readiness/answers.yaml"
}

# report FOLDER DATE
report() {
  SUPPORTCHECK_NOW=$2 "$bin" -q -C "$1" report --format json,html >/dev/null
}

project northwind-chat "Northwind Chat" "$four"
answers northwind-chat channels/q1=met channels/q2=partial help-desk/q1=met help-desk/q2=partial escalation/q1=met
report northwind-chat 2026-10-05T09:00:00Z
answers northwind-chat channels/q1=met channels/q2=met channels/q3=partial help-desk/q1=met help-desk/q2=met \
  help-desk/q3=partial escalation/q1=met escalation/q2=partial self-service/q1=partial
report northwind-chat 2026-10-26T09:00:00Z
answers northwind-chat channels/q1=met channels/q2=met channels/q3=met help-desk/q1=met help-desk/q2=met \
  help-desk/q3=met escalation/q1=met escalation/q2=met escalation/q3=partial self-service/q1=met self-service/q2=met
report northwind-chat 2026-11-20T09:00:00Z

project initech-mobile "Initech Mobile" "$four"
answers initech-mobile channels/q1=met channels/q2=unmet help-desk/q1=met escalation/q1=met
report initech-mobile 2026-09-14T09:00:00Z
answers initech-mobile channels/q1=met channels/q2=partial channels/q3=met help-desk/q1=met help-desk/q2=partial \
  help-desk/q3=met escalation/q1=met escalation/q2=met self-service/q1=partial
report initech-mobile 2026-10-12T09:00:00Z
answers initech-mobile channels/q1=met channels/q2=unmet channels/q3=partial help-desk/q1=met help-desk/q2=partial \
  help-desk/q3=unmet escalation/q1=met escalation/q2=partial self-service/q1=partial self-service/q2=unmet
report initech-mobile 2026-10-30T09:00:00Z

project globex-billing "Globex Billing" "[../playbooks]"
answers globex-billing channels/q1=met channels/q2=met channels/q3=met help-desk/q1=met help-desk/q2=partial \
  escalation/q1=met payments/q1=partial payments/q2=unmet
report globex-billing 2026-11-02T09:00:00Z
answers globex-billing channels/q1=met channels/q2=met channels/q3=met help-desk/q1=met help-desk/q2=met \
  help-desk/q3=met escalation/q1=met escalation/q2=met self-service/q1=met payments/q1=met payments/q2=unmet
report globex-billing 2026-11-24T09:00:00Z

project umbrella-api "Umbrella API" "$four"
answers umbrella-api channels/q1=met channels/q2=partial help-desk/q1=partial

# The reports folders' lock files are not part of the example.
rm -f ./*/readiness/reports/.readiness.lock

# The dashboard, with links relative to this folder.
SUPPORTCHECK_NOW=2026-11-30T12:00:00Z "$bin" portfolio . --format html --output dashboard.html
# The dashboard with the campaign at the top.
SUPPORTCHECK_NOW=2026-11-30T12:00:00Z "$bin" portfolio . --format html --output campaign.html \
  --campaign campaigns/launch-essentials.yaml
