//! The sheet model against the shared sample report: export, read back,
//! errors by cell, and the per-question merge.

use super::*;
use crate::render::tests::sample;
use chrono::TimeZone;

fn register(r: &Report) -> Grid {
    let sheets = export(r);
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
    set(&mut g, "sla/q1", "Action", "Sign the SLA");
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
    let act = a.action.as_ref().expect("an action");
    assert_eq!(act.what, "Sign the SLA");
    assert_eq!(act.who.as_deref(), Some("Sam Ortiz"));
    assert_eq!(act.due, NaiveDate::from_ymd_opt(2026, 12, 15));
    assert!(a.extra.is_empty(), "no free-text keys: {:?}", a.extra);
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
    assert!(text[1].contains("row 8, column J (Due)"), "{}", text[1]);
    assert!(
        text[2].contains("row 10, column A (Id): no question `nope/q1`"),
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
        errors[0].to_string().contains("column K (Version)"),
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
    assert!(errors.iter().all(|e| e.row == 9), "{errors:?}");
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

/// The Owner cell shows the question's role when the action names nobody,
/// and the hidden Exported cell records that role. A role renamed in the
/// config after the export is then neither a change on disk (which would
/// refuse an edited row) nor an edit that makes the old role the action's
/// person.
#[test]
fn a_role_renamed_since_the_export_is_neither_a_conflict_nor_an_edit() {
    let with_role = |role: &str| {
        let mut r = sample();
        let q = std::sync::Arc::make_mut(&mut r.playbooks)
            .iter_mut()
            .flat_map(|p| &mut p.questions)
            .find(|q| q.id == "sla/q3")
            .unwrap();
        q.owner = Some(role.to_string());
        r
    };
    let (then, now) = (with_role("legal"), with_role("legal-team"));
    let mut g = register(&then);
    assert!(
        g.rows
            .iter()
            .any(|row| row.iter().any(|c| c.ends_with(" legal")))
    );
    set(&mut g, "sla/q3", "Status", "met");
    let file = answers_of(&then);
    let edits = read(&g, &now).unwrap();
    let (merged, m) = merge(&file, &edits, &now, None, when(), REGISTER).unwrap();
    assert_eq!(m.changed, ["sla/q3"]);
    let a = &merged.answers["sla/q3"];
    assert_eq!(a.status, Some(Status::Met));
    assert_eq!(a.action, None, "the old role is not the action's person");
    // An untouched row stays untouched.
    let edits = read(&register(&then), &now).unwrap();
    let (_, m) = merge(&file, &edits, &now, None, when(), REGISTER).unwrap();
    assert!(m.changed.is_empty());
}

#[test]
fn the_workbook_and_the_csv_read_back_as_written() {
    let r = sample();
    let mut sheets = export(&r);
    sheets[0].rows[0][col("Note")] = "=HYPERLINK(\"x\")".into();
    let bytes = xlsx::write(&sheets).unwrap();
    let grid = xlsx::read(bytes).unwrap();
    assert_eq!(grid.sheet, REGISTER);
    assert_eq!(grid.rows[0], sheets[0].header);
    // Written through the formula guard, which `read` takes off: the cells
    // read back as they were before the guard.
    let guarded = guard("=HYPERLINK(\"x\")");
    assert_eq!(guarded, "'=HYPERLINK(\"x\")");
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
    // Each criterion has its own row, with its text, marked as exported.
    let g = register(&r);
    let row = |id: &str| g.rows.iter().find(|row| row[0] == id).cloned().unwrap();
    assert_eq!(row("channels/q3#research")[col("Status")], "met");
    assert_eq!(row("channels/q3#owners")[col("Status")], "unmet");
    assert!(
        row("channels/q3#owners")[col("Question")].starts_with("Criterion: "),
        "{:?}",
        row("channels/q3#owners")
    );
    // Marks in the criteria's rows, the Status left as it was: the status
    // follows them.
    let mut g = register(&r);
    set(&mut g, "channels/q3#owners", "Status", "met");
    let edits = read(&g, &r).unwrap();
    let (merged, _) = merge(&file, &edits, &r, None, when(), REGISTER).unwrap();
    assert_eq!(merged.answers["channels/q3"].status, Some(Status::Met));
    let mut g = register(&r);
    set(&mut g, "channels/q3#research", "Status", "");
    let edits = read(&g, &r).unwrap();
    let (merged, _) = merge(&file, &edits, &r, None, when(), REGISTER).unwrap();
    assert_eq!(merged.answers["channels/q3"].status, Some(Status::Unmet));
    assert_eq!(merged.answers["channels/q3"].criteria_met, Some(Vec::new()));
    // A Status changed to disagree with the marks is refused at the Status
    // cell, naming the criteria's rows.
    let mut g = register(&r);
    set(&mut g, "channels/q3", "Status", "met");
    set(&mut g, "channels/q3#owners", "Status", "unmet");
    set(&mut g, "channels/q3#research", "Status", "unmet");
    let edits = read(&g, &r).unwrap();
    let errors = merge(&file, &edits, &r, None, when(), REGISTER).unwrap_err();
    assert_eq!(errors[0].column.as_ref().unwrap().0, "F");
    assert!(
        errors[0]
            .message
            .contains("mark each criterion met or unmet in its row (rows"),
        "{}",
        errors[0]
    );
    // A mark that is not met or unmet is named at its cell.
    let mut g = register(&r);
    set(&mut g, "channels/q3#owners", "Status", "partial");
    let errors = read(&g, &r).unwrap_err();
    assert!(
        errors[0].to_string().contains("column F (Status)")
            && errors[0].message.contains("mark a criterion met or unmet"),
        "{}",
        errors[0]
    );
    // Older exports listed the criteria met in one cell: still read.
    let mut g = register(&r);
    g.rows.retain(|row| !row[0].contains('#'));
    g.rows[0].push("Criteria met".into());
    for row in g.rows.iter_mut().skip(1) {
        row.push(String::new());
    }
    let at = g.rows[0].len() - 1;
    let q3 = g
        .rows
        .iter_mut()
        .find(|row| row[0] == "channels/q3")
        .unwrap();
    q3[at] = "Customer research cited\nEvery channel has an owner".into();
    q3[col("Status")] = "partial".into();
    let edits = read(&g, &r).unwrap();
    let errors = merge(&file, &edits, &r, None, when(), REGISTER).unwrap_err();
    assert!(
        errors[0].message.contains("make them agree"),
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

/// The sample report with `sla/q1` owned by `legal` and carrying an action
/// (with a key of its own), and an old free-text `owner` key on `sla/q3`.
fn with_action() -> (Report, AnswersFile) {
    with_action_by(None)
}

/// [`with_action`], the action done by `who`.
fn with_action_by(who: Option<&str>) -> (Report, AnswersFile) {
    let mut r = sample();
    for (id, q) in std::sync::Arc::make_mut(&mut r.playbooks)
        .iter_mut()
        .flat_map(|p| &mut p.questions)
        .map(|q| (q.id.clone(), q))
    {
        if id == "sla/q1" {
            q.owner = Some("legal".into());
            q.answer.as_mut().unwrap().action = Some(Box::new(Action {
                what: "Sign the SLA".into(),
                who: who.map(String::from),
                due: NaiveDate::from_ymd_opt(2026, 12, 15),
                extra: [("ticket".to_string(), serde_json::json!("SUP-12"))].into(),
            }));
        }
        if id == "sla/q3" {
            q.owner = Some("support-lead".into());
            let a = q.answer.get_or_insert_with(Answer::default);
            a.extra.insert("owner".into(), "Sam Ortiz".into());
        }
    }
    let file = answers_of(&r);
    (r, file)
}

#[test]
fn the_register_shows_the_action_and_who_does_it() {
    let (r, _) = with_action();
    let sheets = export(&r);
    let row = |id: &str| sheets[0].rows.iter().find(|r| r[0] == id).unwrap().clone();
    let q1 = row("sla/q1");
    assert_eq!(q1[col("Owner")], "legal", "no `who`: the owner role");
    assert_eq!(q1[col("Action")], "Sign the SLA");
    assert_eq!(q1[col("Due")], "2026-12-15");
    // A free-text `owner` key is not a cell; the owner role is.
    let q3 = row("sla/q3");
    assert_eq!(q3[col("Owner")], "support-lead");
    assert_eq!(q3[col("Action")], "");
    assert_eq!(q3[col("Due")], "");
}

#[test]
fn edited_action_cells_become_the_answers_action_and_keep_its_other_keys() {
    let (r, file) = with_action();
    let mut g = register(&r);
    set(&mut g, "sla/q1", "Owner", "Kim Park");
    set(&mut g, "sla/q1", "Due", "2027-01-10");
    let edits = read(&g, &r).unwrap();
    let (merged, m) = merge(&file, &edits, &r, None, when(), REGISTER).unwrap();
    assert_eq!(m.changed, ["sla/q1"]);
    let a = &merged.answers["sla/q1"];
    let act = a.action.as_ref().unwrap();
    assert_eq!(act.what, "Sign the SLA");
    assert_eq!(act.who.as_deref(), Some("Kim Park"));
    assert_eq!(act.due, NaiveDate::from_ymd_opt(2027, 1, 10));
    assert_eq!(act.extra["ticket"], "SUP-12");
    assert!(a.extra.is_empty(), "{:?}", a.extra);
    assert_eq!(a.answered_at, None, "an action is not a new answer");
    assert!(validate(&merged, &edits, &m.changed, REGISTER).is_empty());

    // The owner role typed back, in any case, means the owner does it.
    let mut g = register(&r);
    set(&mut g, "sla/q1", "Owner", "LEGAL");
    let (merged, m) = merge(&file, &read(&g, &r).unwrap(), &r, None, when(), REGISTER).unwrap();
    assert!(m.changed.is_empty(), "the role is who does it already");
    assert_eq!(
        merged.answers["sla/q1"].action,
        file.answers["sla/q1"].action
    );
    // Kim Park does it; the role or an empty cell gives it back to the owner.
    let (r, kim) = with_action_by(Some("Kim Park"));
    let g = register(&r);
    let row = g.rows.iter().find(|row| row[0] == "sla/q1").unwrap();
    assert_eq!(row[col("Owner")], "Kim Park");
    for back in ["legal", ""] {
        let mut g = register(&r);
        set(&mut g, "sla/q1", "Owner", back);
        let (merged, m) = merge(&kim, &read(&g, &r).unwrap(), &r, None, when(), REGISTER).unwrap();
        assert_eq!(m.changed, ["sla/q1"]);
        let act = merged.answers["sla/q1"].action.as_ref().unwrap();
        assert_eq!(act.who, None, "`{back}` gives the action back to the owner");
        assert_eq!(act.due, NaiveDate::from_ymd_opt(2026, 12, 15));
    }
    let (r, file) = with_action();

    // A new action on a row that had none.
    let mut g = register(&r);
    set(&mut g, "sla/q3", "Action", "Write the complaints process");
    set(&mut g, "sla/q3", "Due", "2026-12-01");
    let (merged, m) = merge(&file, &read(&g, &r).unwrap(), &r, None, when(), REGISTER).unwrap();
    assert_eq!(m.changed, ["sla/q3"]);
    let a = &merged.answers["sla/q3"];
    assert_eq!(
        a.action,
        Some(Box::new(Action {
            what: "Write the complaints process".into(),
            who: None,
            due: NaiveDate::from_ymd_opt(2026, 12, 1),
            extra: BTreeMap::new(),
        }))
    );
    assert_eq!(a.extra["owner"], "Sam Ortiz", "an old free-text key stays");
}

#[test]
fn clearing_the_action_cell_removes_the_action() {
    let (r, file) = with_action();
    let mut g = register(&r);
    set(&mut g, "sla/q1", "Action", "");
    let (merged, m) = merge(&file, &read(&g, &r).unwrap(), &r, None, when(), REGISTER).unwrap();
    assert_eq!(m.changed, ["sla/q1"]);
    let a = &merged.answers["sla/q1"];
    assert_eq!(a.action, None, "its due date goes with it");
    assert!(a.waiver.is_some());
}

#[test]
fn a_due_date_or_a_person_without_an_action_is_an_error_at_the_cell() {
    let (r, file) = with_action();
    let mut g = register(&r);
    set(&mut g, "sla/q3", "Due", "2026-12-01");
    let errors = merge(&file, &read(&g, &r).unwrap(), &r, None, when(), REGISTER).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0].to_string(),
        "sheet \"Question register\", row 9, column J (Due): `sla/q3`: `2026-12-01` is the due date of a follow-up action, and this row has none; write the action in the Action column, or clear this cell"
    );
    let mut g = register(&r);
    set(&mut g, "sla/q3", "Owner", "Kim Park");
    let errors = merge(&file, &read(&g, &r).unwrap(), &r, None, when(), REGISTER).unwrap_err();
    assert!(
        errors[0]
            .to_string()
            .contains("row 9, column E (Owner): `sla/q3`: `Kim Park` would do the follow-up action, and this row has none"),
        "{}",
        errors[0]
    );
    assert!(errors[0].message.contains("put back `support-lead`"));
    // An empty Owner cell is no change.
    let mut g = register(&r);
    set(&mut g, "sla/q3", "Owner", "");
    let (_, m) = merge(&file, &read(&g, &r).unwrap(), &r, None, when(), REGISTER).unwrap();
    assert!(m.changed.is_empty(), "{m:?}");
}

#[test]
fn a_bad_due_date_names_the_cell_and_the_value() {
    let (r, _) = with_action();
    for bad in ["2026-02-30", "15/12/2026", "next week"] {
        let mut g = register(&r);
        set(&mut g, "sla/q1", "Due", bad);
        let errors = read(&g, &r).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            format!(
                "sheet \"Question register\", row 7, column J (Due): `{bad}` is not a date; write it as YYYY-MM-DD, e.g. 2026-12-15"
            )
        );
    }
}

#[test]
fn a_date_cell_in_a_workbook_reads_as_the_date() {
    let (r, file) = with_action();
    let sheets = export(&r);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(REGISTER).unwrap();
    let s = &sheets[0];
    for (c, h) in s.header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (i, row) in s.rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let (r, c) = (i as u32 + 1, c as u16);
            if c as usize == col("Due") && row[0] == "sla/q1" {
                let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2027, 2, 1).unwrap();
                ws.write_datetime_with_format(r, c, &d, &date).unwrap();
            } else {
                ws.write_string(r, c, text).unwrap();
            }
        }
    }
    let grid = xlsx::read(wb.save_to_buffer().unwrap()).unwrap();
    let edits = read(&grid, &r).unwrap();
    let (merged, m) = merge(&file, &edits, &r, None, when(), REGISTER).unwrap();
    assert_eq!(m.changed, ["sla/q1"]);
    let act = merged.answers["sla/q1"].action.as_ref().unwrap();
    assert_eq!(act.due, NaiveDate::from_ymd_opt(2027, 2, 1));
}
