//! Merging what a writer changed with the answers file as it is on disk now,
//! per question, so that an edit made by hand meanwhile is never overwritten.

use super::{Answer, AnswersFile};
use std::collections::BTreeMap;

/// One question changed both here and on disk, differently: a person decides.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub id: String,
    /// The answer given here.
    pub ours: Answer,
    /// The answer on disk now; `None` when it was removed there.
    pub theirs: Option<Answer>,
}

/// The merged answers, with the conflicts still to decide. Until a conflict
/// is decided, the merged file holds the disk's side of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub file: AnswersFile,
    pub conflicts: Vec<Conflict>,
}

/// Merges per question. `base` is the file as this writer last read or wrote
/// it, `disk` the file as it is now, `changed` the answers this writer gave
/// since `base`, by question id.
///
/// Everything `changed` does not name comes from `disk`: other answers,
/// answers added or removed by hand, the product, unknown keys and comments.
/// A changed answer is taken when the disk still has the `base` version of
/// it (or already has ours); when the disk changed it too, it is a conflict.
pub fn merge(base: &AnswersFile, disk: &AnswersFile, changed: &BTreeMap<String, Answer>) -> Merged {
    let mut file = disk.clone();
    let mut conflicts = Vec::new();
    for (id, ours) in changed {
        let before = base.answers.get(id);
        let theirs = disk.answers.get(id);
        if same(theirs, before) || same(theirs, Some(ours)) {
            let mut ours = ours.clone();
            ours.line = theirs.map_or(0, |a| a.line);
            file.answers.insert(id.clone(), ours);
        } else {
            conflicts.push(Conflict {
                id: id.clone(),
                ours: ours.clone(),
                theirs: theirs.cloned(),
            });
        }
    }
    Merged { file, conflicts }
}

/// Settles a conflict in `file`: our answer, or the disk's as it is.
pub fn settle(file: &mut AnswersFile, conflict: &Conflict, keep_ours: bool) {
    if keep_ours {
        file.answers
            .insert(conflict.id.clone(), conflict.ours.clone());
    }
}

/// An answer in one line, for showing two sides of a conflict.
pub fn describe(answer: Option<&Answer>) -> String {
    let Some(a) = answer else {
        return "(removed)".into();
    };
    let mut out = a
        .status
        .map_or_else(|| "(no status)".to_string(), |s| s.to_string());
    if let Some(note) = &a.note {
        let first = note.lines().next().unwrap_or_default();
        out.push_str(&format!(" — note: {first}"));
    }
    if !a.evidence.is_empty() {
        out.push_str(&format!(" — evidence: {}", a.evidence.join(" ")));
    }
    out
}

/// Equal apart from where in the file they were read.
fn same(a: Option<&Answer>, b: Option<&Answer>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            Answer {
                line: 0,
                ..a.clone()
            } == Answer {
                line: 0,
                ..b.clone()
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::Status;

    fn answer(status: Status, note: &str) -> Answer {
        Answer {
            status: Some(status),
            note: Some(note.into()),
            ..Answer::default()
        }
    }

    fn file(entries: &[(&str, Answer)]) -> AnswersFile {
        let mut f = AnswersFile::default();
        for (id, a) in entries {
            f.answers.insert(id.to_string(), a.clone());
        }
        f
    }

    fn changed(entries: &[(&str, Answer)]) -> BTreeMap<String, Answer> {
        entries
            .iter()
            .map(|(id, a)| (id.to_string(), a.clone()))
            .collect()
    }

    #[test]
    fn an_outside_edit_to_another_question_is_kept_beside_ours() {
        let base = file(&[("a/q1", answer(Status::Unmet, "old"))]);
        let mut disk = base.clone();
        disk.answers
            .insert("a/q9".into(), answer(Status::Met, "by hand"));
        disk.product = Some("Acme".into());
        let ours = answer(Status::Met, "audit");
        let m = merge(&base, &disk, &changed(&[("a/q2", ours.clone())]));
        assert!(m.conflicts.is_empty());
        assert_eq!(m.file.answers["a/q9"].note.as_deref(), Some("by hand"));
        assert_eq!(m.file.answers["a/q2"], ours);
        assert_eq!(m.file.answers["a/q1"].note.as_deref(), Some("old"));
        assert_eq!(m.file.product.as_deref(), Some("Acme"));
    }

    #[test]
    fn an_answer_removed_by_hand_stays_removed_unless_we_changed_it() {
        let base = file(&[
            ("a/q1", answer(Status::Met, "x")),
            ("a/q2", answer(Status::Met, "y")),
        ]);
        let disk = file(&[("a/q2", answer(Status::Met, "y"))]);
        let m = merge(
            &base,
            &disk,
            &changed(&[("a/q2", answer(Status::Unmet, "z"))]),
        );
        assert!(m.conflicts.is_empty());
        assert!(!m.file.answers.contains_key("a/q1"));
        assert_eq!(m.file.answers["a/q2"].status, Some(Status::Unmet));

        let m = merge(
            &base,
            &disk,
            &changed(&[("a/q1", answer(Status::Unmet, "z"))]),
        );
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].theirs, None);
        assert!(
            !m.file.answers.contains_key("a/q1"),
            "undecided: the disk's side"
        );
    }

    #[test]
    fn the_same_question_changed_on_both_sides_is_a_conflict() {
        let base = file(&[("a/q1", answer(Status::Unmet, "old"))]);
        let disk = file(&[("a/q1", answer(Status::Partial, "by hand"))]);
        let ours = answer(Status::Met, "audit");
        let m = merge(&base, &disk, &changed(&[("a/q1", ours.clone())]));
        assert_eq!(
            m.conflicts,
            [Conflict {
                id: "a/q1".into(),
                ours: ours.clone(),
                theirs: Some(answer(Status::Partial, "by hand")),
            }]
        );
        assert_eq!(m.file.answers["a/q1"].note.as_deref(), Some("by hand"));
        let mut theirs_kept = m.file.clone();
        settle(&mut theirs_kept, &m.conflicts[0], false);
        assert_eq!(theirs_kept.answers["a/q1"].note.as_deref(), Some("by hand"));
        let mut ours_kept = m.file.clone();
        settle(&mut ours_kept, &m.conflicts[0], true);
        assert_eq!(ours_kept.answers["a/q1"], ours);
    }

    #[test]
    fn the_same_change_on_both_sides_or_a_moved_line_is_no_conflict() {
        let base = file(&[("a/q1", answer(Status::Unmet, "old"))]);
        let ours = answer(Status::Met, "same");
        let mut disk = file(&[("a/q1", ours.clone())]);
        disk.answers.get_mut("a/q1").unwrap().line = 12;
        let m = merge(&base, &disk, &changed(&[("a/q1", ours.clone())]));
        assert!(m.conflicts.is_empty());

        let mut moved = base.clone();
        moved.answers.get_mut("a/q1").unwrap().line = 40;
        let m = merge(&base, &moved, &changed(&[("a/q1", ours.clone())]));
        assert!(m.conflicts.is_empty());
        assert_eq!(m.file.answers["a/q1"].status, Some(Status::Met));
    }

    #[test]
    fn comments_come_from_the_disk() {
        let base = AnswersFile::default();
        let mut disk = base.clone();
        disk.comments.tail.push("# added by hand".into());
        let m = merge(
            &base,
            &disk,
            &changed(&[("a/q1", answer(Status::Met, "x"))]),
        );
        assert_eq!(m.file.comments.tail, ["# added by hand"]);
    }
}
