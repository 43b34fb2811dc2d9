//! The portfolio model: one row per product, read from each product's report
//! index, its latest JSON report or a live evaluation, with the filters, sort
//! orders and gate that `supportcheck portfolio` applies. Pure: the command
//! reads the files and the clock and hands the bytes and the time in here.

use crate::duration::Duration;
use crate::report::Report;
use crate::words::count;
use chrono::{DateTime, TimeDelta, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The JSON output's schema id.
pub const SCHEMA: &str = "supportcheck.portfolio/1";

/// What one product's latest version says.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct Snapshot {
    pub version: u64,
    pub generated_at: String,
    /// The report's schema id, as written (older and newer ones are read too).
    pub schema: String,
    /// The scoring rules' version, when the report says.
    pub scoring: Option<u64>,
    /// `ready`, `not-ready`, `blocked`, or whatever a newer report wrote.
    pub level: String,
    pub score: Option<f64>,
    pub min_score: Option<f64>,
    pub passed: Option<bool>,
    pub questions: usize,
    pub answered: usize,
    pub missing: usize,
    pub blockers: usize,
    pub expired_waivers: usize,
    /// Signed and total sign-offs, when the report carries any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signoffs: Option<Signoffs>,
    /// The maturity level reached and the target, when the report has levels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achieved_level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_level: Option<String>,
    /// Each level's questions and open questions, lowest first (empty:
    /// the report has no levels).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<crate::score::LevelTally>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, JsonSchema)]
pub struct Signoffs {
    pub signed: usize,
    pub total: usize,
}

/// One version's score, for the change column and the sparkline.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct Point {
    pub version: u64,
    pub generated_at: String,
    pub score: Option<f64>,
    pub level: String,
    /// The maturity level reached at this version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achieved_level: Option<String>,
    /// Each level's open questions at this version (for campaign burn-ups).
    #[serde(skip)]
    pub levels: Vec<crate::score::LevelTally>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct PlaybookScore {
    pub id: String,
    #[serde(default)]
    pub title: String,
    pub score: Option<f64>,
    /// Questions answered; 0 means nobody assessed it (absent in index
    /// lines written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<usize>,
}

/// Everything read about one product's reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub product: Option<String>,
    pub latest: Snapshot,
    /// Every version, oldest first, the latest included.
    pub history: Vec<Point>,
    pub playbooks: Vec<PlaybookScore>,
    /// The file name of the latest version's best output to open (see
    /// [`best_output`]), when it has one.
    pub html: Option<String>,
}

/// The file of version `n` a person would open, among `files` (names in its
/// reports folder): the HTML report, else the PDF, else a template's
/// output (HTML first), else the Markdown, else the JSON record.
pub fn best_output<'a>(n: u64, files: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let stem = format!("readiness-v{n}");
    let rank = |name: &str| -> Option<u8> {
        let rest = name.strip_prefix(&stem)?;
        match rest {
            ".html" => Some(0),
            ".pdf" => Some(1),
            ".md" => Some(4),
            ".json" => Some(5),
            r if r.starts_with('-') && r.ends_with(".html") => Some(2),
            r if r.starts_with('-') => Some(3),
            _ => None,
        }
    };
    files
        .into_iter()
        .filter_map(|f| rank(f).map(|r| (r, f)))
        .min()
        .map(|(_, f)| f.to_string())
}

/// Where a row's numbers come from.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The reports folder's `index.jsonl`.
    Index,
    /// The newest `readiness-v<N>.json` (a folder without an index).
    Report,
    /// `--live`: the project's current answers, scored now.
    Live,
    /// Nothing could be read.
    None,
}

/// The result of checking a product's hash chain (`--verify`).
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(tag = "state", content = "problems", rename_all = "kebab-case")]
pub enum Chain {
    Intact,
    Broken(Vec<String>),
}

/// One row of the portfolio.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Product {
    pub name: String,
    /// The project folder, or the reports folder when there is no project.
    pub path: String,
    pub reports: String,
    pub source: Source,
    pub latest: Option<Snapshot>,
    /// Score change since the previous version (live: since the latest report).
    pub change: Option<f64>,
    pub age_days: Option<i64>,
    #[serde(skip)]
    pub age: Option<TimeDelta>,
    pub history: Vec<Point>,
    pub playbooks: Vec<PlaybookScore>,
    /// The path of the latest version's best output (HTML, else PDF, else a
    /// template's output, ...), as shown.
    pub html: Option<String>,
    /// Why nothing (or not everything) could be read: names the file.
    pub problem: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain: Option<Chain>,
    /// The project's facts (`supportcheck.yaml`), which campaigns select by.
    #[serde(skip)]
    pub facts: BTreeMap<String, crate::config::FactValue>,
}

