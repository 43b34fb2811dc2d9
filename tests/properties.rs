//! Scoring invariants on random playbooks and answers, end to end: playbook
//! *files* and answers *text* are generated (with the quirks found in real
//! sets), parsed the way the tool parses them, scored, and rendered. The
//! score must match the formula in docs/scoring.md computed here independently, and
//! every output must show the same number.
// Tests are shell.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::print_stdout,
    clippy::print_stderr
)]

use chrono::NaiveDate;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use supportcheck::answers;
use supportcheck::config::Gate;
use supportcheck::playbook::Set;
use supportcheck::playbook::parse::{FileInfo, Parsed, parse};
use supportcheck::render;
use supportcheck::report::{self, Inputs};
use supportcheck::score::{self, Context, Level};

const TODAY: &str = "2026-11-23";

/// A generated checklist item.
#[derive(Debug, Clone)]
struct Item {
    order: u64,
    major: u64,
    weight: Option<f64>,
    critical: bool,
    /// 0 = no criteria; as plain strings or as `{id, text}` maps.
    criteria: usize,
    criteria_as_maps: bool,
    evidence_required: bool,
    text: String,
    /// Write the `version` key as `Version` (a real-world quirk: a warning).
    miscased_version: bool,
    /// 0: no condition; 1: `applies_if: alpha` (true); 2: `applies_if: not
    /// alpha` (false: skipped, rules 2).
    condition: u8,
}

/// A generated answer to one item.
#[derive(Debug, Clone)]
enum Reply {
    None,
    Met {
        evidence: bool,
    },
    Partial,
    Unmet,
    NotApplicable {
        note: bool,
    },
    /// Criteria judged met, by index (only for items with criteria).
    Criteria(Vec<bool>, bool),
}

#[derive(Debug, Clone)]
struct Answer {
    reply: Reply,
    /// Major version the answer was given against (differs ⇒ stale).
    major: u64,
    /// Waiver expiring this many days from today.
    waiver: Option<i64>,
    /// `answered_at` is this many days before today.
    days_ago: i64,
}

#[derive(Debug, Clone)]
struct Book {
    second_section: bool,
    crlf: bool,
    bom: bool,
    extra_keys: bool,
    items: Vec<(Item, Answer)>,
}

const TEXTS: &[&str] = &[
    "Is the help desk live?",
    "Do agents know: who owns escalations?",
    "Is there a \"welcome\" macro, i.e. a first reply?",
    "# of channels",
    "Über-support — ready? ✓",
    "yes",
    "Are refunds < 5 days & > 0?",
    "- dash first",
    "'single quotes'",
];

fn arb_item() -> impl Strategy<Value = Item> {
    (
        1..4u64,
        prop::option::of(prop::sample::select(vec![0.5, 1.0, 2.0, 3.0, 10.0])),
        prop::bool::weighted(0.3),
        prop::sample::select(vec![0usize, 0, 0, 1, 2, 3, 5]),
        any::<bool>(),
        prop::bool::weighted(0.3),
        prop::sample::select(TEXTS.to_vec()),
        prop::bool::weighted(0.1),
        prop::sample::select(vec![0u8, 0, 0, 1, 2]),
    )
        .prop_map(
            |(major, weight, critical, criteria, maps, evidence, text, miscased, condition)| Item {
                order: 0,
                major,
                weight,
                critical,
                criteria,
                criteria_as_maps: maps,
                evidence_required: evidence,
                text: text.to_string(),
                miscased_version: miscased,
                condition,
            },
        )
}

fn arb_answer() -> impl Strategy<Value = Answer> {
    let reply = prop_oneof![
        2 => Just(Reply::None),
        3 => any::<bool>().prop_map(|evidence| Reply::Met { evidence }),
        2 => Just(Reply::Partial),
        2 => Just(Reply::Unmet),
        1 => any::<bool>().prop_map(|note| Reply::NotApplicable { note }),
        3 => (prop::collection::vec(any::<bool>(), 5), any::<bool>())
            .prop_map(|(met, evidence)| Reply::Criteria(met, evidence)),
    ];
    (
        reply,
        prop::bool::weighted(0.85),
        prop::option::weighted(0.2, -20i64..40),
        0i64..200,
    )
        .prop_map(|(reply, same_major, waiver, days_ago)| Answer {
            reply,
            major: if same_major { 0 } else { 9 },
            waiver,
            days_ago,
        })
}

