//! Spreadsheets both ways: the question register and the improvement plan
//! as rows for `export`, and a register a client filled in read back into
//! answers for `import`, checked like the answers file, with every problem
//! named by sheet, row and column, and merged per question.

pub mod bounds;
pub mod csv;
pub mod xlsx;

use crate::answers::{self, Action, Answer, AnswersFile, Status};
use crate::diagnostic::Finding;
use crate::render::client;
use crate::report::Report;
use chrono::{DateTime, FixedOffset, NaiveDate};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The register's sheet name (and the one `import` reads).
pub const REGISTER: &str = "Question register";
pub const PLAN: &str = "Improvement plan";

/// The register's columns, in order: (header, width, editable). The last
/// two are bookkeeping for `import` (hidden in the .xlsx).
pub const COLUMNS: [(&str, f64, bool); 12] = [
    ("Id", 22.0, false),
    ("Playbook", 22.0, false),
    ("Question", 50.0, false),
    ("Expectation", 60.0, false),
    ("Owner", 18.0, true),
    ("Status", 14.0, true),
    ("Note", 40.0, true),
    ("Evidence", 36.0, true),
    ("Action", 36.0, true),
    ("Due", 12.0, true),
    ("Version", 9.0, false),
    ("Exported", 18.0, false),
];

/// The column of older exports that listed the criteria met in one cell;
/// still read by `import`.
const CRITERIA_MET: &str = "Criteria met";

/// A criterion's row of the register: its question's id, this, its own id.
const CRITERION_MARK: &str = "#";

/// What the Question cell of a criterion's row starts with.
const CRITERION_PREFIX: &str = "Criterion: ";

/// How a column's cells are written in a workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A number (written as text in CSV).
    Number,
    /// A date, `YYYY-MM-DD` in the row (a date cell in a workbook).
    Date,
}

/// Status values the Status column accepts (the data-validation list).
pub const STATUS_VALUES: [&str; 4] = ["met", "partial", "unmet", "not-applicable"];

/// One sheet of an export: a header and rows of text.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: &'static str,
    pub header: Vec<&'static str>,
    pub widths: Vec<f64>,
    pub rows: Vec<Vec<String>>,
    /// The column that gets the status data-validation list.
    pub status_column: Option<usize>,
    /// Columns a person need not see (the export fingerprint).
    pub hidden: Vec<usize>,
    /// Each column's kind (numbers and dates are typed cells in a workbook).
    pub kinds: Vec<Kind>,
}

/// The register and the plan.
pub fn export(r: &Report) -> Vec<Sheet> {
    let mut register = Vec::new();
    let mut dates: BTreeMap<&str, (String, String)> = BTreeMap::new();
    for (p, q) in r.questions() {
        let fields = Fields::of(q.answer.as_ref(), q.owner.as_deref());
        let waiver = q
            .answer
            .as_ref()
            .and_then(|a| a.waiver.as_ref())
            .map(|w| w.expires.to_string())
            .unwrap_or_default();
        dates.insert(q.id.as_str(), (fields.due.clone(), waiver));
        register.push(vec![
            q.id.clone(),
            p.title.clone(),
            q.question.clone(),
            q.expectation.clone(),
            fields.owner.clone(),
            fields.status.clone(),
            fields.note.clone(),
            fields.evidence.join("\n"),
            fields.action.clone(),
            fields.due.clone(),
            q.version.clone(),
            exported_cell(&fields, q.owner.as_deref()),
        ]);
        // One row per criterion, under its question: the client marks each
        // met or unmet in the Status column, and import reads them back.
        for c in &q.criteria {
            register.push(criterion_row(&p.title, q, c, &fields));
        }
    }
    let mut register_kinds = vec![Kind::Text; COLUMNS.len()];
    register_kinds[col("Due")] = Kind::Date;
    vec![
        Sheet {
            name: REGISTER,
            header: COLUMNS.iter().map(|c| c.0).collect(),
            widths: COLUMNS.iter().map(|c| c.1).collect(),
            rows: register,
            status_column: Some(col("Status")),
            hidden: vec![col("Version"), col("Exported")],
            kinds: register_kinds,
        },
        plan_sheet(r, &dates),
    ]
}

/// The register's row for criterion `c` of question `q`: the client marks it
/// met or unmet in the Status column.
fn criterion_row(
    playbook: &str,
    q: &crate::report::QuestionReport,
    c: &crate::report::CriterionReport,
    fields: &Fields,
) -> Vec<String> {
    let mut row = vec![String::new(); COLUMNS.len()];
    row[col("Id")] = format!("{}{CRITERION_MARK}{}", q.id, c.id);
    row[col("Playbook")] = playbook.to_string();
    row[col("Question")] = format!("{CRITERION_PREFIX}{}", c.text);
    row[col("Status")] = match &q.answer {
        Some(a) if a.status.is_some_and(|s| s != Status::NotApplicable) => {
            if fields.criteria.contains(&c.id) {
                "met".into()
            } else {
                "unmet".into()
            }
        }
        _ => String::new(),
    };
    row[col("Version")] = q.version.clone();
    row
}