/// A product's state for filters and counts (`--level` takes these names).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    strum::EnumString,
    strum::VariantNames,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum State {
    Ready,
    NotReady,
    Blocked,
    /// A level this version does not know (a newer report).
    Other,
    NoReports,
    Unreadable,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Ready => "ready",
            State::NotReady => "not-ready",
            State::Blocked => "blocked",
            State::Other => "other",
            State::NoReports => "no-reports",
            State::Unreadable => "unreadable",
        }
    }
}

impl Product {
    /// A product whose reports could not be read, or that has none.
    pub fn empty(name: String, path: String, reports: String, problem: Option<String>) -> Product {
        Product {
            name,
            path,
            reports,
            source: Source::None,
            latest: None,
            change: None,
            age_days: None,
            age: None,
            history: Vec::new(),
            playbooks: Vec::new(),
            html: None,
            problem,
            chain: None,
            facts: BTreeMap::new(),
        }
    }

    pub fn state(&self) -> State {
        match &self.latest {
            None if self.problem.is_some() => State::Unreadable,
            None => State::NoReports,
            Some(s) => match s.level.as_str() {
                "ready" => State::Ready,
                "not-ready" => State::NotReady,
                "blocked" => State::Blocked,
                _ => State::Other,
            },
        }
    }

    /// Its report or index (or, live, its project) could not be read in
    /// full: the portfolio gate fails closed on it.
    pub fn unreadable(&self) -> bool {
        self.problem.is_some() || self.state() == State::Unreadable
    }

    /// The word shown in the level column.
    pub fn level_text(&self) -> &str {
        match &self.latest {
            Some(s) => &s.level,
            None => self.state().as_str(),
        }
    }

    /// Sets the age of the latest version against `now`. A version dated
    /// in the future has no age (so it counts as stale) and a note says so.
    pub fn set_age(&mut self, now: DateTime<Utc>) {
        let latest = self.latest.as_ref();
        let at = latest.and_then(|s| parse_time(&s.generated_at));
        if let Some(why) = latest.and_then(|s| crate::report::chain::bad_time(&s.generated_at, now))
            && at.is_some()
        {
            self.age = None;
            self.age_days = None;
            self.problem.get_or_insert(why);
            return;
        }
        self.age = at.map(|t| now - t);
        self.age_days = self.age.map(|a| a.num_days());
    }

    /// What is unusual about the row: an unread report, another schema or
    /// scoring version, a broken chain.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(p) = &self.problem {
            notes.push(p.clone());
        }
        if let Some(s) = &self.latest {
            if s.schema != crate::report::SCHEMA {
                notes.push(format!("schema {}", s.schema));
            }
            match s.scoring {
                Some(v) if v != u64::from(crate::score::SCORING_VERSION) => {
                    notes.push(format!("scoring rules v{v}"))
                }
                None => notes.push("scoring rules unknown".into()),
                _ => {}
            }
        } else if self.problem.is_none() {
            let inside = self
                .reports
                .strip_prefix(&self.path)
                .and_then(|r| r.strip_prefix('/'));
            notes.push(format!("no reports in {}", inside.unwrap_or(&self.reports)));
        }
        if let Some(Chain::Broken(problems)) = &self.chain {
            notes.push(format!("chain broken: {}", problems.join("; ")));
        }
        notes
    }

    fn score(&self) -> Option<f64> {
        self.latest.as_ref().and_then(|s| s.score)
    }
}

/// Applies what was read to a product row.
pub fn apply(product: &mut Product, record: Record, source: Source, html: Option<String>) {
    let previous = record
        .history
        .len()
        .checked_sub(2)
        .and_then(|i| record.history[i].score);
    product.change = match (record.latest.score, previous) {
        (Some(now), Some(before)) => Some(crate::score::round1(now - before)),
        _ => None,
    };
    if let Some(name) = record.product.filter(|n| !n.trim().is_empty())
        && product.name.is_empty()
    {
        product.name = name;
    }
    product.source = source;
    product.latest = Some(record.latest);
    product.history = record.history;
    product.playbooks = record.playbooks;
    product.html = html;
}

