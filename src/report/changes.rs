//! What changed in each answer between two report JSONs: note, evidence,
//! criteria, sign-off and waiver (the status is compared in `diff`).
//!
//! Both sides are JSON values, so a stored version and the answers evaluated
//! now (a [`super::Report`] serialised) are compared the same way.

use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// One question whose answer changed in something other than its status.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AnswerChange {
    pub id: String,
    pub question: String,
    pub fields: Vec<FieldChange>,
}

/// One field of an answer, before and after (`null` when absent).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FieldChange {
    pub field: &'static str,
    pub from: Value,
    pub to: Value,
}

/// The answer fields compared, with the name shown for each. `answered_by`
/// is the sign-off; a new `answered_at` alone (the same answer confirmed
/// again) is not a change worth a line in a pull request.
const FIELDS: [(&str, &str); 5] = [
    ("note", "note"),
    ("evidence", "evidence"),
    ("criteria_met", "criteria"),
    ("answered_by", "sign-off"),
    ("waiver", "waiver"),
];

/// Question id → (question text, answer) for every question of a report.
fn answers(report: &Value) -> BTreeMap<&str, (&str, &Value)> {
    let mut out = BTreeMap::new();
    let playbooks = report["playbooks"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    for p in playbooks {
        let questions = p["questions"].as_array().map_or(&[][..], Vec::as_slice);
        for q in questions {
            if let Some(id) = q["id"].as_str() {
                out.insert(id, (q["question"].as_str().unwrap_or(""), &q["answer"]));
            }
        }
    }
    out
}

/// Answer changes from `a` (older) to `b` (newer), in `b`'s question order.
/// Questions only one side has are left out: `diff` lists them as added or
/// removed.
pub fn between(a: &Value, b: &Value) -> Vec<AnswerChange> {
    let old = answers(a);
    let mut out = Vec::new();
    let playbooks = b["playbooks"].as_array().map_or(&[][..], Vec::as_slice);
    let ids = playbooks
        .iter()
        .flat_map(|p| p["questions"].as_array().map_or(&[][..], Vec::as_slice))
        .filter_map(|q| q["id"].as_str());
    let new = answers(b);
    for id in ids {
        let (Some((_, before)), Some((question, after))) = (old.get(id), new.get(id)) else {
            continue;
        };
        let fields: Vec<FieldChange> = FIELDS
            .iter()
            .filter_map(|(key, shown)| {
                let from = before.get(key).cloned().unwrap_or(Value::Null);
                let to = after.get(key).cloned().unwrap_or(Value::Null);
                (from != to).then_some(FieldChange {
                    field: shown,
                    from,
                    to,
                })
            })
            .collect();
        if !fields.is_empty() {
            out.push(AnswerChange {
                id: id.to_string(),
                question: question.to_string(),
                fields,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report(answer: Value) -> Value {
        json!({"playbooks": [{"questions": [
            {"id": "p/q1", "question": "Q one?", "answer": answer},
            {"id": "p/q2", "question": "Q two?", "answer": {"status": "met"}},
        ]}]})
    }

    #[test]
    fn reports_note_evidence_and_sign_off_changes_but_not_a_new_timestamp() {
        let a = report(json!({"status": "met", "note": "old", "answered_by": "Ann",
            "answered_at": "2026-01-01T00:00:00Z"}));
        let b = report(json!({"status": "met", "note": "new", "evidence": ["x.md"],
            "answered_by": "Bo", "answered_at": "2026-02-01T00:00:00Z"}));
        let changes = between(&a, &b);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].id, "p/q1");
        let fields: Vec<&str> = changes[0].fields.iter().map(|f| f.field).collect();
        assert_eq!(fields, ["note", "evidence", "sign-off"]);
        assert_eq!(changes[0].fields[0].from, json!("old"));
        assert_eq!(changes[0].fields[1].from, Value::Null);
    }

    #[test]
    fn an_answer_given_for_the_first_time_shows_its_note() {
        let a = report(Value::Null);
        let b = report(json!({"status": "unmet", "note": "not yet"}));
        let changes = between(&a, &b);
        assert_eq!(changes[0].fields[0].field, "note");
        assert_eq!(changes[0].fields[0].to, json!("not yet"));
    }

    #[test]
    fn nothing_changed_gives_nothing_and_unknown_shapes_do_not_panic() {
        let a = report(json!({"status": "met"}));
        assert!(between(&a, &a).is_empty());
        assert!(between(&json!(null), &json!({"playbooks": 3})).is_empty());
        assert!(between(&json!([]), &a).is_empty());
    }
}
