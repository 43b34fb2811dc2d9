//! Three-way merge of answers files, question by question: the pure core of
//! `supportcheck merge-answers`, the git merge driver.
//!
//! For each question id: when both sides agree, or only one side changed it
//! from the common ancestor, that side wins; when both changed it
//! differently, the merged text keeps both between conflict markers, which
//! every command then reports as an unresolved merge conflict on that id.

use super::{Answer, AnswersFile, write};
use crate::diagnostic::Finding;
use std::collections::{BTreeMap, BTreeSet};

/// The outcome of a merge.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The merged answers; for a conflicting question, ours.
    pub file: AnswersFile,
    /// Questions both sides changed differently: (id, ours, theirs).
    pub conflicts: Vec<(String, Answer, Answer)>,
    /// Top-level keys (`product`, unknown keys) both sides changed
    /// differently: ours is kept; the message names theirs.
    pub header_conflicts: Vec<String>,
}

/// Merges `ours` and `theirs`, both descended from `base`.
pub fn merge(base: &AnswersFile, ours: &AnswersFile, theirs: &AnswersFile) -> Merged {
    let empty = Answer::default();
    // Line numbers say where, not what: compare without them. An absent
    // entry and an empty one say the same.
    let get = |f: &AnswersFile, id: &str| -> Answer {
        let mut a = f.answers.get(id).unwrap_or(&empty).clone();
        a.line = 0;
        a
    };
    let ids: BTreeSet<&String> = base
        .answers
        .keys()
        .chain(ours.answers.keys())
        .chain(theirs.answers.keys())
        .collect();
    let mut file = AnswersFile {
        format: ours.format,
        product: pick(&base.product, &ours.product, &theirs.product).clone(),
        answers: BTreeMap::new(),
        extra: BTreeMap::new(),
        schema_hint: pick(&base.schema_hint, &ours.schema_hint, &theirs.schema_hint).clone(),
    };
    let extra_keys: BTreeSet<&String> = base
        .extra
        .keys()
        .chain(ours.extra.keys())
        .chain(theirs.extra.keys())
        .collect();
    for key in extra_keys {
        let side = |f: &AnswersFile| f.extra.get(key).cloned();
        if let Some(v) = pick(&side(base), &side(ours), &side(theirs)) {
            file.extra.insert(key.clone(), v.clone());
        }
    }
    let mut header_conflicts = Vec::new();
    if both_changed(&base.product, &ours.product, &theirs.product) {
        header_conflicts.push(format!(
            "`product` (kept ours; theirs was {:?})",
            theirs.product.as_deref().unwrap_or("")
        ));
    }
    for key in theirs.extra.keys() {
        let side = |f: &AnswersFile| f.extra.get(key).cloned();
        if both_changed(&side(base), &side(ours), &side(theirs)) {
            header_conflicts.push(format!(
                "`{key}` (kept ours; theirs was {})",
                side(theirs).unwrap_or_default()
            ));
        }
    }
    let mut conflicts = Vec::new();
    for id in ids {
        let (o, a, b) = (get(base, id), get(ours, id), get(theirs, id));
        let chosen = if a == b || b == o {
            a
        } else if a == o {
            b
        } else {
            conflicts.push((id.clone(), a.clone(), b));
            a
        };
        if !chosen.is_empty() {
            let line = ours.answers.get(id).map_or(0, |x| x.line);
            file.answers.insert(id.clone(), Answer { line, ..chosen });
        }
    }
    Merged {
        file,
        conflicts,
        header_conflicts,
    }
}

fn both_changed<T: PartialEq>(base: &T, ours: &T, theirs: &T) -> bool {
    ours != base && theirs != base && ours != theirs
}

/// The three-way rule for one value: the side that changed it, else ours.
fn pick<'a, T: PartialEq>(base: &'a T, ours: &'a T, theirs: &'a T) -> &'a T {
    if ours == base { theirs } else { ours }
}