// ---------------------------------------------------------------------------
// Reading: the reports-folder index and the JSON report's summary.

/// One line of `index.jsonl` (the fields the portfolio needs; more may be there).
#[derive(Debug, Deserialize)]
struct IndexLine {
    version: u64,
    generated_at: String,
    #[serde(default)]
    schema: Option<String>,
    #[serde(default)]
    scoring: Option<u64>,
    #[serde(default)]
    product: Option<String>,
    #[serde(flatten)]
    summary: SummaryHead,
    #[serde(default)]
    passed: Option<bool>,
    #[serde(default)]
    playbooks: Vec<PlaybookScore>,
    #[serde(default)]
    files: BTreeMap<String, String>,
    #[serde(default)]
    signoffs: Option<serde_json::Value>,
}

/// The most versions a product's history keeps (the newest ones): the
/// sparkline and the change need no more, and an index of any length is
/// read in the memory of these.
pub const MAX_HISTORY: usize = 100;

/// Reads `index.jsonl` held whole: see [`IndexTail`].
pub fn from_index(text: &str) -> Result<Record, String> {
    let mut tail = IndexTail::default();
    for (i, line) in text.lines().enumerate() {
        tail.line(i + 1, line)?;
    }
    tail.finish()
}

/// `index.jsonl` read a line at a time, keeping only what its last lines
/// say: the last line is the latest version, and the newest
/// [`MAX_HISTORY`] lines are the points of the history. An error names
/// the line.
#[derive(Default)]
pub struct IndexTail {
    last: Option<IndexLine>,
    history: std::collections::VecDeque<Point>,
}

impl IndexTail {
    /// Takes line `number` (1-based) of the index.
    pub fn line(&mut self, number: usize, line: &str) -> Result<(), String> {
        if line.trim().is_empty() {
            return Ok(());
        }
        let parsed: IndexLine =
            serde_json::from_str(line).map_err(|e| format!("line {number}: {e}"))?;
        if self.history.len() == MAX_HISTORY {
            self.history.pop_front();
        }
        self.history.push_back(Point {
            version: parsed.version,
            generated_at: parsed.generated_at.clone(),
            score: parsed.summary.score,
            level: parsed.summary.level.clone(),
            achieved_level: parsed.summary.achieved_level.clone(),
            levels: parsed.summary.levels.clone(),
        });
        self.last = Some(parsed);
        Ok(())
    }

    /// The record of the latest version.
    pub fn finish(self) -> Result<Record, String> {
        let Some(last) = self.last else {
            return Err("the index has no versions".into());
        };
        Ok(Record {
            product: last.product,
            html: best_output(last.version, last.files.keys().map(String::as_str)),
            playbooks: last.playbooks,
            latest: snapshot(
                last.version,
                last.generated_at,
                last.schema.unwrap_or_else(|| "unknown".into()),
                last.scoring,
                last.passed,
                last.summary,
                last.signoffs.as_ref(),
            ),
            history: self.history.into(),
        })
    }
}

fn snapshot(
    version: u64,
    generated_at: String,
    schema: String,
    scoring: Option<u64>,
    passed: Option<bool>,
    s: SummaryHead,
    signoff_list: Option<&serde_json::Value>,
) -> Snapshot {
    Snapshot {
        version,
        generated_at,
        schema,
        scoring,
        level: s.level,
        score: s.score,
        min_score: s.min_score,
        passed,
        questions: s.questions,
        answered: s.answered,
        missing: s.missing,
        blockers: s.blockers,
        expired_waivers: s.expired_waivers,
        signoffs: signoff_list.and_then(signoffs),
        achieved_level: s.achieved_level,
        target_level: s.target_level,
        levels: s.levels,
    }
}

