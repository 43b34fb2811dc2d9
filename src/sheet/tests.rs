//! The sheet model against the shared sample report: export, read back,
//! errors by cell, and the per-question merge.

use super::*;
use crate::render::tests::sample;
use chrono::TimeZone;

fn register(r: &Report) -> Grid {
    let sheets = export(r, &Options::default());
    let s = &sheets[0];
    let mut rows = vec![s.header.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    rows.extend(s.rows.iter().cloned());
    Grid {
        sheet: REGISTER.into(),
        rows,
        first_row: 1,
        first_col: 1,
    }
}

fn set(grid: &mut Grid, id: &str, column: &str, value: &str) {
    let c = col(column);
    let row = grid
        .rows
        .iter_mut()
        .find(|r| r[0] == id)
        .expect("a row for the id");
    row[c] = value.to_string();
}

fn when() -> DateTime<FixedOffset> {
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 30, 9, 0, 0)
        .unwrap()
        .fixed_offset()
}

fn answers_of(r: &Report) -> AnswersFile {
    let mut file = AnswersFile::default();
    for (_, q) in r.questions() {
        if let Some(a) = &q.answer {
            file.answers.insert(q.id.clone(), a.clone());
        }
    }
    file
}

#[test]
fn an_untouched_export_imports_as_no_change() {
    let r = sample();
    let edits = read(&register(&r), &r).unwrap();
    assert_eq!(edits.len(), 6);
    let (_, m) = merge(&answers_of(&r), &edits, &r, None, when(), REGISTER).unwrap();
    assert!(m.changed.is_empty(), "{m:?}");
    assert_eq!(m.unchanged, 6);
}

#[test]
fn an_edited_row_changes_only_its_question_and_keeps_the_rest_of_the_answer() {
    let r = sample();
    let mut g = register(&r);
    set(&mut g, "sla/q1", "Status", "Met");
    set(&mut g, "sla/q1", "Owner", "Sam Ortiz");
    set(&mut g, "sla/q1", "Due", "2026-12-15");
    set(&mut g, "sla/q3", "Status", "partial");
    set(
        &mut g,
        "sla/q3",
        "Evidence",
        "https://example.com/sla\ndocs/sla.md",
    );
    let edits = read(&g, &r).unwrap();
    let file = answers_of(&r);
    let (merged, m) = merge(&file, &edits, &r, Some("Client"), when(), REGISTER).unwrap();
    assert_eq!(m.changed, ["sla/q1", "sla/q3"]);
    let a = &merged.answers["sla/q1"];
    assert_eq!(a.status, Some(Status::Met));
    assert!(
        a.waiver.is_some(),
        "the waiver is not a sheet field and stays"
    );
    assert_eq!(a.extra["owner"], "Sam Ortiz");
    assert_eq!(a.answered_by.as_deref(), Some("Client"));
    assert_eq!(a.answered_at, Some(when()));
    assert_eq!(
        merged.answers["sla/q3"].evidence,
        ["https://example.com/sla", "docs/sla.md"]
    );
    assert_eq!(merged.answers["channels/q1"], file.answers["channels/q1"]);
}

#[test]
fn bad_cells_are_named_by_sheet_row_and_column() {
    let r = sample();
    let mut g = register(&r);
    set(&mut g, "channels/q1", "Status", "maybe");
    set(&mut g, "sla/q2", "Due", "next week");
    g.rows.push(vec!["nope/q1".into()]);
    let errors = read(&g, &r).unwrap_err();
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 3, "{text:#?}");
    assert_eq!(
        text[0],
        "sheet \"Question register\", row 2, column F (Status): `maybe` is not a status; use one of met, partial, unmet, not-applicable (or leave it empty)"
    );
    assert!(text[1].contains("row 6, column K (Due)"), "{}", text[1]);
    assert!(
        text[2].contains("row 8, column A (Id): no question `nope/q1`"),
        "{}",
        text[2]
    );
}

#[test]
fn a_sheet_whose_question_versions_changed_is_refused_whole() {
    let r = sample();
    let mut g = register(&r);
    set(&mut g, "channels/q1", "Version", "0.9.0");
    set(&mut g, "sla/q3", "Status", "met");
    let errors = read(&g, &r).unwrap_err();
    assert!(
        errors[0].to_string().contains("column L (Version)"),
        "{}",
        errors[0]
    );
    assert!(
        errors
            .last()
            .unwrap()
            .message
            .contains("nothing was imported")
    );
}

#[test]
fn the_answers_file_rules_apply_to_imported_rows() {
    let r = sample();
    let mut g = register(&r);
    // As in the answers file: not-applicable without a reason is read (and
    // scored as unanswered, which `check` reports), not refused.
    set(&mut g, "sla/q3", "Status", "n/a");
    let edits = read(&g, &r).unwrap();
    let (merged, m) = merge(&answers_of(&r), &edits, &r, None, when(), REGISTER).unwrap();
    assert_eq!(m.changed, ["sla/q3"]);
    assert_eq!(merged.answers["sla/q3"].status, Some(Status::NotApplicable));
    assert!(validate(&merged, &edits, &m.changed, REGISTER).is_empty());
    // What the answers file refuses, the import refuses, at the row.
    let mut broken = merged.clone();
    broken
        .answers
        .get_mut("sla/q3")
        .unwrap()
        .extra
        .insert("waiver".into(), serde_json::json!("not a mapping"));
    let errors = validate(&broken, &edits, &m.changed, REGISTER);
    assert!(!errors.is_empty());
    assert!(errors.iter().all(|e| e.row == 7), "{errors:?}");
}

