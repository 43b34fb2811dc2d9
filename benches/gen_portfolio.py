#!/usr/bin/env python3
"""Writes a generated portfolio for benches/portfolio.sh.

Usage: gen_portfolio.py OUT PRODUCTS [VERSIONS] [QUESTIONS] [--no-index] [--levels]

Each product is a project folder (supportcheck.yaml) with VERSIONS JSON
reports of QUESTIONS questions each, shaped like the reports supportcheck
writes (summary, playbooks with their questions and answers, trend, hash
links), and the reports folder's index.jsonl in the format the `report`
command writes (one line per version). With --no-index the index is left
out, as in folders written before it existed. With --levels every question
has a maturity level (beta, launch, scale), each version and index line
carries the levels reached, and each project has a `stage` fact (ga or
beta), for campaigns (benches/campaign.sh). Deterministic for a given set
of arguments.
"""

import hashlib
import json
import os
import random
import sys

PLAYBOOKS = [
    "support-channels", "service-levels", "help-desk", "self-service",
    "support-conversation", "escalation", "automation", "after-care",
    "people", "tools",
]
STATUSES = ["met", "met", "met", "partial", "unmet", None]


def question(pb, i, rng):
    status = rng.choice(STATUSES)
    credit = {"met": 1.0, "partial": 0.5, "unmet": 0.0, None: 0.0}[status]
    answer = None
    if status:
        answer = {
            "status": status,
            "note": "Checked with the team on the launch rota; see the linked runbook for details.",
            "evidence": ["docs/support/runbook.md"],
            "question_version": "1.0.0",
            "answered_by": "Dana Lee",
            "answered_at": "2026-11-18T09:40:00Z",
        }
    return credit, {
        "id": f"{pb}/q{i}",
        "order": i,
        "question": f"Is part {i} of {pb} ready for the launch, with an owner and a tested process?",
        "expectation": "A named owner, a written process that was tried once end to end, and a date for the next review.",
        "version": "1.0.0",
        "weight": 1.0 + (i % 3),
        "critical": i == 1,
        "evidence_required": False,
        "line": 5 + 7 * i,
        "state": "answered" if status else "missing",
        "status": status,
        "credit": credit,
        "blocker": i == 1 and status != "met",
        "waived": False,
        "answer": answer,
        "findings": [],
    }


LEVELS = ["beta", "launch", "scale"]
WITH_LEVELS = "--levels" in sys.argv


def levels_of(playbooks):
    """Each level's questions and open questions, and the level reached."""
    tally = [{"level": l, "questions": 0, "open": 0} for l in LEVELS]
    for pb in playbooks:
        for q in pb["questions"]:
            t = tally[q["order"] % 3]
            t["questions"] += 1
            t["open"] += q["status"] != "met"
    achieved = None
    for t in tally:
        if t["open"]:
            break
        achieved = t["level"]
    return tally, achieved


def version(name, v, n_questions, rng, trend, previous):
    per = n_questions // len(PLAYBOOKS)
    playbooks, total, weight, missing, blockers = [], 0.0, 0.0, 0, 0
    for pb in PLAYBOOKS:
        qs, got, w = [], 0.0, 0.0
        for i in range(1, per + 1):
            credit, q = question(pb, i, rng)
            qs.append(q)
            got += q["weight"] * credit
            w += q["weight"]
            missing += q["status"] is None
            blockers += q["blocker"]
        playbooks.append({
            "id": pb, "title": pb.replace("-", " ").capitalize(),
            "path": f"builtin/{pb}.md", "sha256": "0" * 64,
            "score": round(100 * got / w, 1), "answered": sum(q["status"] is not None for q in qs),
            "blockers": sum(q["blocker"] for q in qs), "questions": qs,
        })
        total += got
        weight += w
    score = round(100 * total / weight, 1)
    level = "blocked" if blockers else ("ready" if score >= 80 and not missing else "not-ready")
    day = 1 + 5 * v
    report = {
        "content_sha256": "0" * 64,
        "schema": "supportcheck.report/1",
        "scoring": 1,
        "report_version": v,
        "generated_at": f"2026-10-{day:02d}T10:00:00Z",
        "tool_version": "0.1.0",
        "product": name,
        "summary": {
            "score": score, "level": level, "questions": per * len(PLAYBOOKS),
            "answered": per * len(PLAYBOOKS) - missing, "missing": missing, "stale": 0,
            "blockers": blockers, "waived": 0, "expired_waivers": 0, "min_score": 80.0,
        },
        "gate": {"min_score": 80.0, "fail_on": ["missing", "blocker"], "warn_days": 14,
                 "failed": [], "passed": level == "ready"},
        "sections": [],
        "playbooks": playbooks,
        "orphaned": [],
        "trend": list(trend),
    }
    if previous:
        report["previous"] = previous
    if WITH_LEVELS:
        tally, achieved = levels_of(playbooks)
        report["levels"] = LEVELS
        report["summary"]["levels"] = tally
        if achieved:
            report["summary"]["achieved_level"] = achieved
    return report


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    no_index = "--no-index" in sys.argv
    out, products = args[0], int(args[1])
    versions = int(args[2]) if len(args) > 2 else 5
    n_questions = int(args[3]) if len(args) > 3 else 100
    for p in range(products):
        rng = random.Random(p)
        name = f"Product {p:05d}"
        root = os.path.join(out, f"p{p // 1000:02d}", f"product-{p:05d}")
        reports = os.path.join(root, "readiness", "reports")
        os.makedirs(reports, exist_ok=True)
        with open(os.path.join(root, "supportcheck.yaml"), "w") as f:
            f.write(f"product: {name}\n")
            if WITH_LEVELS:
                f.write(f"facts: {{stage: {'ga' if p % 4 else 'beta'}}}\n")
        trend, previous, index, prev_line = [], None, [], None
        for v in range(1, versions + 1):
            report = version(name, v, n_questions, rng, trend, previous)
            text = json.dumps(report, indent=2) + "\n"
            file = f"readiness-v{v}.json"
            with open(os.path.join(reports, file), "w") as f:
                f.write(text)
            digest = hashlib.sha256(text.encode()).hexdigest()
            s = report["summary"]
            line = json.dumps({
                "version": v, "generated_at": report["generated_at"],
                "schema": report["schema"], "scoring": 1, "product": name,
                "level": s["level"], "score": s["score"], "min_score": 80.0,
                "passed": report["gate"]["passed"], "questions": s["questions"],
                "answered": s["answered"], "missing": s["missing"],
                "blockers": s["blockers"], "expired_waivers": 0,
                "playbooks": [{"id": pb["id"], "title": pb["title"], "score": pb["score"]}
                              for pb in report["playbooks"]],
                "files": {file: digest},
                "previous": prev_line,
                **({"levels": s["levels"]} if WITH_LEVELS else {}),
                **({"achieved_level": s["achieved_level"]} if "achieved_level" in s else {}),
            }, separators=(",", ":"))
            index.append(line)
            prev_line = hashlib.sha256(line.encode()).hexdigest()
            trend.append({"report_version": v, "generated_at": report["generated_at"],
                          "score": s["score"], "level": s["level"]})
            previous = {"report_version": v, "sha256": digest}
        if not no_index:
            with open(os.path.join(reports, "index.jsonl"), "w") as f:
                f.write("\n".join(index) + "\n")


if __name__ == "__main__":
    main()