/// The head of a JSON report. Fields not named here (each playbook's
/// `questions`, `sections`, `orphaned`) are skipped by serde without being
/// built, so a report of any size costs one scan and no allocation for them.
#[derive(Debug, Deserialize)]
struct ReportHead {
    schema: String,
    #[serde(default)]
    scoring: Option<u64>,
    #[serde(default)]
    report_version: Option<u64>,
    generated_at: String,
    #[serde(default)]
    product: Option<String>,
    summary: SummaryHead,
    #[serde(default)]
    gate: Option<GateHead>,
    #[serde(default)]
    playbooks: Vec<PlaybookScore>,
    #[serde(default)]
    trend: Vec<TrendHead>,
    #[serde(default)]
    signoffs: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct SummaryHead {
    score: Option<f64>,
    level: String,
    #[serde(default)]
    questions: usize,
    #[serde(default)]
    answered: usize,
    #[serde(default)]
    missing: usize,
    #[serde(default)]
    blockers: usize,
    #[serde(default)]
    expired_waivers: usize,
    #[serde(default)]
    min_score: Option<f64>,
    #[serde(default)]
    achieved_level: Option<String>,
    #[serde(default)]
    target_level: Option<String>,
    #[serde(default)]
    levels: Vec<crate::score::LevelTally>,
}

#[derive(Debug, Deserialize)]
struct GateHead {
    #[serde(default)]
    passed: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct TrendHead {
    report_version: u64,
    generated_at: String,
    score: Option<f64>,
    level: String,
    #[serde(default)]
    achieved_level: Option<String>,
}

/// Reads the summary of a JSON report (`version` comes from the file name
/// when the report has none). Its `trend` gives the earlier versions.
pub fn from_report_json(bytes: &[u8], version: u64) -> Result<Record, String> {
    let head: ReportHead = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    record_of(head, version)
}

/// [`from_report_json`] from a stream: what the portfolio does not read is
/// skipped as it passes, so a report of any size takes the memory of its
/// summary.
pub fn from_report_reader(reader: impl std::io::Read, version: u64) -> Result<Record, String> {
    let head: ReportHead = serde_json::from_reader(reader).map_err(|e| e.to_string())?;
    record_of(head, version)
}

fn record_of(head: ReportHead, version: u64) -> Result<Record, String> {
    let version = head.report_version.unwrap_or(version);
    let mut history: Vec<Point> = head
        .trend
        .into_iter()
        .map(|t| Point {
            version: t.report_version,
            generated_at: t.generated_at,
            score: t.score,
            level: t.level,
            achieved_level: t.achieved_level,
            levels: Vec::new(),
        })
        .collect();
    history.push(Point {
        version,
        generated_at: head.generated_at.clone(),
        score: head.summary.score,
        level: head.summary.level.clone(),
        achieved_level: head.summary.achieved_level.clone(),
        levels: head.summary.levels.clone(),
    });
    history.drain(..history.len().saturating_sub(MAX_HISTORY));
    Ok(Record {
        product: head.product,
        latest: snapshot(
            version,
            head.generated_at,
            head.schema,
            head.scoring,
            head.gate.and_then(|g| g.passed),
            head.summary,
            head.signoffs.as_ref(),
        ),
        history,
        playbooks: head.playbooks,
        html: None,
    })
}

/// A live evaluation as a record: `reported` is what the reports say
/// (for the history and the change since the latest report).
pub fn from_live(report: &Report, reported: Option<&Record>) -> Record {
    let s = &report.summary;
    let mut history = reported.map(|r| r.history.clone()).unwrap_or_default();
    let version = history.last().map_or(0, |p| p.version);
    // The age is the latest report's: a live score does not make a product's
    // reports any fresher. Never reported: no date, so it counts as stale.
    let reported_at = reported.map_or_else(String::new, |r| r.latest.generated_at.clone());
    history.push(Point {
        version,
        generated_at: report.generated_at.clone(),
        score: Some(s.score),
        level: s.level.as_str().to_string(),
        achieved_level: s.achieved_level.clone(),
        levels: s.levels.clone(),
    });
    Record {
        product: report.product.clone(),
        latest: Snapshot {
            version,
            generated_at: reported_at,
            schema: report.schema.to_string(),
            scoring: Some(u64::from(report.scoring)),
            level: s.level.as_str().to_string(),
            score: Some(s.score),
            min_score: Some(s.min_score),
            passed: Some(report.gate.passed),
            questions: s.questions,
            answered: s.answered,
            missing: s.missing,
            blockers: s.blockers,
            expired_waivers: s.expired_waivers,
            signoffs: (!report.signoffs.is_empty()).then(|| Signoffs {
                signed: report
                    .signoffs
                    .iter()
                    .filter(|x| x.state == crate::team::SignoffState::Signed)
                    .count(),
                total: report.signoffs.len(),
            }),
            achieved_level: s.achieved_level.clone(),
            target_level: s.target_level.clone(),
            levels: s.levels.clone(),
        },
        history,
        playbooks: report
            .playbooks
            .iter()
            .map(|p| PlaybookScore {
                id: p.id.clone(),
                title: p.title.clone(),
                score: Some(p.score),
                answered: Some(p.answered),
            })
            .collect(),
        html: reported.and_then(|r| r.html.clone()),
    }
}

/// Sign-offs as the report carries them: a list (or a map by role) whose
/// entries say `status: signed` when current.
fn signoffs(value: &serde_json::Value) -> Option<Signoffs> {
    let entries: Vec<&serde_json::Value> = match value {
        serde_json::Value::Array(a) => a.iter().collect(),
        serde_json::Value::Object(m) => m.values().collect(),
        _ => return None,
    };
    let signed = entries
        .iter()
        .filter(|e| {
            ["status", "state"]
                .iter()
                .any(|k| e.get(k).and_then(|v| v.as_str()) == Some("signed"))
        })
        .count();
    Some(Signoffs {
        signed,
        total: entries.len(),
    })
}

pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

// ---------------------------------------------------------------------------
// Filters, order and gate.

/// A condition of the portfolio gate (`--fail-if`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FailIf {
    /// Any product is blocked.
    Blocked,
    /// Any product is not ready (blocked, no reports and unreadable included).
    NotReady,
    /// Any product's latest report is older than this, or it has none.
    Stale(Duration),
    /// Any product in the `--campaign` is past its due date and not there.
    CampaignOverdue,
}

impl std::str::FromStr for FailIf {
    type Err = String;
    fn from_str(s: &str) -> Result<FailIf, String> {
        match s {
            "blocked" => Ok(FailIf::Blocked),
            "not-ready" => Ok(FailIf::NotReady),
            "campaign-overdue" => Ok(FailIf::CampaignOverdue),
            _ => match s.strip_prefix("stale:") {
                Some(age) => Duration::parse(age)
                    .map(FailIf::Stale)
                    .map_err(|e| format!("`{s}`: {e}")),
                None => Err(format!(
                    "`{s}`: expected blocked, not-ready, campaign-overdue or stale:<age> (like stale:30d)"
                )),
            },
        }
    }
}

impl FailIf {
    /// Whether `p` fails this condition. Fails closed: a product whose
    /// report or index cannot be read fails every condition, since what it
    /// hides could be anything.
    pub fn matches(self, p: &Product) -> bool {
        if p.unreadable() {
            return true;
        }
        match self {
            FailIf::Blocked => p.state() == State::Blocked,
            // Not ready: its level, or its gate's verdict, says so.
            FailIf::NotReady => {
                p.state() != State::Ready || p.latest.as_ref().and_then(|s| s.passed) == Some(false)
            }
            FailIf::Stale(limit) => p.age.is_none_or(|a| a > limit.elapsed()),
            // Judged by the campaign, not by a product alone.
            FailIf::CampaignOverdue => false,
        }
    }