fn arb_book() -> impl Strategy<Value = Book> {
    (
        prop::collection::vec((arb_item(), arb_answer()), 1..7),
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.3),
        // Orders: distinct, in any sequence.
        Just((1..=40).collect::<Vec<u64>>()).prop_shuffle(),
    )
        .prop_map(|(mut items, second, crlf, bom, extra, orders)| {
            for ((item, answer), order) in items.iter_mut().zip(orders) {
                item.order = order;
                // An answer "against the same major" means the item's own.
                if answer.major == 0 {
                    answer.major = item.major;
                }
                // Criteria replies only where there are criteria, and the
                // other way round, so the oracle stays simple.
                match (&answer.reply, item.criteria) {
                    (Reply::Criteria(..), 0) => answer.reply = Reply::Partial,
                    (Reply::Criteria(..), _) | (Reply::None, _) => {}
                    (Reply::NotApplicable { .. }, _) => {}
                    (_, n) if n > 0 => {
                        answer.reply = Reply::Criteria(vec![true; 5], true);
                    }
                    _ => {}
                }
            }
            Book {
                second_section: second,
                crlf,
                bom,
                extra_keys: extra,
                items,
            }
        })
}

fn section_of(book: &Book) -> &'static str {
    if book.second_section { "2-b" } else { "1-a" }
}

/// JSON string syntax is YAML double-quoted syntax.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn playbook_text(id: &str, book: &Book) -> String {
    let mut out = String::new();
    out.push_str(if book.extra_keys { "---  \n" } else { "---\n" });
    out.push_str(&format!(
        "id: {id}\ntitle: {}\n",
        quoted(&format!("Book {id}"))
    ));
    if book.extra_keys {
        out.push_str("metaTitle: Something\nmetaTags: [a, b]\npublished: true\n");
    }
    out.push_str("checklist:\n");
    for (item, _) in &book.items {
        out.push_str(&format!("  - order: {}\n", item.order));
        out.push_str(&format!("    question: {}\n", quoted(&item.text)));
        out.push_str("    expectation: |\n      A long prose answer.\n      Over two lines.\n");
        let key = if item.miscased_version {
            "Version"
        } else {
            "version"
        };
        out.push_str(&format!("    {key}: {}.0.0\n", item.major));
        if let Some(w) = item.weight {
            out.push_str(&format!("    weight: {w}\n"));
        }
        if item.critical {
            out.push_str("    critical: true\n");
        }
        if item.evidence_required {
            out.push_str("    evidence: required\n");
        }
        match item.condition {
            1 => out.push_str("    applies_if: alpha\n"),
            2 => out.push_str("    applies_if: not alpha\n"),
            _ => {}
        }
        if item.criteria > 0 {
            out.push_str("    criteria:\n");
            for c in 0..item.criteria {
                if item.criteria_as_maps {
                    out.push_str(&format!("      - {{id: c{c}, text: \"Part {c}\"}}\n"));
                } else {
                    out.push_str(&format!("      - Part number {c} of it\n"));
                }
            }
        }
    }
    out.push_str("---\n# Title\n\n## Why\nBecause.\n\n## How\n1. Do it.\n");
    if book.crlf {
        out = out.replace('\n', "\r\n");
    }
    if book.bom {
        out.insert(0, '\u{feff}');
    }
    out
}

/// The question id within its playbook.
fn local_id(item: &Item) -> String {
    format!("q{}", item.order)
}

/// Criterion id as the tool derives it (for plain strings: from the text).
fn criterion_ids(set: &Set, full_id: &str) -> Vec<String> {
    let (_, q) = set.find(full_id).unwrap();
    q.criteria.iter().map(|c| c.id.clone()).collect()
}