/// The improvement plan's sheet: one row per gap, ranked as the report's plan
/// ranks them, with the due and waiver dates of `dates`.
fn plan_sheet(r: &Report, dates: &BTreeMap<&str, (String, String)>) -> Sheet {
    let plan = r
        .plan()
        .gaps
        .iter()
        .map(|g| {
            let q = g.question(r);
            let (due, waived) = dates.get(q.id.as_str()).cloned().unwrap_or_default();
            vec![
                q.id.clone(),
                q.question.clone(),
                client::status_words(q).0,
                crate::render::pct(g.points),
                q.expectation.clone(),
                g.person(r).map(|p| p.0).unwrap_or_default(),
                due,
                g.action(r).map(|a| a.what.clone()).unwrap_or_default(),
                waived,
            ]
        })
        .collect();
    Sheet {
        name: PLAN,
        header: vec![
            "Id",
            "Question",
            "Status",
            "Points",
            "Expectation",
            "Owner",
            "Due",
            "Action",
            "Waived until",
        ],
        widths: vec![22.0, 50.0, 16.0, 8.0, 60.0, 18.0, 16.0, 36.0, 16.0],
        rows: plan,
        status_column: None,
        hidden: Vec::new(),
        kinds: vec![
            Kind::Text,
            Kind::Text,
            Kind::Text,
            Kind::Number,
            Kind::Text,
            Kind::Text,
            Kind::Date,
            Kind::Text,
            Kind::Date,
        ],
    }
}

/// The hidden Exported cell: the row's fingerprint, then the owner role
/// the Owner cell shows when the action names nobody.
fn exported_cell(fields: &Fields, role: Option<&str>) -> String {
    match role {
        Some(role) => format!("{} {role}", fields.fingerprint()),
        None => fields.fingerprint(),
    }
}

/// [`exported_cell`] read back: the fingerprint and the role, if any. A
/// cell without a role (a question with no owner, or a sheet made before the
/// role was recorded) leaves the role to the question's current one.
fn parse_exported(cell: &str) -> (Option<String>, Option<String>) {
    let cell = cell.trim();
    match cell.split_once(' ') {
        Some((fingerprint, role)) => (Some(fingerprint.to_string()), Some(role.trim().to_string())),
        None => (Some(cell.to_string()).filter(|c| !c.is_empty()), None),
    }
}

fn col(name: &str) -> usize {
    COLUMNS
        .iter()
        .position(|c| c.0 == name)
        .expect("a known column")
}

/// The cells of an answer a sheet carries, as text.
#[derive(Debug, Clone, Default, PartialEq)]
struct Fields {
    /// Who acts: the follow-up action's `who`, else the question's owner
    /// role.
    owner: String,
    status: String,
    note: String,
    evidence: Vec<String>,
    /// Ids of the criteria met, sorted.
    criteria: Vec<String>,
    /// The follow-up action's `what`.
    action: String,
    /// The follow-up action's `due`, as YYYY-MM-DD.
    due: String,
}

impl Fields {
    /// The cells of answer `a` to a question owned by `role`. Free-text
    /// `owner`, `action` or `due` keys an old answers file may hold stay in
    /// the answer's unknown keys and are not sheet cells.
    fn of(a: Option<&Answer>, role: Option<&str>) -> Fields {
        let action = a.and_then(|a| a.action.as_ref());
        Fields {
            owner: action
                .and_then(|act| act.who.clone())
                .or_else(|| role.map(String::from))
                .unwrap_or_default(),
            status: a
                .and_then(|a| a.status)
                .map(|s| s.to_string())
                .unwrap_or_default(),
            note: a.and_then(|a| a.note.clone()).unwrap_or_default(),
            evidence: a.map(|a| a.evidence.clone()).unwrap_or_default(),
            criteria: sorted(a.and_then(|a| a.criteria_met.clone()).unwrap_or_default()),
            action: action.map(|act| act.what.clone()).unwrap_or_default(),
            due: action
                .and_then(|act| act.due)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
    }

    /// A short hash of the fields, written to the hidden `Exported` column,
    /// so `import` can tell the cells a person edited from answers that
    /// changed on disk since the export.
    fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        for part in [
            &self.owner,
            &self.status,
            &self.note,
            &lines(&self.evidence.join("\n")).join("\n"),
            &self.criteria.join("\n"),
            &self.action,
            &self.due,
        ] {
            h.update(norm(part).as_bytes());
            h.update([0]);
        }
        h.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// A sheet read back: its name and its cells as text, with the spreadsheet
/// row and column of the first cell (1-based).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Grid {
    pub sheet: String,
    pub rows: Vec<Vec<String>>,
    pub first_row: u32,
    pub first_col: u32,
}

/// A problem in an imported sheet, at a cell.
#[derive(Debug, Clone, PartialEq)]
pub struct CellError {
    pub sheet: String,
    pub row: u32,
    /// The column's letter and header, when the problem is in one cell.
    pub column: Option<(String, String)>,
    pub message: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some((letter, header)) => write!(
                f,
                "sheet \"{}\", row {}, column {letter} ({header}): {}",
                self.sheet, self.row, self.message
            ),
            None => write!(
                f,
                "sheet \"{}\", row {}: {}",
                self.sheet, self.row, self.message
            ),
        }
    }
}