    pub fn describe(self) -> String {
        match self {
            FailIf::Blocked => "blocked".into(),
            FailIf::NotReady => "not ready".into(),
            FailIf::Stale(d) => format!("no report in the last {}", d.words()),
            FailIf::CampaignOverdue => "overdue in the campaign".into(),
        }
    }

    /// What the products shown match, as a sentence about `n` of them:
    /// `2 products are blocked`, `1 product has no report in the last 30 days`.
    pub fn sentence(self, n: usize) -> String {
        let products = count(n, "product");
        let verb = |one: &str, many: &str| {
            if n == 1 {
                one.to_string()
            } else {
                many.to_string()
            }
        };
        match self {
            FailIf::Blocked => format!("{products} {} blocked", verb("is", "are")),
            FailIf::NotReady => format!("{products} {} not ready", verb("is", "are")),
            FailIf::Stale(_) => format!("{products} {} {}", verb("has", "have"), self.describe()),
            FailIf::CampaignOverdue => {
                format!("{products} {} overdue in the campaign", verb("is", "are"))
            }
        }
    }
}

/// Which rows to show.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only these states (empty: all).
    pub states: Vec<State>,
    /// Only products whose latest report is older than this (or that have none).
    pub older_than: Option<Duration>,
}

impl Filter {
    pub fn keeps(&self, p: &Product) -> bool {
        (self.states.is_empty() || self.states.contains(&p.state()))
            && self
                .older_than
                .is_none_or(|limit| p.age.is_none_or(|a| a > limit.elapsed()))
    }
}