fn answers_text(books: &[Book], set: &Set, today: NaiveDate) -> String {
    let mut out = String::from("format: 1\nanswers:\n");
    for (i, book) in books.iter().enumerate() {
        for (item, answer) in &book.items {
            let id = format!("p{i}/{}", local_id(item));
            let mut fields: Vec<String> = Vec::new();
            match &answer.reply {
                Reply::None => continue,
                Reply::Met { evidence } => {
                    fields.push("status: met".into());
                    if *evidence {
                        fields.push("evidence: [\"https://x.test/proof\"]".into());
                    }
                }
                Reply::Partial => fields.push("status: partial".into()),
                Reply::Unmet => fields.push("status: not-met".into()),
                Reply::NotApplicable { note } => {
                    fields.push("status: not-applicable".into());
                    if *note {
                        fields.push("note: \"We do not offer this\"".into());
                    }
                }
                Reply::Criteria(met, evidence) => {
                    let ids = criterion_ids(set, &id);
                    let chosen: Vec<String> = ids
                        .iter()
                        .zip(met)
                        .filter(|(_, m)| **m)
                        .map(|(c, _)| quoted(c))
                        .collect();
                    fields.push("status: partial".into());
                    fields.push(format!("criteria_met: [{}]", chosen.join(", ")));
                    if *evidence {
                        fields.push("evidence: [\"https://x.test/proof\"]".into());
                    }
                }
            }
            fields.push(format!("question_version: {}.0.0", answer.major));
            let day = today - chrono::Duration::days(answer.days_ago);
            fields.push(format!("answered_at: {day}T12:00:00Z"));
            if let Some(days) = answer.waiver {
                let expires = today + chrono::Duration::days(days);
                fields.push(format!("waiver: {{reason: accepted, expires: {expires}}}"));
            }
            out.push_str(&format!("  {}: {{{}}}\n", quoted(&id), fields.join(", ")));
        }
    }
    out
}

/// What docs/scoring.md says one question earns: `(credit or None when not
/// applicable, counts as missing or stale, scored status is met)`.
/// Under rules 2, with a `max_age` of `max_days` days when given.
fn expected(item: &Item, answer: &Answer, max_days: Option<i64>) -> (Option<f64>, bool, bool) {
    if item.condition == 2 {
        return (None, false, false); // not applicable by condition
    }
    if matches!(answer.reply, Reply::None) {
        return (Some(0.0), true, false);
    }
    if max_days.is_some_and(|d| answer.days_ago > d) {
        return (Some(0.0), true, false); // expired: counts as unanswered
    }
    if answer.major != item.major {
        return (Some(0.0), true, false); // stale: counts as unanswered
    }
    let half = |n: usize| {
        if n == 0 {
            0.5
        } else {
            f64::max(0.5, (n as f64 - 1.0) / n as f64)
        }
    };
    match &answer.reply {
        Reply::None => unreachable!(),
        // Rules 3: a critical one needs an approved waiver (none here has an
        // approver), else it counts as not met.
        Reply::NotApplicable { note: true } if item.critical => (Some(0.0), false, false),
        Reply::NotApplicable { note: true } => (None, false, false),
        Reply::NotApplicable { note: false } => (Some(0.0), true, false),
        Reply::Met { evidence } if item.evidence_required && !evidence => {
            (Some(half(0)), false, false)
        }
        Reply::Met { .. } => (Some(1.0), false, true),
        Reply::Partial => (Some(0.5), false, false),
        Reply::Unmet => (Some(0.0), false, false),
        Reply::Criteria(met, evidence) => {
            let n = item.criteria;
            let k = met.iter().take(n).filter(|m| **m).count();
            if k == n && item.evidence_required && !evidence {
                (Some(half(n)), false, false)
            } else {
                (Some(k as f64 / n as f64), false, k == n)
            }
        }
    }
}

fn weighted(terms: &[(f64, Option<f64>)], empty: f64) -> f64 {
    let (num, den) = terms
        .iter()
        .filter_map(|(w, c)| c.map(|c| (w * c, *w)))
        .fold((0.0, 0.0), |(n, d), (a, b)| (n + a, d + b));
    if den == 0.0 { empty } else { 100.0 * num / den }
}