/// `0` → `A`, `27` → `AB`.
pub fn column_letter(mut index: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// One register row as read: the question it is for and what it says.
#[derive(Debug, Clone)]
pub struct Edit {
    pub id: String,
    pub row: u32,
    fields: Fields,
    /// The fingerprint the export wrote, when the column is there.
    exported: Option<String>,
    /// The owner role the Owner cell showed at the export, when recorded.
    exported_role: Option<String>,
    /// The letter of each register column the sheet has, by header, for
    /// errors found after reading.
    letters: BTreeMap<&'static str, String>,
    /// The first and last row of the question's criteria, when the sheet
    /// has a row per criterion.
    criteria_rows: Option<(u32, u32)>,
    /// Some criterion row is marked met or unmet (not all left blank).
    criteria_marked: bool,
}

impl Edit {
    /// The cell of this row under `header`, as (letter, header).
    fn at(&self, header: &str) -> Option<(String, String)> {
        self.letters
            .get(header)
            .map(|l| (l.clone(), header.to_string()))
    }
}

/// What an import would do: answers changed, and rows left alone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Merge {
    pub changed: Vec<String>,
    pub unchanged: usize,
    /// For each answer changed, in the same order: what changed, each field
    /// as (name, before, after) in words.
    pub details: Vec<Vec<(&'static str, String, String)>>,
}

/// The fields of an answer that differ between `before` and `after`, as
/// (name, before, after) in words: `status`, `note`, `evidence`,
/// `criteria met`, `action`, `who`, `due`.
pub fn changes(before: &Answer, after: &Answer) -> Vec<(&'static str, String, String)> {
    const NONE: &str = "(none)";
    let text = |t: Option<&str>| match t.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => {
            let flat = t.split_whitespace().collect::<Vec<_>>().join(" ");
            let short: String = flat.chars().take(60).collect();
            if short.len() < flat.len() {
                format!("“{short}…”")
            } else {
                format!("“{short}”")
            }
        }
        None => NONE.into(),
    };
    let list = |l: &[String]| {
        if l.is_empty() {
            NONE.into()
        } else {
            l.join(", ")
        }
    };
    let status = |a: &Answer| a.status.map_or(NONE.into(), |s| s.to_string());
    let action = |a: &Answer| a.action.as_deref().cloned();
    let (ab, aa) = (action(before), action(after));
    let mut out = Vec::new();
    let mut push = |name: &'static str, b: String, a: String| {
        if b != a {
            out.push((name, b, a));
        }
    };
    push("status", status(before), status(after));
    push(
        "note",
        text(before.note.as_deref()),
        text(after.note.as_deref()),
    );
    push("evidence", list(&before.evidence), list(&after.evidence));
    push(
        "criteria met",
        list(before.criteria_met.as_deref().unwrap_or_default()),
        list(after.criteria_met.as_deref().unwrap_or_default()),
    );
    push(
        "action",
        text(ab.as_ref().map(|a| a.what.as_str())),
        text(aa.as_ref().map(|a| a.what.as_str())),
    );
    push(
        "who",
        ab.as_ref()
            .and_then(|a| a.who.clone())
            .unwrap_or_else(|| NONE.into()),
        aa.as_ref()
            .and_then(|a| a.who.clone())
            .unwrap_or_else(|| NONE.into()),
    );
    push(
        "due",
        ab.as_ref()
            .and_then(|a| a.due)
            .map_or(NONE.into(), |d| d.to_string()),
        aa.as_ref()
            .and_then(|a| a.due)
            .map_or(NONE.into(), |d| d.to_string()),
    );
    out
}

/// Reads the register rows of `grid` against the report of the current
/// playbooks and answers. Every problem is collected (not only the first).
pub fn read(grid: &Grid, r: &Report) -> Result<Vec<Edit>, Vec<CellError>> {
    let Some((header, body)) = grid.rows.split_first() else {
        return Err(vec![CellError {
            sheet: grid.sheet.clone(),
            row: grid.first_row,
            column: None,
            message:
                "the sheet is empty; it needs the header row that `supportcheck export` writes"
                    .into(),
        }]);
    };
    let at = header_columns(grid, header)?;
    let mut register = Register::new(grid, r, at);
    for (i, cells) in body.iter().enumerate() {
        let row = grid.first_row + 1 + i as u32;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        register.read_row(row, cells);
    }
    register.attach_criteria();
    register.criteria_without_question();
    register.finish()
}

