//! The git merge driver's three-way merge of answers files: what ours
//! changed since the common ancestor is merged into theirs with the audit's
//! per-question merge ([`super::merge`]); a question both sides changed
//! differently is written twice between git's conflict markers.

use super::merge::{Merged, merge};
use super::{Answer, AnswersFile, write};
use crate::diagnostic::Finding;
use std::collections::{BTreeMap, BTreeSet};

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
    let (base_file, ours_file, theirs_file) = (
        read(base, "base")?,
        read(ours, "ours")?,
        read(theirs, "theirs")?,
    );
    // What ours changed since the ancestor; a removal is an empty answer.
    let ids: BTreeSet<&String> = base_file
        .answers
        .keys()
        .chain(ours_file.answers.keys())
        .collect();
    let changed: BTreeMap<String, Answer> = ids
        .into_iter()
        .filter_map(|id| {
            let (b, o) = (base_file.answers.get(id), ours_file.answers.get(id));
            (!same(b, o)).then(|| (id.clone(), o.cloned().unwrap_or_default()))
        })
        .collect();
    let Merged {
        mut file,
        conflicts,
    } = merge(&base_file, &theirs_file, &changed);
    file.answers.retain(|_, a| !a.is_empty());
    let mut what = Vec::new();
    let mut theirs_of = BTreeMap::new();
    for c in conflicts {
        what.push(format!("`{}`", c.id));
        theirs_of.insert(c.id.clone(), c.theirs.unwrap_or_default());
        file.answers.insert(c.id, c.ours);
    }
    header(&base_file, &ours_file, &mut file, &mut what);
    keep_our_comments(&ours_file.comments, &mut file.comments);
    let mut keys = order(&super::keys(ours), &super::keys(theirs));
    // Keys the texts hold but the key scan missed (it reads only a
    // well-formed `answers` mapping) still get written.
    let listed: BTreeSet<String> = keys.iter().cloned().collect();
    keys.extend(
        file.answers
            .keys()
            .filter(|k| !listed.contains(*k))
            .cloned(),
    );
    Ok((write::to_yaml_merged(&file, &keys, &theirs_of), what))
}

/// The top-level keys (`product`, unknown keys): `merge` took theirs; ours
/// wins where only ours changed it, and where both did (named in `what`).
fn header(base: &AnswersFile, ours: &AnswersFile, file: &mut AnswersFile, what: &mut Vec<String>) {
    if ours.product != base.product {
        if file.product != base.product && file.product != ours.product {
            what.push(format!(
                "`product` (kept ours; theirs was {:?})",
                file.product.as_deref().unwrap_or("")
            ));
        }
        file.product = ours.product.clone();
    }
    let keys: BTreeSet<String> = base
        .extra
        .keys()
        .chain(ours.extra.keys())
        .cloned()
        .collect();
    for key in keys {
        let (b, o) = (base.extra.get(&key), ours.extra.get(&key));
        if b == o {
            continue;
        }
        let t = file.extra.get(&key).cloned();
        if t.as_ref() != b && t.as_ref() != o {
            what.push(format!(
                "`{key}` (kept ours; theirs was {})",
                t.unwrap_or_default()
            ));
        }
        match o {
            Some(v) => file.extra.insert(key, v.clone()),
            None => file.extra.remove(&key),
        };
    }
}

/// `merge` took theirs' comments; every comment line ours has and theirs
/// lacks is added where ours had it, so nobody's comment is dropped.
fn keep_our_comments(ours: &super::Comments, into: &mut super::Comments) {
    let add = |from: &Vec<String>, to: &mut Vec<String>| {
        for line in from {
            if !to.contains(line) {
                to.push(line.clone());
            }
        }
    };
    for (map, into_map) in [
        (&ours.top, &mut into.top),
        (&ours.above, &mut into.above),
        (&ours.inside, &mut into.inside),
    ] {
        for (key, lines) in map {
            add(lines, into_map.entry(key.clone()).or_default());
        }
    }
    add(&ours.tail, &mut into.tail);
}

/// Equal apart from where in the file they were read; absent and empty alike.
fn same(a: Option<&Answer>, b: Option<&Answer>) -> bool {
    let norm = |x: Option<&Answer>| {
        let mut x = x.cloned().unwrap_or_default();
        x.line = 0;
        x
    };
    norm(a) == norm(b)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::parse;

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
        for (a, b) in [(ours, BASE), (BASE, ours)] {
            let (text, what) = merge_texts(BASE, a, b, "a.yaml").unwrap();
            assert!(what.is_empty());
            assert_eq!(file(&text).get("p/q3"), None, "{text}");
        }
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

    #[test]
    fn comments_from_both_sides_are_kept() {
        let ours = "format: 1\nanswers:\n  # ours says why\n  p/q1:\n    status: met\n  p/q2:\n  p/q3:\n    status: met\n";
        let theirs = "# theirs on top\nformat: 1\nanswers:\n  p/q1:\n  p/q2:\n    status: unmet  # theirs inside\n  p/q3:\n    status: met\n";
        let (text, what) = merge_texts(BASE, ours, theirs, "a.yaml").unwrap();
        assert!(what.is_empty());
        for comment in ["# ours says why", "# theirs on top", "# theirs inside"] {
            assert!(text.contains(comment), "{comment} lost:\n{text}");
        }
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