fn close(a: f64, b: f64) -> bool {
    // Scores are rounded to 0.1; a different summation order may tip a tie.
    (a - b).abs() <= 0.1 + 1e-9
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_playbooks_score_by_the_formula_in_every_output(
        mut books in prop::collection::vec(arb_book(), 1..5),
        min_score in prop::sample::select(vec![0.0, 50.0, 80.0, 100.0]),
        max_days in prop::option::of(prop::sample::select(vec![30i64, 90])),
    ) {
        // Files list items in any order; the tool orders them by `order`.
        let texts: Vec<String> = books
            .iter()
            .enumerate()
            .map(|(i, book)| playbook_text(&format!("p{i}"), book))
            .collect();
        for book in &mut books {
            book.items.sort_by_key(|(item, _)| item.order);
        }
        let today = NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();

        // Load: every generated file is a playbook with every generated item.
        let mut set = Set::default();
        for (i, book) in books.iter().enumerate() {
            let section = section_of(book);
            let info = FileInfo {
                path: format!("checklists/{section}/p{i}.md"),
                section: Some(section.into()),
                stem: format!("p{i}"),
            };
            let text = &texts[i];
            match parse(text.clone().into_bytes(), &info) {
                Parsed::Playbook(pb, findings) => {
                    prop_assert!(findings.iter().all(|f| !f.is_error()), "{findings:?}\n{text}");
                    let miscased = book.items.iter().filter(|(it, _)| it.miscased_version).count();
                    let key_case = findings.iter().filter(|f| f.code.as_str() == "key-case").count();
                    prop_assert_eq!(key_case, miscased, "{:?}", findings);
                    prop_assert_eq!(pb.questions.len(), book.items.len());
                    for (q, (item, _)) in pb.questions.iter().zip(&book.items) {
                        prop_assert_eq!(q.order, item.order);
                        prop_assert_eq!(&q.question, &item.text);
                        prop_assert_eq!(q.version.major, item.major);
                        prop_assert_eq!(q.weight, item.weight.unwrap_or(1.0));
                        prop_assert_eq!(q.critical, item.critical);
                        prop_assert_eq!(q.criteria.len(), item.criteria);
                        prop_assert_eq!(q.evidence_required, item.evidence_required);
                    }
                    set.playbooks.push(*pb);
                }
                Parsed::NotAPlaybook { why, .. } => prop_assert!(false, "not a playbook: {why}\n{text}"),
                Parsed::Broken(f) => prop_assert!(false, "broken: {f:?}\n{text}"),
            }
        }

        // Answers: written as text, read the way the tool reads them.
        let text = answers_text(&books, &set, today);
        let (file, findings) = answers::parse(&text, "answers.yaml");
        prop_assert!(findings.iter().all(|f| !f.is_error()), "{findings:?}\n{text}");

        let max_age = max_days.map(|d| supportcheck::duration::Duration::parse(&format!("{d}d")).unwrap());
        let gate = Gate { min_score, max_age, ..Gate::default() };
        let facts: BTreeMap<String, supportcheck::config::FactValue> =
            [("alpha".to_string(), supportcheck::config::FactValue::Bool(true))].into();
        let none = BTreeSet::new();
        let scores = score::score(&set, &file, &Context {
            today,
            now: today.and_hms_opt(12, 0, 0).unwrap().and_utc(),
            gate: &gate,
            owners: &Default::default(),
            missing_evidence: &none,
            answers_path: "answers.yaml",
            facts: &facts,
            probes: &supportcheck::probe::NO_RESULTS,
        });

        // The oracle: docs/scoring.md, item by item.
        let mut all = Vec::new();
        let mut per_book: Vec<Vec<(f64, Option<f64>)>> = Vec::new();
        let mut per_section: BTreeMap<&str, Vec<(f64, Option<f64>)>> = BTreeMap::new();
        let (mut missing, mut blockers) = (0, 0);
        // Coverage: applicable questions answered other than not-applicable.
        let (mut applicable, mut assessed) = (0usize, 0usize);
        let mut qs = scores.questions.iter();
        for book in &books {
            let mut terms = Vec::new();
            for (item, answer) in &book.items {
                let (credit, unanswered, met) = expected(item, answer, max_days);
                let got = qs.next().unwrap();
                let w = item.weight.unwrap_or(1.0);
                match (credit, got.credit) {
                    (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-9, "{}: {a} vs {b}", got.id),
                    (a, b) => prop_assert_eq!(a, b, "{}", got.id),
                }
                let waived = answer.waiver.is_some_and(|d| d >= 0) && !matches!(answer.reply, Reply::None);
                prop_assert_eq!(got.state == score::State::Skipped, item.condition == 2, "{}", got.id);
                let answered_na = !unanswered && matches!(answer.reply, Reply::NotApplicable { .. });
                let na_unapproved = item.critical && answered_na;
                let blocker = item.critical && credit.is_some() && !met && (!waived || na_unapproved);
                if item.condition != 2 {
                    applicable += 1;
                    assessed += usize::from(!unanswered && !answered_na);
                }
                prop_assert_eq!(got.blocker, blocker, "{}", got.id);
                missing += usize::from(unanswered);
                blockers += usize::from(blocker);
                terms.push((w, credit));
            }
            all.extend(terms.iter().copied());
            per_section.entry(section_of(book)).or_default().extend(terms.iter().copied());
            per_book.push(terms);
        }
        let overall = weighted(&all, 100.0);
        let m = &scores.summary;
        prop_assert!(close(m.score, overall), "overall {} vs {overall}", m.score);
        for (g, terms) in scores.playbooks.iter().zip(&per_book) {
            prop_assert!(close(g.score, weighted(terms, 100.0)), "{}: {}", g.id, g.score);
        }
        prop_assert_eq!(scores.sections.len(), per_section.len());
        for g in &scores.sections {
            let terms = &per_section[g.id.as_str()];
            prop_assert!(close(g.score, weighted(terms, 100.0)), "{}: {}", g.id, g.score);
        }
        prop_assert_eq!(m.missing + m.stale, missing);
        prop_assert_eq!(m.blockers, blockers);
        let coverage = if applicable == 0 { 0.0 } else { score::round1(100.0 * assessed as f64 / applicable as f64) };
        prop_assert!(close(m.coverage, coverage), "coverage {} vs {coverage}", m.coverage);
        let level = if blockers > 0 {
            Level::Blocked
        } else if m.score >= min_score && missing == 0 && coverage >= gate.min_coverage {
            Level::Ready
        } else {
            Level::NotReady
        };
        prop_assert_eq!(m.level, level);

        // Every output shows the one score and level.
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z").unwrap().to_utc();
        let r = report::build(Inputs {
            set: set.clone(), answers: file.clone(), scores: scores.clone(), gate: &gate, product: None, now, facts: &facts,
            owners: Default::default(), signoffs: Vec::new(),
        });
        let shown = render::pct(m.score);
        let json: serde_json::Value = serde_json::to_value(&r).unwrap();
        prop_assert_eq!(json["summary"]["score"].as_f64(), Some(m.score));
        prop_assert_eq!(json["scoring"].as_u64(), Some(3));
        // Every output renders the one verdict.
        let passed = r.gate.passed;
        prop_assert_eq!(passed, r.gate.failed.is_empty());
        let check_json: serde_json::Value = serde_json::from_str(&render::check::json(&r)).unwrap();
        prop_assert_eq!(check_json["passed"].as_bool(), Some(passed));
        let junit = render::junit::render(&r);
        prop_assert_eq!(junit.contains("<failure"), !passed, "{}", junit);
        let status: serde_json::Value = serde_json::from_str(&render::status::json(&r)).unwrap();
        prop_assert_eq!(status["summary"]["score"].as_f64(), Some(m.score));
        prop_assert_eq!(status["summary"]["level"].as_str(), Some(level.as_str()));
        let check: serde_json::Value = serde_json::from_str(&render::check::json(&r)).unwrap();
        prop_assert_eq!(check["summary"]["score"].as_f64(), Some(m.score));
        let md = render::markdown::report(&r);
        prop_assert!(md.contains(&shown), "markdown lacks {shown}");
        let html = render::html::render(&r, &Default::default()).unwrap();
        prop_assert!(html.contains(&shown), "html lacks {shown}");
    }
}
