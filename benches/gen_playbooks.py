#!/usr/bin/env python3
"""Generates a corpus of realistic playbooks for the lint benchmark.

Usage: gen_playbooks.py DIR [N]   (N defaults to 11,000; about 60 MB in all)

Each playbook has the frontmatter seen in the wild (title, metaTitle,
metaDescription, metaTags, published), 3-4 checklist items with prose
expectations, and a Markdown body with `## Why` and `## How` sections of
several paragraphs and lists. Files are spread over ten section folders,
each with an index page that has frontmatter but no checklist. The output
is deterministic for a given N.
"""

import os
import random
import sys

WORDS = (
    "support customer ticket agent escalation channel response time queue "
    "knowledge base article macro workflow satisfaction survey feedback product "
    "team lead manager on call incident status page outage refund policy tier "
    "handoff owner review metric dashboard weekly monthly launch readiness "
    "training onboarding playbook template chat email phone social community "
    "forum self-service search deflection backlog priority severity bug feature "
    "request roadmap release notes announcement documentation checklist audit "
    "evidence owner budget staffing forecast volume peak coverage holiday "
    "weekend timezone language localisation accessibility privacy consent"
).split()

SECTIONS = [
    "0-foundations", "1-reach", "2-resolve", "3-team", "4-improve",
    "5-scale", "6-optimize", "7-measure", "8-communicate", "9-govern",
]


def sentence(rng, lo=8, hi=22):
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng, lo=3, hi=6):
    return " ".join(sentence(rng) for _ in range(rng.randint(lo, hi)))


def yaml_text(s):
    # Double-quoted YAML scalar; the generated text has no quotes or backslashes.
    return '"' + s + '"'


def playbook(rng, n):
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 4))).title()
    lines = [
        "---",
        f"title: {yaml_text(title)}",
        f"metaTitle: {yaml_text(title + ' | Playbook')}",
        f"metaDescription: {yaml_text(sentence(rng, 15, 30))}",
        "metaTags:",
    ]
    for _ in range(rng.randint(2, 5)):
        lines.append(f"  - {rng.choice(WORDS)}")
    lines.append(f"published: {'true' if rng.random() < 0.9 else 'false'}")
    lines.append("checklist:")
    for order in range(1, rng.randint(3, 4) + 1):
        question = sentence(rng, 8, 16)[:-1] + "?"
        if rng.random() < 0.2:
            expectation = "i.e. " + ", ".join(
                rng.choice(WORDS).title() for _ in range(rng.randint(3, 6))
            ) + "..."
        else:
            expectation = paragraph(rng, 2, 4)
        lines += [
            "  -",
            f"    order: {order}",
            f"    question: {question}",
            f"    expectation: {expectation}",
            "    version: 1.0.0",
        ]
    lines.append("---")
    lines.append("## Why")
    lines.append("")
    for _ in range(rng.randint(3, 4)):
        lines.append(paragraph(rng))
        lines.append("")
    lines.append("## How")
    lines.append("")
    for _ in range(2):
        lines.append(paragraph(rng, 2, 3))
        lines.append("")
        for i in range(rng.randint(3, 6)):
            bullet = f"{i + 1}." if rng.random() < 0.5 else "-"
            lines.append(f"{bullet} {sentence(rng, 6, 18)}")
        lines.append("")
    lines.append(paragraph(rng, 1, 3))
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 11000
    rng = random.Random(42)
    total = 0
    for section in SECTIONS:
        folder = os.path.join(out, section)
        os.makedirs(folder, exist_ok=True)
        index = f"---\ntitle: {yaml_text(section)}\nmetaTitle: {yaml_text(section)}\n---\n{paragraph(rng)}\n"
        with open(os.path.join(folder, "index.md"), "w") as f:
            f.write(index)
    for n in range(count):
        section = SECTIONS[n % len(SECTIONS)]
        text = playbook(rng, n)
        total += len(text)
        path = os.path.join(out, section, f"{n // len(SECTIONS) + 1:02d}-playbook-{n}.md")
        with open(path, "w") as f:
            f.write(text)
    print(f"{count} playbooks, {total / 1e6:.1f} MB in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