/// Where each register column is in `header`, by name; an error for each
/// column import cannot do without.
fn header_columns(
    grid: &Grid,
    header: &[String],
) -> Result<BTreeMap<&'static str, usize>, Vec<CellError>> {
    let mut errors = Vec::new();
    let find = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let mut at: BTreeMap<&'static str, usize> = BTreeMap::new();
    if let Some(i) = find(CRITERIA_MET) {
        at.insert(CRITERIA_MET, i);
    }
    for (name, _, editable) in COLUMNS {
        match find(name) {
            Some(i) => {
                at.insert(name, i);
            }
            None if name == "Id" || name == "Version" || (editable && name == "Status") => {
                errors.push(CellError {
                    sheet: grid.sheet.clone(),
                    row: grid.first_row,
                    column: None,
                    message: format!(
                        "no `{name}` column in the header; import reads sheets written by `supportcheck export`"
                    ),
                });
            }
            None => {}
        }
    }
    if errors.is_empty() {
        Ok(at)
    } else {
        Err(errors)
    }
}

/// A register being read: where its columns are, the questions it may
/// name, and what its rows said so far.
struct Register<'a> {
    grid: &'a Grid,
    at: BTreeMap<&'static str, usize>,
    letters: BTreeMap<&'static str, String>,
    questions: BTreeMap<&'a str, &'a crate::report::QuestionReport>,
    errors: Vec<CellError>,
    /// The row of each question read, by id.
    seen: BTreeMap<String, u32>,
    edits: Vec<Edit>,
    /// Questions whose version changed since the export.
    changed_versions: Vec<CellError>,
    /// Criterion rows by question: (criterion id, marked met or unmet or
    /// not at all, row).
    marks: BTreeMap<String, Vec<(String, Option<bool>, u32)>>,
}

impl<'a> Register<'a> {
    /// A register with its columns at `at`, read against the report `r`.
    fn new(grid: &'a Grid, r: &'a Report, at: BTreeMap<&'static str, usize>) -> Self {
        let letters = at
            .iter()
            .map(|(&name, &c)| (name, column_letter(grid.first_col - 1 + c as u32)))
            .collect();
        Register {
            grid,
            at,
            letters,
            questions: r.questions().map(|(_, q)| (q.id.as_str(), q)).collect(),
            errors: Vec::new(),
            seen: BTreeMap::new(),
            edits: Vec::new(),
            changed_versions: Vec::new(),
            marks: BTreeMap::new(),
        }
    }

    /// The trimmed text of a row's cell under the column `name`.
    fn cell(&self, cells: &[String], name: &str) -> String {
        self.at
            .get(name)
            .and_then(|&c| cells.get(c))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }

    /// A problem at `row`, in the column `name`.
    fn error(&self, row: u32, name: &str, message: String) -> CellError {
        CellError {
            sheet: self.grid.sheet.clone(),
            row,
            column: self
                .letters
                .get(name)
                .map(|l| (l.clone(), name.to_string())),
            message,
        }
    }

    /// Records a problem at `row`, in the column `name`.
    fn fail(&mut self, row: u32, name: &str, message: String) {
        let error = self.error(row, name, message);
        self.errors.push(error);
    }

    /// Reads one row that is not blank: a criterion's or a question's.
    fn read_row(&mut self, row: u32, cells: &[String]) {
        let id = self.cell(cells, "Id");
        match id.split_once(CRITERION_MARK) {
            Some((qid, cid)) => self.read_criterion(row, cells, &id, qid, cid),
            None => self.read_question(row, cells, id),
        }
    }

    /// A criterion's row (`id` is `qid#cid`): marked met, unmet or not at all.
    fn read_criterion(&mut self, row: u32, cells: &[String], id: &str, qid: &str, cid: &str) {
        let Some(q) = self.questions.get(qid) else {
            self.fail(
                row,
                "Id",
                format!("no question `{qid}` in the loaded playbooks"),
            );
            return;
        };
        if !q.criteria.iter().any(|c| c.id == cid) {
            self.fail(
                row,
                "Id",
                format!("`{cid}` is not a criterion of `{qid}`; keep the Id column as exported"),
            );
            return;
        }
        let mark = self.cell(cells, "Status");
        let met = match Status::from_text(&mark) {
            _ if mark.is_empty() => None,
            Some(Status::Met) => Some(true),
            Some(Status::Unmet) => Some(false),
            _ => {
                self.fail(
                    row,
                    "Status",
                    format!(
                        "`{mark}` on the row of criterion `{cid}` of `{qid}`: mark a criterion met or unmet"
                    ),
                );
                return;
            }
        };
        let list = self.marks.entry(qid.to_string()).or_default();
        if let Some(&(_, _, first)) = list.iter().find(|(c, _, _)| c == cid) {
            self.fail(
                row,
                "Id",
                format!("`{id}` is also on row {first}; each criterion may appear once"),
            );
            return;
        }
        list.push((cid.to_string(), met, row));
    }

