//! Checks that the fast YAML path reads frontmatter exactly as serde-saphyr
//! does, or declines it.

use super::parse::{check_against_full_parser, front_via_saphyr};
use super::simple_yaml::*;

/// The fast path must take `yaml` and agree with serde-saphyr.
fn agrees(yaml: &str) {
    let fast = parse(yaml).unwrap_or_else(|| panic!("fast path declined:\n{yaml}"));
    let full = front_via_saphyr(yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    assert_eq!(fast, full, "\n{yaml}");
}

/// The fast path must decline `yaml`.
fn declines(yaml: &str) {
    assert!(parse(yaml).is_none(), "fast path took:\n{yaml}");
}

/// Whatever the fast path takes, serde-saphyr reads the same way.
fn consistent(yaml: &str) {
    if let Err(why) = check_against_full_parser(yaml) {
        panic!("{why}");
    }
}

#[test]
fn agrees_on_the_builtin_set() {
    for (rel, text) in crate::playbook::builtin::FILES {
        let split = crate::playbook::frontmatter::split(text).unwrap();
        let fast = parse(split.yaml).unwrap_or_else(|| panic!("declined {rel}"));
        assert_eq!(fast, front_via_saphyr(split.yaml).unwrap(), "{rel}");
    }
}

#[test]
fn agrees_on_the_shapes_seen_in_the_wild() {
    agrees(
        "title: \"Escalation\"\nmetaTitle: Escalation | Acme\nmetaDescription: 'It''s here'\nmetaTags:\n  - a\n  - b\npublished: true\nchecklist:\n  -\n    order: 1\n    question: Is there a path?\n    expectation: i.e. Welcome artifacts, Meetings...\n    Version: 1.0.0\n",
    );
    agrees(
        "Title: x\nchecklist:\n- order: 1\n  question: q\n  expectation: e\n  version: 1.0.0\n- order: 2\n  question: \"q2\"\n  expectation: 'e2'\n  version: 1.0.0\n  tags: [a, b-c, 3]\n  weight: 2\n  critical: false\n",
    );
    agrees(
        "title: x\r\nchecklist:\r\n  - order: 1\r\n    question: q\r\n\r\n    # a comment\r\n    expectation: e\r\n    version: 1.0.0\r\n    criteria:\r\n      - id: a\r\n        text: b\r\n      - plain words\r\n    tags:\r\n    - x\r\n    extra:\r\n      nested: map\r\n    nothing:\r\n",
    );
    agrees("checklist:\n");
    agrees("checklist:\n  key: value\n");
    agrees("checklist: text\n");
    agrees("checklist: 12\n");
    agrees("checklist: true\n");
    agrees("title: x\n");
    agrees("id: 42\ntitle: 1.2.3\nsummary: null\n");
    agrees("title: \"\"\nid: ''\n");
    agrees("title: Café — “quoted”\nchecklist:\n  -   order: 1\n      question: ¿Qué?\n");
    agrees("title: yes\n");
    agrees("title: y\nsummary: No\nchecklist:\n  - question: yes\n    expectation: On\n");
    agrees("title: a#b\nsummary: C# and F#\n");
    agrees("title: http://example.com/a?b=c\n");
    agrees("title: x\nchecklist:\n  - order: 1\n    tags: []\n");
    agrees("title: x\nchecklist:\n  -\n    order: 1\n  -\n\n    order: 2\n");
    agrees("title: x\nchecklist:\n  - order: 0\n  - order: 18446744073709551615\n");
}

#[test]
fn declines_what_it_does_not_understand() {
    for yaml in [
        "a: &x 1\nb: *x\n",
        "title: !!python/object/apply:os.system [\"touch pwned\"]\n",
        "title: |\n  block\n",
        "title: >\n  folded\n",
        "title: multi\n  line\n",
        "title: \"multi\n  line\"\n",
        "title: \"esc\\\"aped\"\n",
        "title: x # comment\n",
        "title: x\ntitle: y\n",
        "checklist:\n  - order: 1\n    order: 2\n",
        "title: {a: 1}\n",
        "title: [a, [b]]\n",
        "title: ~\n",
        "title: -1\n",
        "title: 1.5\n",
        "title: 0x10\n",
        "title: 010\n",
        "title: 2024-01-01\n",
        "title: .inf\n",
        "title: 99999999999999999999\n",
        "\"title\": x\n",
        "yes: x\n",
        "<<: {a: 1}\n",
        "title:\tx\n",
        "- a\n- b\n",
        "  title: x\n",
        "title: x\n  more: y\n",
        "checklist:\n-\n  order: 1\n",
        "checklist:\n  - - a\n",
        "checklist:\n  -\n  - a\n",
        "title: a: b\n",
        "title: x:\n",
        "title: \u{85}x\n",
        "title: a\u{2028}b\n",
        "title: \u{feff}x\n",
        "title: a\rb\n",
        "title: bell\u{7}\n",
        "title: x\n...\n",
    ] {
        declines(yaml);
        consistent(yaml);
    }
}

#[test]
fn deep_nesting_is_left_to_the_full_parser() {
    let mut yaml = String::new();
    for depth in 0..40 {
        yaml.push_str(&" ".repeat(depth * 2));
        yaml.push_str("a:\n");
    }
    declines(&yaml);
}

use proptest::prelude::*;

/// Lines from which random documents are made: valid and broken shapes.
const PIECES: &[&str] = &[
    "title: Escalation",
    "Title: x",
    "title: \"quoted\"",
    "title: 'single ''quoted'''",
    "id: escalation",
    "summary: text, with commas",
    "metaTags: [a, b]",
    "checklist:",
    "checklist: []",
    "  -",
    "  - order: 1",
    "- order: 2",
    "    order: 3",
    "    question: Is it? Yes.",
    "    question:",
    "    expectation: i.e. Welcome artifacts, Meetings...",
    "    Version: 1.0.0",
    "    version: 1.0",
    "    weight: 0",
    "    weight: heavy",
    "    critical: true",
    "    critical: yes",
    "    tags: [x, y]",
    "    tags:",
    "      - t",
    "    - t",
    "    criteria:",
    "      - id: c",
    "        text: words",
    "  key: value",
    "# comment",
    "    # indented comment",
    "",
    "   ",
    "      deeper: line",
    "  continuation words",
    "title: a # comment",
    "anchor: &a value",
    "alias: *a",
    "null:",
    "x: ~",
    "x: 007",
    "x: -3",
    "x: 1.5",
    "x: \"unclosed",
    "x: 'unclosed",
    "x: [a, b",
    "x: {a: 1}",
    "x: |",
    "  block text",
    "\"quoted key\": v",
    "- top level dash",
    "x: a: b",
    "x: tab\there",
    "...",
    "x: y\r",
];

/// Scalars the fast path reads, as they would be written after `key: `.
const VALUES: &[&str] = &[
    "plain words",
    "Is there a path? Yes, with commas, dots... and (parens)",
    "i.e. Welcome artifacts, Meetings...",
    "\"double quoted: with # and 'single'\"",
    "'single ''quoted'' # x'",
    "\"\"",
    "''",
    "1",
    "0",
    "42",
    "1.0.0",
    "2.10.3-beta.1",
    "true",
    "False",
    "null",
    "NULL",
    "yes",
    "No",
    "on",
    "y",
    "nan",
    "inf",
    "[]",
    "[a, b]",
    "[launch-blocker, 3, true]",
    "Café — “curly” ünïcode",
    "a:b http://x.y/z?q=1#frag",
    "C# & F* !bang %pct @at `tick`",
    "ends with a dot.",
];

const KEYS: &[&str] = &[
    "order",
    "question",
    "expectation",
    "version",
    "Version",
    "id",
    "weight",
    "critical",
    "tags",
    "criteria",
    "evidence",
    "metaTitle",
    "x-extra",
];

/// A document in the fast path's subset, from random choices.
fn document(choices: &[(usize, usize, usize)]) -> String {
    let mut out = String::from("title: T\n");
    let mut item = 0;
    out.push_str("checklist:\n");
    let style = choices.first().map_or(0, |c| c.0 % 3);
    for &(a, b, c) in choices {
        // a new item every few entries
        if item == 0 || a % 4 == 0 {
            item += 1;
            match style {
                0 => out.push_str("  -\n    item: 1\n"),
                1 => out.push_str("  - item: 1\n"),
                _ => out.push_str("- item: 1\n"),
            }
        }
        let pad = match style {
            0 | 1 => "    ",
            _ => "  ",
        };
        let key = KEYS[b % KEYS.len()];
        match c % 9 {
            0 => out.push_str(&format!("{pad}{key}:\n")),
            1 => out.push_str(&format!(
                "{pad}{key}:\n{pad}  - {}\n{pad}  - {}\n",
                VALUES[a % VALUES.len()],
                VALUES[b % VALUES.len()]
            )),
            2 => out.push_str(&format!(
                "{pad}{key}:\n{pad}- id: c{a}\n{pad}  text: {}\n",
                VALUES[c % VALUES.len()]
            )),
            3 => out.push_str(&format!(
                "{pad}{key}:\n{pad}  inner: {}\n",
                VALUES[a % VALUES.len()]
            )),
            4 => out.push_str("\n   \n# comment\n"),
            _ => out.push_str(&format!("{pad}{key}: {}\n", VALUES[(a + c) % VALUES.len()])),
        }
        // keys may not repeat on one item: start a new one instead
        if out.matches(&format!("\n{pad}{key}:")).count() > 1 {
            return out[..out.rfind(&format!("\n{pad}{key}:")).unwrap() + 1].to_string();
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn reads_its_subset_exactly_as_serde_saphyr(
        choices in proptest::collection::vec((0..100usize, 0..100usize, 0..100usize), 1..12),
        crlf in any::<bool>(),
    ) {
        let mut yaml = document(&choices);
        if crlf {
            yaml = yaml.replace('\n', "\r\n");
        }
        agrees(&yaml);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn never_disagrees_with_serde_saphyr(
        picks in proptest::collection::vec(0..PIECES.len(), 1..14),
    ) {
        let yaml: String = picks.iter().map(|&i| format!("{}\n", PIECES[i])).collect();
        consistent(&yaml);
    }
}