#[test]
fn a_row_changed_in_the_sheet_and_on_disk_is_a_conflict() {
    let r = sample();
    let mut g = register(&r);
    set(&mut g, "sla/q3", "Status", "met");
    let edits = read(&g, &r).unwrap();
    let mut file = answers_of(&r);
    file.answers.insert(
        "sla/q3".into(),
        Answer {
            status: Some(Status::Unmet),
            ..Answer::default()
        },
    );
    let errors = merge(&file, &edits, &r, None, when(), REGISTER).unwrap_err();
    assert!(
        errors[0]
            .message
            .contains("changed in the sheet and in the answers file")
    );
    // Changed on disk only: the sheet's untouched row leaves it alone.
    let edits = read(&register(&r), &r).unwrap();
    let (merged, m) = merge(&file, &edits, &r, None, when(), REGISTER).unwrap();
    assert!(m.changed.is_empty());
    assert_eq!(merged.answers["sla/q3"].status, Some(Status::Unmet));
}

#[test]
fn the_workbook_and_the_csv_read_back_as_written() {
    let r = sample();
    let mut sheets = export(&r, &Options::default());
    sheets[0].rows[0][col("Note")] = "=HYPERLINK(\"x\")".into();
    let bytes = xlsx::write(&sheets).unwrap();
    let grid = xlsx::read(bytes).unwrap();
    assert_eq!(grid.sheet, REGISTER);
    assert_eq!(grid.rows[0], sheets[0].header);
    assert_eq!(grid.rows[1..], sheets[0].rows[..]);
    let csv_bytes = csv::write(&sheets[0]).unwrap();
    assert!(String::from_utf8_lossy(&csv_bytes).contains("'=HYPERLINK"));
    let grid = csv::read(&csv_bytes, "register.csv").unwrap();
    let edits = read(&grid, &r).unwrap();
    assert_eq!(edits[0].fields.note, "=HYPERLINK(\"x\")");
}

#[test]
fn column_letters_go_past_z() {
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
    assert_eq!(column_letter(27), "AB");
}

#[test]
fn questions_scored_by_criteria_take_ticks_or_a_status_that_agrees() {
    let r = sample();
    let file = answers_of(&r);
    // A status alone: met ticks every criterion.
    let mut g = register(&r);
    set(&mut g, "channels/q3", "Status", "met");
    let edits = read(&g, &r).unwrap();
    let (merged, _) = merge(&file, &edits, &r, None, when(), REGISTER).unwrap();
    let a = &merged.answers["channels/q3"];
    assert_eq!(a.status, Some(Status::Met));
    assert_eq!(
        a.criteria_met.as_deref(),
        Some(&["owners".to_string(), "research".to_string()][..])
    );
    // Ticks by text or id, one a line: the status follows them.
    let mut g = register(&r);
    set(&mut g, "channels/q3", "Criteria met", "owners");
    set(&mut g, "channels/q3", "Status", "");
    let edits = read(&g, &r).unwrap();
    let (merged, _) = merge(&file, &edits, &r, None, when(), REGISTER).unwrap();
    assert_eq!(merged.answers["channels/q3"].status, Some(Status::Partial));
    // A status that disagrees with the ticks is refused at the Status cell.
    let mut g = register(&r);
    set(
        &mut g,
        "channels/q3",
        "Criteria met",
        "Customer research cited\nEvery channel has an owner",
    );
    set(&mut g, "channels/q3", "Status", "partial");
    let edits = read(&g, &r).unwrap();
    let errors = merge(&file, &edits, &r, None, when(), REGISTER).unwrap_err();
    assert_eq!(errors[0].column.as_ref().unwrap().0, "F");
    assert!(
        errors[0].message.contains("make them agree"),
        "{}",
        errors[0]
    );
    // A criterion that is not the question's is named at its cell.
    let mut g = register(&r);
    set(&mut g, "channels/q3", "Criteria met", "Something else");
    let errors = read(&g, &r).unwrap_err();
    assert!(
        errors[0].to_string().contains("column I (Criteria met)"),
        "{}",
        errors[0]
    );
    // Editing only a note leaves the ticks alone.
    let mut g = register(&r);
    set(&mut g, "channels/q3", "Note", "Research from the beta");
    let edits = read(&g, &r).unwrap();
    let (merged, _) = merge(&file, &edits, &r, None, when(), REGISTER).unwrap();
    assert_eq!(
        merged.answers["channels/q3"].criteria_met,
        file.answers["channels/q3"].criteria_met
    );
}