/// Row orders (`--sort`). Products without a readable report come last in each.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    strum::EnumString,
    strum::VariantNames,
    strum::Display,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Order {
    /// By path, as found.
    #[default]
    Path,
    /// Lowest score first.
    Score,
    /// Oldest report first.
    Age,
    /// Most blockers first.
    Blockers,
}

pub fn sort(products: &mut [Product], order: Order) {
    products.sort_by(|a, b| {
        let unread = |p: &Product| p.latest.is_none();
        unread(a)
            .cmp(&unread(b))
            .then_with(|| order.compare(a, b))
            .then_with(|| a.path.cmp(&b.path))
    });
}

impl Order {
    /// How `a` and `b` compare by this order alone.
    fn compare(self, a: &Product, b: &Product) -> std::cmp::Ordering {
        match self {
            Order::Path => std::cmp::Ordering::Equal,
            Order::Score => a
                .score()
                .unwrap_or(f64::INFINITY)
                .total_cmp(&b.score().unwrap_or(f64::INFINITY)),
            Order::Age => b.age.cmp(&a.age),
            Order::Blockers => {
                let n = |p: &Product| p.latest.as_ref().map_or(0, |s| s.blockers);
                n(b).cmp(&n(a))
            }
        }
    }
}

/// The JSON output of `portfolio --format json`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "supportcheck portfolio")]
pub struct Output<'a> {
    /// Always `supportcheck.portfolio/1`.
    #[schemars(extend("const" = "supportcheck.portfolio/1"))]
    pub schema: &'a str,
    /// When the portfolio was made (RFC 3339, UTC).
    pub generated_at: &'a str,
    pub summary: &'a Counts,
    /// The products shown, in the order shown.
    pub products: &'a [Product],
    /// Each product's progress toward `--campaign`, when one is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign: Option<&'a campaign::Outcome>,
}

/// How many products are in each state.
#[derive(Debug, Clone, Default, Serialize, PartialEq, JsonSchema)]
pub struct Counts {
    pub products: usize,
    pub ready: usize,
    pub not_ready: usize,
    pub blocked: usize,
    pub other: usize,
    pub no_reports: usize,
    pub unreadable: usize,
    pub broken_chains: usize,
}

pub fn counts(products: &[Product]) -> Counts {
    let mut c = Counts {
        products: products.len(),
        ..Counts::default()
    };
    for p in products {
        match p.state() {
            State::Ready => c.ready += 1,
            State::NotReady => c.not_ready += 1,
            State::Blocked => c.blocked += 1,
            State::Other => c.other += 1,
            State::NoReports => c.no_reports += 1,
            State::Unreadable => c.unreadable += 1,
        }
        if matches!(p.chain, Some(Chain::Broken(_))) {
            c.broken_chains += 1;
        }
    }
    c
}

impl Counts {
    /// `3 products: 1 ready, 1 not ready, 1 blocked` (zero counts left out
    /// except the three levels).
    pub fn line(&self) -> String {
        let mut parts = vec![
            format!("{} ready", self.ready),
            format!("{} not ready", self.not_ready),
            format!("{} blocked", self.blocked),
        ];
        for (n, what) in [
            (self.other, "with another level"),
            (self.no_reports, "without reports"),
            (self.unreadable, "unreadable"),
            (self.broken_chains, "with a broken chain"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        format!("{}: {}", count(self.products, "product"), parts.join(", "))
    }
}

/// The playbooks across products, matched by id, in the order first seen.
pub fn playbook_columns(products: &[Product]) -> Vec<PlaybookScore> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for p in products {
        for pb in &p.playbooks {
            if seen.insert(pb.id.as_str()) {
                out.push(PlaybookScore {
                    id: pb.id.clone(),
                    title: pb.title.clone(),
                    score: None,
                    answered: None,
                });
            }
        }
    }
    out
}

/// `target` relative to the folder `base`, both absolute (or both relative
/// to the same folder); `..` and `.` are resolved by name.
pub fn relative_path(target: &Path, base: &Path) -> PathBuf {
    let t = normalise(target);
    let b = normalise(base);
    let common = t.iter().zip(b.iter()).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    out
}

fn normalise(p: &Path) -> Vec<std::ffi::OsString> {
    let mut out: Vec<std::ffi::OsString> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str().to_os_string()),
        }
    }
    out
}

pub mod campaign;

#[cfg(test)]
mod tests;