    /// A question's row: what its answer should now say.
    fn read_question(&mut self, row: u32, cells: &[String], id: String) {
        let Some(q) = self.questions.get(id.as_str()).copied() else {
            let message = if id.is_empty() {
                "no question id; keep the Id column as exported".to_string()
            } else {
                format!("no question `{id}` in the loaded playbooks")
            };
            self.fail(row, "Id", message);
            return;
        };
        if let Some(first) = self.seen.insert(id.clone(), row) {
            self.fail(
                row,
                "Id",
                format!("`{id}` is also on row {first}; each question may appear once"),
            );
            return;
        }
        let version = self.cell(cells, "Version");
        if version != q.version {
            let error = self.error(
                row,
                "Version",
                format!(
                    "`{id}` was exported at version {}, and is now at {}",
                    if version.is_empty() {
                        "(none)"
                    } else {
                        &version
                    },
                    q.version
                ),
            );
            self.changed_versions.push(error);
            return;
        }
        let Some(fields) = self.fields(row, cells, &id, q) else {
            return;
        };
        let (exported, exported_role) = parse_exported(&self.cell(cells, "Exported"));
        self.edits.push(Edit {
            id,
            row,
            fields,
            exported,
            exported_role,
            letters: self.letters.clone(),
            criteria_rows: None,
            criteria_marked: false,
        });
    }

    /// The answer fields of question `id`'s row, or `None` when its status
    /// or due date cannot be read.
    fn fields(
        &mut self,
        row: u32,
        cells: &[String],
        id: &str,
        q: &crate::report::QuestionReport,
    ) -> Option<Fields> {
        let status = self.cell(cells, "Status");
        let status = if status.is_empty() {
            String::new()
        } else {
            match Status::from_text(&status) {
                Some(s) => s.to_string(),
                None => {
                    self.fail(
                        row,
                        "Status",
                        format!(
                            "`{status}` is not a status; use one of {} (or leave it empty)",
                            STATUS_VALUES.join(", ")
                        ),
                    );
                    return None;
                }
            }
        };
        let due = self.cell(cells, "Due");
        if !due.is_empty() && date(&due).is_none() {
            self.fail(
                row,
                "Due",
                format!("`{due}` is not a date; write it as YYYY-MM-DD, e.g. 2026-12-15"),
            );
            return None;
        }
        let criteria = self.criteria_met(row, cells, id, q);
        Some(Fields {
            owner: self.cell(cells, "Owner"),
            status,
            note: self.cell(cells, "Note"),
            evidence: lines(&self.cell(cells, "Evidence")),
            criteria: sorted(criteria),
            action: self.cell(cells, "Action"),
            due,
        })
    }

    /// The criteria an older export's `Criteria met` cell lists, one a
    /// line; the first line that is not a criterion of `q` is an error,
    /// and the lines after it are not read.
    fn criteria_met(
        &mut self,
        row: u32,
        cells: &[String],
        id: &str,
        q: &crate::report::QuestionReport,
    ) -> Vec<String> {
        let mut criteria = Vec::new();
        for line in self
            .cell(cells, CRITERIA_MET)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            match q.criteria.iter().find(|c| {
                c.text.trim().eq_ignore_ascii_case(line) || c.id.eq_ignore_ascii_case(line)
            }) {
                Some(c) => criteria.push(c.id.clone()),
                None if q.criteria.is_empty() => {
                    self.fail(
                        row,
                        CRITERIA_MET,
                        format!("`{id}` has no criteria; leave this cell empty"),
                    );
                    break;
                }
                None => {
                    self.fail(
                        row,
                        CRITERIA_MET,
                        format!(
                            "`{line}` is not a criterion of `{id}`; list met criteria one a line, as exported"
                        ),
                    );
                    break;
                }
            }
        }
        criteria
    }

    /// Each question's criteria as marked in their own rows.
    fn attach_criteria(&mut self) {
        for edit in &mut self.edits {
            let Some(list) = self.marks.remove(&edit.id) else {
                continue;
            };
            let rows = (
                list.iter().map(|m| m.2).min().unwrap_or(edit.row),
                list.iter().map(|m| m.2).max().unwrap_or(edit.row),
            );
            edit.criteria_rows = Some(rows);
            // Rows left blank (a question not answered yet) say nothing:
            // the Status decides, as for a sheet without criterion rows.
            edit.criteria_marked = list.iter().any(|m| m.1.is_some());
            if edit.criteria_marked {
                edit.fields.criteria = sorted(
                    list.into_iter()
                        .filter(|m| m.1 == Some(true))
                        .map(|m| m.0)
                        .collect(),
                );
            }
        }
    }

    /// An error for the criterion rows whose question has no row.
    fn criteria_without_question(&mut self) {
        for (qid, list) in std::mem::take(&mut self.marks) {
            if self.seen.contains_key(&qid) {
                continue; // its question's row has an error of its own
            }
            self.errors.push(CellError {
                sheet: self.grid.sheet.clone(),
                row: list[0].2,
                column: self.letters.get("Id").map(|l| (l.clone(), "Id".to_string())),
                message: format!(
                    "a criterion of `{qid}` without the row of `{qid}` itself; keep the question's row as exported"
                ),
            });
        }
    }

    /// The edits, or every problem found.
    fn finish(self) -> Result<Vec<Edit>, Vec<CellError>> {
        if !self.changed_versions.is_empty() {
            // A sheet made for other questions is refused whole: its answers
            // would be recorded against questions the client never saw.
            let mut all = self.changed_versions;
            all.push(CellError {
                sheet: self.grid.sheet.clone(),
                row: self.grid.first_row,
                column: None,
                message: "the questions changed since this sheet was exported; nothing was imported. Export a new sheet and copy the answers over".into(),
            });
            return Err(all);
        }
        if self.errors.is_empty() {
            Ok(self.edits)
        } else {
            Err(self.errors)
        }
    }
}

