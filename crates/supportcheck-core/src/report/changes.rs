//! What changed in each answer between two reports: note, evidence,
//! criteria, sign-off and waiver (the status is compared in `diff`).

use super::Report;
use crate::answers::Answer;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// One question whose answer changed in something other than its status.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct AnswerChange {
    pub id: String,
    pub question: String,
    pub fields: Vec<FieldChange>,
}

/// One field of an answer, before and after (`null` when absent).
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct FieldChange {
    pub field: &'static str,
    pub from: Value,
    pub to: Value,
}

/// A field as JSON, `null` when absent or empty.
fn value<T: Serialize>(v: &T) -> Value {
    match serde_json::to_value(v).unwrap_or(Value::Null) {
        Value::Array(a) if a.is_empty() => Value::Null,
        v => v,
    }
}

/// The fields compared, under the names shown. `answered_by` is the
/// sign-off; a new `answered_at` alone (the same answer confirmed again) is
/// not a change worth a line in a pull request.
fn fields(a: &Answer) -> [(&'static str, Value); 5] {
    [
        ("note", value(&a.note)),
        ("evidence", value(&a.evidence)),
        ("criteria", value(&a.criteria_met)),
        ("sign-off", value(&a.answered_by)),
        ("waiver", value(&a.waiver)),
    ]
}

/// Answer changes from `a` (older) to `b` (newer), in `b`'s question order.
/// Questions only one side has are left out: `diff` lists them as added or
/// removed.
pub fn between(a: &Report, b: &Report) -> Vec<AnswerChange> {
    let old: BTreeMap<&str, Option<&Answer>> = a
        .questions()
        .map(|(_, q)| (q.id.as_str(), q.answer.as_ref()))
        .collect();
    let none = Answer::default();
    let mut out = Vec::new();
    for (_, q) in b.questions() {
        let Some(before) = old.get(q.id.as_str()) else {
            continue;
        };
        let before = fields(before.unwrap_or(&none));
        let after = fields(q.answer.as_ref().unwrap_or(&none));
        let changed: Vec<FieldChange> = before
            .into_iter()
            .zip(after)
            .filter(|((_, from), (_, to))| from != to)
            .map(|((field, from), (_, to))| FieldChange { field, from, to })
            .collect();
        if !changed.is_empty() {
            out.push(AnswerChange {
                id: q.id.clone(),
                question: q.question.clone(),
                fields: changed,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample;
    use serde_json::json;

    /// The sample report with the answer to `id` changed by `edit`.
    fn edited(id: &str, edit: impl FnOnce(&mut Option<Answer>)) -> Report {
        let mut r = sample();
        let q = std::sync::Arc::make_mut(&mut r.playbooks)
            .iter_mut()
            .flat_map(|p| p.questions.iter_mut())
            .find(|q| q.id == id)
            .expect("the sample has the question");
        edit(&mut q.answer);
        r
    }

    #[test]
    fn reports_note_evidence_and_sign_off_changes_but_not_a_new_timestamp() {
        let b = edited("channels/q1", |a| {
            let a = a.as_mut().unwrap();
            a.note = Some("new".into());
            a.evidence = vec!["x.md".into()];
            a.answered_by = Some("Bo".into());
            a.answered_at =
                Some(chrono::DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").unwrap());
        });
        let changes = between(&sample(), &b);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].id, "channels/q1");
        let names: Vec<&str> = changes[0].fields.iter().map(|f| f.field).collect();
        assert_eq!(names, ["note", "evidence", "sign-off"]);
        assert_eq!(changes[0].fields[1].from, Value::Null);
        assert_eq!(changes[0].fields[1].to, json!(["x.md"]));
        assert_eq!(changes[0].fields[2].from, json!("Dana Lee"));
    }

    #[test]
    fn an_answer_given_for_the_first_time_shows_its_note_and_a_waiver_change_shows() {
        let a = edited("channels/q1", |a| *a = None);
        let changes = between(&a, &sample());
        let names: Vec<&str> = changes[0].fields.iter().map(|f| f.field).collect();
        assert_eq!(names, ["note", "sign-off"], "{changes:?}");
        assert_eq!(changes[0].fields[0].from, Value::Null);
        let b = edited("sla/q1", |a| {
            a.as_mut().unwrap().waiver.as_mut().unwrap().approved_by = Some("CEO".into());
        });
        let changes = between(&sample(), &b);
        assert_eq!(changes[0].fields[0].field, "waiver");
        assert_eq!(changes[0].fields[0].to["approved_by"], "CEO");
    }

    #[test]
    fn nothing_changed_gives_nothing_and_questions_on_one_side_are_left_out() {
        assert!(between(&sample(), &sample()).is_empty());
        let mut fewer = sample();
        std::sync::Arc::make_mut(&mut fewer.playbooks).truncate(1);
        assert!(between(&fewer, &sample()).is_empty());
        assert!(between(&sample(), &fewer).is_empty());
    }
}