/// Keys in ours' order; a key only theirs has follows the key it followed
/// in theirs.
fn order(ours: &[String], theirs: &[String]) -> Vec<String> {
    let in_ours: BTreeSet<&String> = ours.iter().collect();
    let mut after: BTreeMap<Option<&String>, Vec<String>> = BTreeMap::new();
    let mut previous: Option<&String> = None;
    for key in theirs {
        if in_ours.contains(key) {
            previous = Some(key);
        } else {
            after.entry(previous).or_default().push(key.clone());
        }
    }
    let mut out = after.remove(&None).unwrap_or_default();
    for key in ours {
        out.push(key.clone());
        out.extend(after.remove(&Some(key)).into_iter().flatten());
    }
    out
}

/// Merges three answers-file texts. The text comes back with every
/// conflicting question written twice between `<<<<<<< ours` and
/// `>>>>>>> theirs`, and what conflicted (those questions, then top-level
/// keys both sides changed, where ours is kept); an error when a side
/// cannot be read.
pub fn merge_texts(
    base: &str,
    ours: &str,
    theirs: &str,
    path: &str,
) -> Result<(String, Vec<String>), Vec<Finding>> {
    let read = |text: &str, side: &str| {
        let (file, findings) = super::parse(text, &format!("{path} ({side})"));
        let errors: Vec<Finding> = findings.into_iter().filter(Finding::is_error).collect();
        if errors.is_empty() {
            Ok(file)
        } else {
            Err(errors)
        }
    };
    let (base, ours_file, theirs_file) = (
        read(base, "base")?,
        read(ours, "ours")?,
        read(theirs, "theirs")?,
    );
    let merged = merge(&base, &ours_file, &theirs_file);
    let mut keys = order(&super::keys(ours), &super::keys(theirs));
    // Keys the texts hold but the key scan missed (it reads only a
    // well-formed `answers` mapping) still get written.
    let listed: BTreeSet<String> = keys.iter().cloned().collect();
    keys.extend(
        merged
            .file
            .answers
            .keys()
            .filter(|k| !listed.contains(*k))
            .cloned(),
    );
    let theirs_of: BTreeMap<String, Answer> = merged
        .conflicts
        .iter()
        .map(|(id, _, b)| (id.clone(), b.clone()))
        .collect();
    let text = write::to_yaml_merged(&merged.file, &keys, &theirs_of);
    let ids = merged
        .conflicts
        .into_iter()
        .map(|(id, _, _)| format!("`{id}`"))
        .chain(merged.header_conflicts)
        .collect();
    Ok((text, ids))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{Status, parse};

    fn file(text: &str) -> AnswersFile {
        let (f, findings) = parse(text, "a.yaml");
        assert!(findings.iter().all(|f| !f.is_error()), "{findings:?}");
        f
    }

    const BASE: &str = "format: 1\nanswers:\n  p/q1:\n  p/q2:\n  p/q3:\n    status: met\n";

    #[test]
    fn different_questions_from_both_sides_are_all_kept() {
        let ours =
            "format: 1\nanswers:\n  p/q1:\n    status: met\n  p/q2:\n  p/q3:\n    status: met\n";
        let theirs =
            "format: 1\nanswers:\n  p/q1:\n  p/q2:\n    status: unmet\n  p/q3:\n    status: met\n";
        let m = merge(&file(BASE), &file(ours), &file(theirs));
        assert!(m.conflicts.is_empty());
        assert_eq!(m.file.answers["p/q1"].status, Some(Status::Met));
        assert_eq!(m.file.answers["p/q2"].status, Some(Status::Unmet));
        let (text, ids) = merge_texts(BASE, ours, theirs, "a.yaml").unwrap();
        assert!(ids.is_empty());
        assert!(
            text.ends_with("answers:\n  p/q1:\n    status: met\n  p/q2:\n    status: unmet\n  p/q3:\n    status: met\n"),
            "{text}"
        );
    }

    #[test]
    fn one_question_changed_on_both_sides_is_a_conflict_in_the_text() {
        let ours = "format: 1\nanswers:\n  p/q3:\n    status: partial\n";
        let theirs = "format: 1\nanswers:\n  p/q3:\n    status: unmet\n  p/q4:\n    status: met\n";
        let (text, ids) = merge_texts(BASE, ours, theirs, "a.yaml").unwrap();
        assert_eq!(ids, ["`p/q3`"]);
        assert!(text.contains("<<<<<<< ours\n  p/q3:\n    status: partial\n=======\n  p/q3:\n    status: unmet\n>>>>>>> theirs\n"), "{text}");
        assert!(text.contains("  p/q4:\n    status: met\n"), "{text}");
        let (_, findings) = parse(&text, "a.yaml");
        assert!(
            findings[0]
                .message
                .contains("unresolved merge conflict on `p/q3`"),
            "{findings:?}"
        );
    }

    #[test]
    fn a_side_that_changed_nothing_takes_the_other_sides_removal() {
        let ours = "format: 1\nanswers:\n  p/q1:\n  p/q2:\n";
        let m = merge(&file(BASE), &file(ours), &file(BASE));
        assert!(m.conflicts.is_empty());
        assert!(!m.file.answers.contains_key("p/q3"));
    }

    #[test]
    fn a_product_renamed_on_both_sides_keeps_ours_and_says_what_theirs_was() {
        let base = "format: 1\nproduct: A\nanswers:\n";
        let (text, what) = merge_texts(
            base,
            "format: 1\nproduct: B\nanswers:\n",
            "format: 1\nproduct: C\nanswers:\n",
            "a.yaml",
        )
        .unwrap();
        assert!(text.contains("product: B\n"), "{text}");
        assert_eq!(what, ["`product` (kept ours; theirs was \"C\")"]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, failure_persistence: None, ..Default::default() })]
        /// Each question is changed by one side at most (0 none, 1 ours,
        /// 2 theirs, 3 both the same way): the merge keeps every change,
        /// has no conflict, and its text reads back as that merge, whatever
        /// the base held.
        #[test]
        fn changes_to_different_questions_all_survive_the_merge(
            plan in proptest::collection::vec((0u8..4, proptest::option::of(0u8..3)), 1..30)
        ) {
            let statuses = ["met", "partial", "unmet"];
            let mut base = String::from("format: 1\nanswers:\n");
            let (mut ours, mut theirs) = (base.clone(), base.clone());
            let mut expected = Vec::new();
            for (i, (who, before)) in plan.iter().enumerate() {
                let key = format!("  p/q{i}:\n");
                let old = before.map(|b| format!("    status: {}\n", statuses[usize::from(b)]));
                let new = format!("    status: {}\n    note: changed {i}\n", statuses[i % 3]);
                let entry = |body: Option<&String>| format!("{key}{}", body.map_or("", |b| b.as_str()));
                base.push_str(&entry(old.as_ref()));
                ours.push_str(&entry(if matches!(who, 1 | 3) { Some(&new) } else { old.as_ref() }));
                theirs.push_str(&entry(if matches!(who, 2 | 3) { Some(&new) } else { old.as_ref() }));
                expected.push((format!("p/q{i}"), if *who > 0 { Some(new) } else { old }));
            }
            let (text, conflicts) = merge_texts(&base, &ours, &theirs, "a.yaml").unwrap();
            proptest::prop_assert!(conflicts.is_empty(), "{conflicts:?}");
            let (file, findings) = crate::answers::parse(&text, "a.yaml");
            proptest::prop_assert!(findings.is_empty(), "{findings:?}\n{text}");
            for (id, body) in expected {
                let got = file.get(&id).and_then(|a| a.status).map(|s| s.to_string());
                let want = body.map(|b| b.lines().next().unwrap().trim_start_matches("    status: ").to_string());
                proptest::prop_assert_eq!(got, want, "{}\n{}", id, text);
                let note = file.get(&id).and_then(|a| a.note.clone());
                let changed = note.is_some_and(|n| n == format!("changed {}", &id[3..]));
                proptest::prop_assert_eq!(changed, plan[id[3..].parse::<usize>().unwrap()].0 > 0);
            }
        }
    }
}