/// A Due cell's date: `YYYY-MM-DD`, as the export writes it and as a date
/// cell of a workbook reads (see [`xlsx`]).
fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// A cell's text as compared and fingerprinted: line ends as `\n` (a
/// workbook may store `\r\n` and read back `\n`), no space around it.
fn norm(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_string()
}

/// The one formula guard of every spreadsheet cell the tool writes: see
/// [`crate::safe_text::sheet_cell`].
pub use crate::safe_text::sheet_cell as guard;

/// A cell guarded by [`guard`] (`'=...`) reads as what it was.
pub(crate) fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest)
            if rest.starts_with(crate::safe_text::FORMULA_STARTS) || rest.starts_with('\'') =>
        {
            rest
        }
        _ => text,
    }
}

/// The non-empty lines of a cell, each trimmed: the Evidence cell as read.
fn lines(text: &str) -> Vec<String> {
    norm(text)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// The evidence of an edited Evidence cell (`cell`, its lines) for an
/// answer whose evidence on disk is `old`. The export writes one entry a
/// line; a line that is an entry on disk stays that entry whole (a URL with
/// a comma in it included). A new line may list several entries, as the
/// audit accepts: split at a comma followed by a space, and at any comma
/// unless the line is a URL.
fn evidence_of(cell: &[String], old: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for line in cell {
        if old.iter().any(|o| o.trim() == line) {
            out.push(line.clone());
            continue;
        }
        let parts: Vec<&str> = if answers::is_url(line) {
            line.split(", ").collect()
        } else {
            line.split(',').collect()
        };
        out.extend(
            parts
                .into_iter()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(String::from),
        );
    }
    out
}

/// Merges `edits` into the answers on disk, question by question, as the
/// audit does: a row the person did not change (its cells still match the
/// export fingerprint) leaves the answer on disk alone; a changed row
/// replaces the answer's sheet fields, keeps everything else (waiver,
/// unknown keys), and is stamped with the question's version, the time and
/// who answered. A row changed in the sheet whose answer also changed on
/// disk since the export is a conflict: nothing is written.
pub fn merge(
    file: &AnswersFile,
    edits: &[Edit],
    r: &Report,
    by: Option<&str>,
    now: DateTime<FixedOffset>,
    sheet: &str,
) -> Result<(AnswersFile, Merge), Vec<CellError>> {
    let questions: BTreeMap<&str, &crate::report::QuestionReport> =
        r.questions().map(|(_, q)| (q.id.as_str(), q)).collect();
    let mut out = file.clone();
    let mut merge = Merge::default();
    let mut conflicts = Vec::new();
    for edit in edits {
        let q = questions[edit.id.as_str()];
        let role = q.owner.as_deref();
        // The role the Owner cell showed when the sheet was made: a role
        // renamed since then is neither an edit nor a change on disk.
        let shown_role = edit.exported_role.as_deref().or(role);
        let current = file.answers.get(&edit.id);
        let on_disk = Fields::of(current, shown_role);
        if edit.exported.as_deref() == Some(edit.fields.fingerprint().as_str()) {
            // Untouched in the sheet: whatever the answers file says now stays.
            merge.unchanged += 1;
            continue;
        }
        let before: Answer = current.cloned().unwrap_or_default();
        let mut a = before.clone();
        let (new, old) = (&edit.fields, &on_disk);
        let answer_changed = write_edited_cells(&mut a, new, old);
        match action(a.action.take().map(|b| *b), new, old, role, shown_role) {
            Ok(act) => a.action = act.map(Box::new),
            Err((header, message)) => {
                conflicts.push(cell_error(sheet, edit, header, &message));
                continue;
            }
        }
        if let Err(message) = tick_criteria(&mut a, edit, &on_disk, q) {
            conflicts.push(cell_error(sheet, edit, "Status", &message));
            continue;
        }
        if a == before {
            merge.unchanged += 1;
            continue;
        }
        if let Some(exported) = &edit.exported
            && on_disk.fingerprint() != *exported
        {
            conflicts.push(CellError {
                sheet: sheet.to_string(),
                row: edit.row,
                column: None,
                message: format!(
                    "`{}` was changed in the sheet and in the answers file since the export; nothing was imported. Export again, or make the two agree",
                    edit.id
                ),
            });
            continue;
        }
        let answer_changed = answer_changed || a.criteria_met != before.criteria_met;
        if answer_changed {
            a.question_version = semver::Version::parse(&q.version).ok();
            a.answered_at = Some(now);
            if let Some(by) = by {
                a.answered_by = Some(by.to_string());
            }
        }
        merge.details.push(changes(&before, &a));
        out.answers.insert(edit.id.clone(), a);
        merge.changed.push(edit.id.clone());
    }
    if conflicts.is_empty() {
        Ok((out, merge))
    } else {
        Err(conflicts)
    }
}

/// Writes into `a` only the cells of `new` that differ from the answer on
/// disk (`old`), so an untouched field keeps its exact text; true when the
/// status, note, evidence or criteria were edited.
fn write_edited_cells(a: &mut Answer, new: &Fields, old: &Fields) -> bool {
    let note_edited = norm(&new.note) != norm(&old.note);
    let evidence_edited = new.evidence != lines(&old.evidence.join("\n"));
    let answer_changed =
        new.status != old.status || note_edited || evidence_edited || new.criteria != old.criteria;
    if new.status != old.status {
        a.status = Status::from_text(&new.status);
    }
    if note_edited {
        a.note = Some(new.note.clone()).filter(|n| !n.is_empty());
    }
    if evidence_edited {
        a.evidence = evidence_of(&new.evidence, &old.evidence);
    }
    answer_changed
}

/// The error for the cell of `edit`'s row under `header`, naming its question.
fn cell_error(sheet: &str, edit: &Edit, header: &str, message: &str) -> CellError {
    CellError {
        sheet: sheet.to_string(),
        row: edit.row,
        column: edit.at(header),
        message: format!("`{}`: {message}", edit.id),
    }
}

/// Sets the criteria met, and the status they give, from the sheet's
/// criterion rows, when question `q` has criteria and they were edited.
fn tick_criteria(
    a: &mut Answer,
    edit: &Edit,
    on_disk: &Fields,
    q: &crate::report::QuestionReport,
) -> Result<(), String> {
    let criteria: Vec<String> = q.criteria.iter().map(|c| c.id.clone()).collect();
    if !criteria.is_empty() {
        match criteria_ticks(
            &edit.fields,
            on_disk,
            &criteria,
            edit.criteria_rows,
            edit.criteria_marked,
        ) {
            Ok(Some(ticks)) => {
                a.status = Some(Status::from_criteria(ticks.len(), criteria.len()));
                a.criteria_met = Some(ticks);
            }
            Ok(None) => {}
            Err(message) => return Err(message),
        }
    }
    Ok(())
}

/// For a question scored by its criteria, the criteria met after the edit
/// (`None`: leave them as they are). Ticks typed in the sheet win; a status
/// alone ticks all (met) or none (unmet), and partial keeps the ticks on
/// disk, which must give partial.
/// A status that disagrees with the ticks is an error.
fn criteria_ticks(
    sheet: &Fields,
    disk: &Fields,
    all: &[String],
    rows: Option<(u32, u32)>,
    marked: bool,
) -> Result<Option<Vec<String>>, String> {
    if sheet.status == disk.status && sheet.criteria == disk.criteria {
        return Ok(None);
    }
    let status = Status::from_text(&sheet.status);
    if status == Some(Status::NotApplicable) {
        return Ok(None);
    }
    // Ticks typed in the sheet win; an empty cell leaves it to the status.
    let ticks = if (marked || !sheet.criteria.is_empty()) && sheet.criteria != disk.criteria {
        sheet.criteria.clone()
    } else {
        match status {
            None => return Ok(None),
            Some(Status::Met) => all.to_vec(),
            Some(Status::Unmet) => Vec::new(),
            _ => disk.criteria.clone(),
        }
    };
    let derived = Status::from_criteria(ticks.len(), all.len());
    // Criteria marked in their rows under a Status left as it was: the
    // status follows the criteria.
    let status_edited = sheet.status != disk.status;
    match status {
        Some(s) if s != derived && (status_edited || !marked) => Err(match rows {
            Some((first, last)) => format!(
                "the Status says {s}, and the criteria marked met give {derived} ({} of {}); mark each criterion met or unmet in its row ({}) so that they agree (this question is scored by its criteria)",
                ticks.len(),
                all.len(),
                if first == last {
                    format!("row {first}")
                } else {
                    format!("rows {first} to {last}")
                }
            ),
            None => format!(
                "the Status says {s}, and the criteria met give {derived}; make them agree (this question is scored by its criteria)"
            ),
        }),
        _ => Ok(Some(sorted(ticks))),
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// The follow-up action after an edit of the Action, Due and Owner cells
/// (`new`) of an answer whose cells on disk are `old` and whose question is
/// owned by `role`. Only cells that differ from the answer on disk change
/// anything, and the action's unknown keys are kept.
///
/// - An empty Action cell means no action: clearing it removes the action
///   with its person and date, whatever the Owner and Due cells still show.
///   A date typed into Due, or a person other than the owner role typed
///   into Owner, on a row without an action is an error at that cell
///   (`Err((header, message))`): there is nothing to give them to.
/// - Owner names who does the action. The owner role (in any case) or an
///   empty cell means the owner does it: the action has no `who`.
fn action(
    current: Option<Action>,
    new: &Fields,
    old: &Fields,
    role: Option<&str>,
    shown_role: Option<&str>,
) -> Result<Option<Action>, (&'static str, String)> {
    let edited = |new: &str, old: &str| new.trim() != old.trim();
    let same =
        |r: Option<&str>, owner: &str| r.is_some_and(|r| r.trim().eq_ignore_ascii_case(owner));
    let is_role = |owner: &str| owner.is_empty() || same(role, owner) || same(shown_role, owner);
    let what = new.action.trim();
    if what.is_empty() {
        if !new.due.is_empty() && edited(&new.due, &old.due) {
            return Err((
                "Due",
                format!(
                    "`{}` is the due date of a follow-up action, and this row has none; write the action in the Action column, or clear this cell",
                    new.due
                ),
            ));
        }
        let owner = new.owner.trim();
        if !is_role(owner) && edited(owner, &old.owner) {
            return Err((
                "Owner",
                format!(
                    "`{owner}` would do the follow-up action, and this row has none; write the action in the Action column, or {} (a question's owner role is set in the playbook or supportcheck.yaml)",
                    match role {
                        Some(r) => format!("put back `{r}`"),
                        None => "clear this cell".to_string(),
                    }
                ),
            ));
        }
        return Ok(None);
    }
    let mut act = current.unwrap_or_else(|| Action {
        what: what.to_string(),
        who: None,
        due: None,
        extra: BTreeMap::new(),
    });
    if edited(what, &old.action) {
        act.what = what.to_string();
    }
    if edited(&new.due, &old.due) {
        // Checked by `read`: empty or a date.
        act.due = date(&new.due);
    }
    let owner = new.owner.trim();
    if edited(owner, &old.owner) {
        act.who = (!is_role(owner)).then(|| owner.to_string());
    }
    Ok(Some(act))
}

/// Checks the merged answers exactly as the answers file is checked (they
/// are written out and read back), and names the sheet row of each error.
pub fn validate(
    merged: &AnswersFile,
    edits: &[Edit],
    changed: &[String],
    sheet: &str,
) -> Vec<CellError> {
    let rows: BTreeMap<&str, &Edit> = edits.iter().map(|e| (e.id.as_str(), e)).collect();
    let changed: BTreeSet<&str> = changed.iter().map(String::as_str).collect();
    let mut errors = Vec::new();
    for id in changed {
        let mut one = AnswersFile::default();
        if let Some(a) = merged.answers.get(id) {
            one.answers.insert(id.to_string(), a.clone());
        }
        let text = answers::to_yaml(&one, &[id.to_string()]);
        let (_, findings) = answers::parse(&text, "sheet");
        for f in findings.iter().filter(|f| f.is_error()) {
            let edit = rows.get(id);
            errors.push(CellError {
                sheet: sheet.to_string(),
                row: edit.map_or(0, |e| e.row),
                column: column_of(f).and_then(|c| edit?.at(c)),
                message: f.message.clone(),
            });
        }
    }
    errors
}

/// The register column a finding about an answer is about.
fn column_of(f: &Finding) -> Option<&'static str> {
    use crate::diagnostic::Code;
    Some(match f.code {
        Code::Status => "Status",
        Code::NaReason => "Note",
        Code::EvidenceMissing | Code::EvidenceRequired => "Evidence",
        Code::Date => "Due",
        Code::Action => "Action",
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
