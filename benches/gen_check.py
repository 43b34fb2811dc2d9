#!/usr/bin/env python3
"""Generates a playbook set and a full answers file for the `check` benchmark.

Usage: gen_check.py DIR QUESTIONS [--team]

Writes DIR/playbooks/<section>/<NNNN>-<id>.md (20 questions a playbook, in
ten section folders), DIR/answers.yaml answering every question, and the
evidence files the answers point to. The mix is fixed by position so that
two sizes differ only in scale: about half met, a fifth partial, a tenth
unmet, some not applicable with a reason; a quarter of the questions have
criteria, one in ten is critical (some of those carry a waiver, a few of
them expired), one in eight requires evidence. Deterministic for a given size.

With CONDITIONS=1 in the environment, two questions in three carry an
`applies_if` (on a fact, or on the answer to their playbook's first
question) and DIR/supportcheck.yaml sets the fact, so that conditions are
part of the measurement.
With --team, every playbook names one of five roles as its owner, one
question in nine is owned by `legal` itself, one partial or unmet answer in
three carries a follow-up action (half of them overdue), and DIR holds a
supportcheck.yaml with the roles' people and `gate.signoffs`, so that the
sign-off digest is computed on every run.
"""

import os
import sys

ROLES = ["support-lead", "support-ops", "legal", "engineering", "product"]

PER_PLAYBOOK = 20
SECTIONS = 10
CONDITIONS = os.environ.get("CONDITIONS") == "1"


def question(pb, n, team=False):
    """The checklist item for question n (1-based) of playbook pb."""
    k = pb * PER_PLAYBOOK + n
    lines = [
        f"  - order: {n}",
        f"    question: Does the team handle case {k} of playbook {pb} before launch?",
        "    expectation: A named owner has written down how the case is handled, "
        f"tested it with a real request and reviewed it in the last 30 days (item {k}).",
        "    version: 1.0.0",
    ]
    if CONDITIONS and k % 3 == 0:
        lines.append("    applies_if: \"'phone' in channels\"")
    elif CONDITIONS and k % 3 == 1 and n > 1:
        lines.append(f"    applies_if: answers['pb{pb:04d}/q1'] == 'met'")
    if k % 10 == 0:
        lines.append("    critical: true")
    if k % 7 == 0:
        lines.append("    weight: 2")
    if k % 8 == 0:
        lines.append("    evidence: required")
    if team and k % 9 == 0:
        lines.append("    owner: legal")
    if k % 4 == 1:
        lines.append("    criteria:")
        for c in range(1, 5):
            lines.append(f"      - id: part-{c}")
            lines.append(f"        text: Part {c} of case {k} is in place")
    return "\n".join(lines)


def answer(pb, n, team=False):
    """The answer to question n of playbook pb."""
    k = pb * PER_PLAYBOOK + n
    qid = f"pb{pb:04d}/q{n}"
    out = [f"  {qid}:"]
    kind = k % 20
    critical = k % 10 == 0
    if k % 4 == 1:
        met = k % 5  # 0-4 criteria of 4
        status = ["unmet", "partial", "partial", "partial", "met"][met]
        out.append(f"    status: {status}")
        out.append(f"    note: {met} of 4 parts checked on the {k % 28 + 1}th")
        ids = ", ".join(f"part-{c}" for c in range(1, met + 1))
        out.append(f"    criteria_met: [{ids}]")
    elif kind in (3, 7) and not critical:
        out.append("    status: not-applicable")
        out.append(f"    note: Not offered at launch (decision {k})")
    elif kind in (2, 6, 11, 15) or (critical and k % 30 == 0):
        out.append("    status: partial")
        out.append(f"    note: Written but not yet tested, ticket OPS-{k}")
    elif kind in (9, 13) or (critical and k % 40 == 0):
        out.append("    status: unmet")
        out.append(f"    note: Not started; owner picked on the {k % 28 + 1}th")
    else:
        out.append("    status: met")
        out.append(f"    note: Tested end to end with request {k}")
    if k % 8 == 0 or k % 11 == 0:
        out.append(
            f'    evidence: [docs/evidence-{k % 50}.md, "https://wiki.example.test/case/{k}"]'
        )
    if team and k % 3 == 0 and ("status: partial" in out[1] or "status: unmet" in out[1]):
        due = "2026-11-01" if k % 2 == 0 else "2027-03-01"
        out.append("    action:")
        out.append(f"      what: Finish case {k}")
        out.append(f"      due: {due}")
    out.append("    question_version: 1.0.0")
    out.append("    answered_by: Bench Team")
    out.append("    answered_at: 2026-11-20T10:00:00Z")
    if critical and k % 30 == 0:
        expires = "2026-10-01" if k % 90 == 0 else "2027-01-31"
        out.append("    waiver:")
        out.append(f"      reason: Accepted until the fix ships (case {k})")
        out.append(f"      expires: {expires}")
        out.append("      approved_by: Head of Support")
    return "\n".join(out)


def main():
    args = [a for a in sys.argv[1:] if a != "--team"]
    team = "--team" in sys.argv[1:]
    if len(args) != 2:
        sys.exit(__doc__)
    root, total = args[0], int(args[1])
    if total % PER_PLAYBOOK:
        sys.exit(f"QUESTIONS must be a multiple of {PER_PLAYBOOK}")
    playbooks = total // PER_PLAYBOOK
    os.makedirs(os.path.join(root, "docs"), exist_ok=True)
    for e in range(50):
        with open(os.path.join(root, "docs", f"evidence-{e}.md"), "w") as f:
            f.write(f"# Evidence {e}\n")
    answers = ["format: 1", "product: Bench", "answers:"]
    for pb in range(playbooks):
        section = f"{pb % SECTIONS + 1}-section"
        folder = os.path.join(root, "playbooks", section)
        os.makedirs(folder, exist_ok=True)
        items = "\n".join(question(pb, n, team) for n in range(1, PER_PLAYBOOK + 1))
        owner = f"owner: {ROLES[pb % len(ROLES)]}\n" if team else ""
        text = (
            f"---\ntitle: Playbook {pb}\nid: pb{pb:04d}\n{owner}checklist:\n{items}\n---\n"
            f"## Why\nPlaybook {pb} keeps launch support honest.\n\n"
            "## How\n1. Write it down.\n2. Test it.\n"
        )
        with open(os.path.join(folder, f"{pb:04d}-pb{pb:04d}.md"), "w") as f:
            f.write(text)
        answers.extend(answer(pb, n, team) for n in range(1, PER_PLAYBOOK + 1))
    with open(os.path.join(root, "answers.yaml"), "w") as f:
        f.write("\n".join(answers) + "\n")
    config = ""
    if CONDITIONS:
        config += "facts:\n  channels: [email, chat]\n"
    if team:
        people = "\n".join(f"  {r}: [Person {i}, Deputy {i}]" for i, r in enumerate(ROLES))
        config += f"owners:\n{people}\ngate:\n  signoffs: [support-lead, legal]\n"
    if config:
        with open(os.path.join(root, "supportcheck.yaml"), "w") as f:
            f.write(config)


if __name__ == "__main__":
    main()
