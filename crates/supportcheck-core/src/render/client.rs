//! The report as a client reads it: the executive summary, human section
//! titles, plain sentences for findings, dates in a timezone, links for web
//! evidence. The HTML (and so the PDF) and user templates render this view.

use super::{num, pct};
use crate::config::Branding;
use crate::diagnostic::{Code, Finding};
use crate::gate::FailOn;
use crate::report::plan::PlanGap;
pub use crate::report::plan::person;
use crate::report::{GroupReport, PlaybookReport, QuestionReport, Report};
use crate::score::State;
use crate::team::SignoffStatus;
use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// How many gaps the executive summary lists: the first of the plan.
pub use crate::report::plan::TOP_GAPS;
/// How many blockers page one names; the rest are counted.
pub const TOP_BLOCKERS: usize = 5;

/// What the client view is made with besides the report: the config's
/// `report:` keys, the logo the shell read, the timezone and `--show-ids`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub branding: Branding,
    /// The logo as a `data:` URI.
    pub logo: Option<String>,
    pub tz: Option<Tz>,
    pub show_ids: bool,
    /// Local evidence a client bundle carries: the evidence as written in
    /// the answer (trimmed) to its relative link in the bundle
    /// (`evidence/docs/sla.md`). Empty outside a bundle.
    pub attached: Attached,
}

/// Local evidence in a client bundle, by its text, to its relative link.
pub type Attached = Arc<std::collections::BTreeMap<String, String>>;

#[derive(Debug, Serialize)]
pub struct View {
    pub title: String,
    pub client: Option<String>,
    pub product: Option<String>,
    pub prepared_by: Option<String>,
    pub accent: String,
    pub logo: Option<String>,
    pub version: Option<u64>,
    /// The report's date, e.g. `30 November 2026`.
    pub date: String,
    pub timezone: String,
    pub show_ids: bool,
    /// The running footer of printed pages, as a CSS string literal.
    pub footer_css: String,
    pub summary: ExecutiveSummary,
    /// Every gap, heaviest first: the improvement plan.
    pub plan: Lazy<Gap>,
    pub sections: Vec<SectionView>,
    pub waivers: Vec<WaiverView>,
    pub orphaned: Vec<String>,
    /// Each playbook's score, in report order (the bar chart).
    pub bars: Vec<Bar>,
    /// The bar as a number, 0–100 (the chart's line).
    pub min_score: f64,
    pub signoffs: Vec<SignoffView>,
    pub tool_version: String,
    /// The version of the scoring rules.
    pub scoring: u32,
    /// The assessor's summary, which leads page one.
    pub assessor: Option<AssessorView>,
    /// Each section (or, without sections, each playbook) in one line: the
    /// at-a-glance table of page one.
    pub glance: Vec<GlanceRow>,
    /// The plan grouped by when and by who.
    pub roadmap: Vec<RoadmapView>,
    /// Waivers, critical questions marked not applicable and questions a
    /// condition left out, and the score without them.
    pub risk: RiskView,
    /// How the score was computed, for auditors.
    pub method: MethodView,
}

/// The assessor's summary as safe HTML (see [`super::prose`]).
#[derive(Debug, Serialize)]
pub struct AssessorView {
    pub html: String,
    /// The file it came from.
    pub path: String,
}

/// One line of the at-a-glance table.
#[derive(Debug, Serialize)]
pub struct GlanceRow {
    pub title: String,
    /// `None` when nothing in it is assessed yet.
    pub score: Option<String>,
    pub score_value: f64,
    pub answered: usize,
    pub questions: usize,
    pub blockers: usize,
    /// `blocked`, `below`, `above` or `not-assessed` (a CSS class, and the
    /// bar chart's colour).
    pub class: &'static str,
    /// The first sentence of the section's note, if it has one.
    pub note: Option<String>,
}

/// One horizon of the roadmap.
#[derive(Debug, Serialize)]
pub struct RoadmapView {
    /// `Overdue`, `Next 30 days`, ...
    pub title: String,
    /// `overdue`, `within-30`, ... (a CSS class).
    pub class: &'static str,
    pub count: usize,
    pub owners: Vec<OwnerPlan>,
}

/// One owner's gaps within a horizon, heaviest first.
#[derive(Debug, Serialize)]
pub struct OwnerPlan {
    /// The people (or the person, or the role when it has no people).
    pub owner: Option<String>,
    /// The role, when the owner is a role with people.
    pub role: Option<String>,
    pub gaps: Lazy<Gap>,
}

#[derive(Debug, Serialize)]
pub struct RiskView {
    pub items: Vec<RiskRow>,
    /// The score as it is.
    pub score: String,
    /// The score if every accepted risk were a gap.
    pub score_if_gaps: String,
    /// Critical questions among them.
    pub critical: usize,
}

#[derive(Debug, Serialize)]
pub struct RiskRow {
    pub id: String,
    /// The question, or for a playbook left out as a whole, its title and
    /// how many questions it holds.
    pub question: String,
    pub playbook: String,
    /// `waiver`, `critical-not-applicable` or `skipped`.
    pub kind: String,
    /// The kind in words.
    pub kind_words: String,
    pub critical: bool,
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    pub until: Option<String>,
    pub expired: bool,
}

/// The method appendix: the formula, the rules, the ledger digests.
#[derive(Debug, Serialize)]
pub struct MethodView {
    pub scoring: u32,
    pub tool_version: String,
    pub min_score: String,
    pub digests: Vec<Digest>,
    pub previous_version: Option<u64>,
    pub previous_sha256: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Digest {
    pub title: String,
    pub path: String,
    /// The path cut after each `/`, so it wraps between folder names.
    pub path_parts: Vec<String>,
    pub sha256: String,
}

/// A sign-off, with the people of its role.
#[derive(Debug, Serialize)]
pub struct SignoffView {
    #[serde(flatten)]
    pub status: SignoffStatus,
    /// The role's people, when the config names them.
    pub people: Option<String>,
}

/// One playbook in the bar chart of scores.
#[derive(Debug, Serialize)]
pub struct Bar {
    pub title: String,
    pub score: f64,
    pub blockers: usize,
    /// Nothing in it is answered: drawn as "not assessed", not as 0.
    pub assessed: bool,
    /// `blocked`, `below`, `above` or `not-assessed`.
    pub class: &'static str,
}

/// Page one: the verdict, the score against the bar, the trend, blockers
/// and the costliest gaps.
#[derive(Debug, Serialize)]
pub struct ExecutiveSummary {
    /// `READY`, `NOT READY`, `BLOCKED`.
    pub verdict: String,
    /// `ready`, `not-ready`, `blocked` (a CSS class).
    pub level: String,
    /// One sentence that says what the verdict means.
    pub verdict_sentence: String,
    pub score: String,
    pub bar: String,
    pub passed: bool,
    pub answered: usize,
    pub questions: usize,
    pub trend: Option<Trend>,
    /// The first blockers, in question order ([`TOP_BLOCKERS`]).
    pub blockers: Vec<Gap>,
    /// Blockers not named on page one.
    pub more_blockers: usize,
    pub top_gaps: Vec<Gap>,
    /// The maturity level line (absent when the set declares no levels).
    pub maturity: Option<String>,
    /// Questions that start to count within 30 days.
    pub upcoming: Vec<String>,
    /// How much of the score automatic checks verify, when the project
    /// uses probes.
    pub verified: Option<String>,
    /// That the gate failed, after the verdict sentence, with the reasons
    /// the sentence does not already give (absent when it passed).
    pub gate_line: Option<String>,
    /// Every critical question set aside (waived, not applicable, skipped
    /// by a condition): on page one, never silently.
    pub set_aside: Vec<SetAsideView>,
}

/// A critical question set aside, for page one.
#[derive(Debug, Serialize)]
pub struct SetAsideView {
    pub id: String,
    pub question: String,
    pub playbook: String,
    /// `waived`, `not applicable`, `skipped by condition`, ...
    pub how: String,
    /// The reason, the date and who approved.
    pub detail: String,
}

#[derive(Debug, Serialize)]
pub struct Trend {
    pub previous_version: u64,
    pub previous_score: String,
    /// `+4.5`, `-2.0`, `±0.0`.
    pub delta: String,
    /// `up`, `down` or `same`.
    pub direction: &'static str,
    /// Every version's score, oldest first, this one last (for the chart).
    pub points: Vec<(u64, f64)>,
}

/// A question that is not met: what it costs and who acts on it.
#[derive(Debug, Serialize)]
pub struct Gap {
    pub id: String,
    pub playbook: String,
    pub question: String,
    pub expectation: String,
    /// The expectation's first sentence, cut short when long (the full
    /// text is in the question-by-question appendix).
    pub expectation_short: String,
    pub status: String,
    pub status_class: String,
    pub critical: bool,
    /// Score points the gap costs overall, e.g. `3.2`.
    pub points: String,
    /// The people who act (a role's people when it has them).
    pub owner: Option<String>,
    /// The role, when `owner` is its people.
    pub owner_role: Option<String>,
    /// The assessor's note on the answer.
    pub note: Option<String>,
    pub due: Option<String>,
    pub action: Option<String>,
    /// The follow-up action's due date has passed.
    pub overdue: bool,
    pub waived_until: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SectionView {
    pub id: Option<String>,
    pub title: Option<String>,
    pub score: Option<String>,
    /// The assessor's note on the section, as safe HTML.
    pub note: Option<String>,
    pub playbooks: Vec<PlaybookView>,
}

#[derive(Debug, Serialize)]
pub struct PlaybookView {
    pub id: String,
    pub title: String,
    pub score: String,
    pub score_value: f64,
    pub answered: usize,
    pub questions: usize,
    pub blockers: usize,
    /// The maturity level the playbook reaches (absent without levels).
    pub level: Option<String>,
    pub rows: Lazy<Row>,
}

/// One question in the question-by-question part.
#[derive(Debug, Serialize)]
pub struct Row {
    pub id: String,
    pub order: u64,
    pub question: String,
    pub expectation: String,
    pub critical: bool,
    pub status: String,
    pub status_class: String,
    pub credit: Option<String>,
    pub criteria: Vec<CriterionView>,
    pub waived_until: Option<String>,
    pub waiver_expired: bool,
    /// Findings as plain sentences.
    pub notices: Vec<Notice>,
    pub note: Option<String>,
    pub evidence: Vec<Evidence>,
    pub answered_by: Option<String>,
    pub answered_on: Option<String>,
    pub owner: Option<String>,
    pub owner_role: Option<String>,
    pub due: Option<String>,
    /// `Verified by automatic checks on 23 November 2026` or `Attested`,
    /// when the project uses probes and the question has a status.
    pub provenance: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CriterionView {
    pub text: String,
    /// `met`, `unmet` or `not-assessed`.
    pub state: &'static str,
    pub mark: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Notice {
    /// `error`, `warning` or `note` (a CSS class).
    pub severity: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct Evidence {
    pub text: String,
    /// Set for http and https URLs only; anything else is shown as text.
    pub href: Option<String>,
    /// The text cut after `/`, `.`, `?`, `&`, `=`, `#`, `-` and `_`, so a
    /// long URL or path wraps there rather than mid-word.
    pub parts: Vec<String>,
    /// A path in the project's files rather than a web address.
    pub local: bool,
    /// A local file or folder a client bundle carries; `href` is then its
    /// relative link in the bundle.
    pub attached: bool,
}

#[derive(Debug, Serialize)]
pub struct WaiverView {
    pub id: String,
    pub question: String,
    pub reason: String,
    pub until: String,
    pub approved_by: Option<String>,
    pub expired: bool,
}

/// A long list in the view (the plan, a playbook's rows), made from the
/// report's shared playbooks one item at a time. Serialized, it is a plain
/// list; handed to a template, it is a sequence whose items are made only
/// as the template reaches them. So a report of 50,000 questions is never
/// copied into rows, or into template values, all at once.
pub struct Lazy<T> {
    len: usize,
    item: Arc<dyn Fn(usize) -> T + Send + Sync>,
}

impl<T> Clone for Lazy<T> {
    fn clone(&self) -> Self {
        Lazy {
            len: self.len,
            item: self.item.clone(),
        }
    }
}

impl<T> Lazy<T> {
    fn new(len: usize, item: impl Fn(usize) -> T + Send + Sync + 'static) -> Self {
        Lazy {
            len,
            item: Arc::new(item),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, i: usize) -> Option<T> {
        (i < self.len).then(|| (self.item)(i))
    }

    /// Every item, made in turn.
    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        (0..self.len).map(|i| (self.item)(i))
    }
}

impl<T> fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lazy({} items)", self.len)
    }
}

impl<T: Serialize + 'static> Serialize for Lazy<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if minijinja::value::serializing_for_value() {
            minijinja::Value::from_object(LazySeq(self.clone())).serialize(s)
        } else {
            s.collect_seq(self.iter())
        }
    }
}

/// A [`Lazy`] list as a template sequence.
struct LazySeq<T>(Lazy<T>);

impl<T> fmt::Debug for LazySeq<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: Serialize + 'static> minijinja::value::Object for LazySeq<T> {
    fn repr(self: &Arc<Self>) -> minijinja::value::ObjectRepr {
        minijinja::value::ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &minijinja::Value) -> Option<minijinja::Value> {
        let item = self.0.get(key.as_usize()?)?;
        Some(minijinja::Value::from_serialize(&item))
    }

    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        minijinja::value::Enumerator::Seq(self.0.len())
    }
}

/// The client view of `r`.
pub fn view(r: &Report, o: &Options) -> View {
    let b = &o.branding;
    let tz = o.tz.unwrap_or(Tz::UTC);
    let owners: Owners = Arc::new(r.owners.clone());
    let plan = r.plan();
    let top_gaps = plan
        .top()
        .iter()
        .map(|g| make_gap(g.playbook(r), g.question(r), g.points, &owners))
        .collect();
    let roadmap = roadmap_views(r, &plan, &owners);
    let sections = sections(r, o, tz);
    let (blockers, more_blockers) = top_blockers(r, &plan, &owners);
    let title = b
        .title
        .clone()
        .unwrap_or_else(|| "Support readiness".to_string());
    let date = date_of(&r.generated_at, tz).unwrap_or_else(|| r.generated_at.clone());
    let footer = footer(&title, b, r, &date);
    View {
        title,
        client: b.client.clone(),
        product: r.product.clone(),
        prepared_by: b.prepared_by.clone(),
        accent: b
            .accent
            .clone()
            .filter(|a| crate::config::valid_colour(a))
            .unwrap_or_else(|| "#3b6fd8".to_string()),
        logo: o.logo.clone(),
        version: r.report_version,
        date,
        timezone: tz.name().to_string(),
        show_ids: o.show_ids,
        footer_css: css_string(&footer),
        summary: ExecutiveSummary {
            verdict: r.summary.level.headline().to_string(),
            level: r.summary.level.as_str().to_string(),
            verdict_sentence: verdict_sentence(r),
            score: pct(r.summary.score),
            bar: pct(r.summary.min_score),
            passed: r.gate.passed,
            answered: r.summary.answered,
            questions: r.summary.questions,
            trend: trend(r),
            blockers,
            more_blockers,
            top_gaps,
            gate_line: gate_line(r),
            set_aside: set_aside_views(r, &plan),
            maturity: super::maturity_words(r),
            upcoming: super::upcoming_lines(r),
            verified: r.uses_probes().then(|| verified_words(r)),
        },
        plan: gap_list(r, &owners, plan.gaps.clone()),
        glance: glance(r, &sections),
        sections,
        roadmap,
        risk: risk(r, &owners),
        method: method_view(r),
        assessor: assessor_view(r),
        waivers: waiver_views(r),
        orphaned: r.orphaned.iter().map(|o| o.id.clone()).collect(),
        bars: bars(r),
        min_score: r.summary.min_score,
        signoffs: signoff_views(r, &owners),
        tool_version: r.tool_version.clone(),
        scoring: r.scoring,
    }
}

/// The first [`TOP_BLOCKERS`] blockers, and how many more there are.
fn top_blockers(
    r: &Report,
    plan: &crate::report::plan::Plan,
    owners: &Owners,
) -> (Vec<Gap>, usize) {
    let all_blockers: Vec<_> = r.questions().filter(|(_, q)| q.blocker).collect();
    let more_blockers = all_blockers.len().saturating_sub(TOP_BLOCKERS);
    let blockers = all_blockers
        .into_iter()
        .take(TOP_BLOCKERS)
        .map(|(p, q)| make_gap(p, q, plan.points_of(q), owners))
        .collect();
    (blockers, more_blockers)
}

/// The assessor's summary as HTML, when there is one.
fn assessor_view(r: &Report) -> Option<AssessorView> {
    r.assessor
        .as_ref()
        .filter(|a| !a.summary.trim().is_empty())
        .map(|a| AssessorView {
            html: super::prose::to_html(&super::prose::blocks(&a.summary)),
            path: a.path.clone(),
        })
}

/// The gaps of `gaps`, each made into a view only when it is shown.
fn gap_list(r: &Report, owners: &Owners, gaps: Vec<PlanGap>) -> Lazy<Gap> {
    let playbooks = r.playbooks.clone();
    let owners = owners.clone();
    Lazy::new(gaps.len(), move |i| {
        let (p, q) = gaps[i].at;
        make_gap(
            &playbooks[p],
            &playbooks[p].questions[q],
            gaps[i].points,
            &owners,
        )
    })
}

/// The roadmap: each horizon with its gaps by owner.
fn roadmap_views(
    r: &Report,
    plan: &crate::report::plan::Plan,
    owners: &Owners,
) -> Vec<RoadmapView> {
    plan.roadmap
        .iter()
        .map(|h| RoadmapView {
            title: h.horizon.title().to_string(),
            class: h.horizon.as_str(),
            count: h.owners.iter().map(|o| o.gaps.len()).sum(),
            owners: h
                .owners
                .iter()
                .map(|o| {
                    let (owner, role) = match &o.owner {
                        Some(name) => {
                            let (who, role) = person(owners, name);
                            (Some(who), role)
                        }
                        None => (None, None),
                    };
                    OwnerPlan {
                        owner,
                        role,
                        gaps: gap_list(r, owners, o.gaps.iter().map(|&i| plan.gaps[i]).collect()),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The footer line: title, client and product once each, version and date.
fn footer(title: &str, b: &Branding, r: &Report, date: &str) -> String {
    let mut footer: Vec<String> = [Some(title), b.client.as_deref(), r.product.as_deref()]
        .into_iter()
        .flatten()
        .map(str::to_string)
        .collect();
    footer.dedup();
    if let Some(v) = r.report_version {
        footer.push(format!("version {v}"));
    }
    footer.push(date.to_string());
    footer.join(" · ")
}

/// The questions set aside, and how.
fn set_aside_views(r: &Report, plan: &crate::report::plan::Plan) -> Vec<SetAsideView> {
    plan.set_aside
        .iter()
        .map(|s| {
            let (p, q) = (&r.playbooks[s.at.0], &r.playbooks[s.at.0].questions[s.at.1]);
            SetAsideView {
                id: q.id.clone(),
                question: q.question.clone(),
                playbook: p.title.clone(),
                how: s.how.words().to_string(),
                detail: q.set_aside_detail(),
            }
        })
        .collect()
}

/// How the report was made: scoring rules, tool, bar and playbook digests.
fn method_view(r: &Report) -> MethodView {
    MethodView {
        scoring: r.scoring,
        tool_version: r.tool_version.clone(),
        min_score: pct(r.summary.min_score),
        digests: r
            .playbooks
            .iter()
            .map(|p| Digest {
                title: p.title.clone(),
                path: p.path.clone(),
                path_parts: p.path.split_inclusive('/').map(str::to_string).collect(),
                sha256: p.sha256.clone(),
            })
            .collect(),
        previous_version: r.previous.as_ref().map(|p| p.report_version),
        previous_sha256: r.previous.as_ref().map(|p| p.sha256.clone()),
    }
}

/// The waivers, with their dates written out.
fn waiver_views(r: &Report) -> Vec<WaiverView> {
    r.waivers()
        .into_iter()
        .map(|(q, w, expired)| WaiverView {
            id: q.id.clone(),
            question: q.question.clone(),
            reason: w.reason.clone(),
            until: long_date(w.expires),
            approved_by: w.approved_by.clone(),
            expired,
        })
        .collect()
}

/// One score bar per playbook.
fn bars(r: &Report) -> Vec<Bar> {
    r.playbooks
        .iter()
        .map(|p| Bar {
            title: p.title.clone(),
            score: p.score,
            blockers: p.blockers,
            assessed: p.answered > 0,
            class: standing(p.answered > 0, p.blockers, p.score, r.summary.min_score),
        })
        .collect()
}

/// The sign-offs, with the people of each role.
fn signoff_views(r: &Report, owners: &Owners) -> Vec<SignoffView> {
    r.signoffs
        .iter()
        .map(|s| SignoffView {
            people: owners
                .get(&s.role)
                .filter(|p| !p.is_empty())
                .map(|p| p.join(", ")),
            status: s.clone(),
        })
        .collect()
}

fn verdict_sentence(r: &Report) -> String {
    let s = &r.summary;
    match s.level.as_str() {
        "blocked" => format!(
            "{} critical question{} not met: the launch is blocked until {} met or waived.",
            s.blockers,
            if s.blockers == 1 { " is" } else { "s are" },
            if s.blockers == 1 { "it is" } else { "they are" }
        ),
        "ready" => "Every question is answered and the score clears the bar.".to_string(),
        _ if s.missing + s.stale > 0 => format!(
            "{} of {} questions still need an answer, and the score must reach {}.",
            s.missing + s.stale,
            s.questions,
            pct(s.min_score)
        ),
        _ => format!(
            "The score is below the bar of {}; the gaps below cost the most.",
            pct(s.min_score)
        ),
    }
}

/// The gate's categories [`verdict_sentence`] already speaks for, so that
/// page one says each count once.
fn said_by_sentence(r: &Report) -> &'static [FailOn] {
    let s = &r.summary;
    match s.level.as_str() {
        "blocked" => &[FailOn::Blocker],
        "ready" => &[],
        _ if s.missing + s.stale > 0 => &[FailOn::Missing, FailOn::Stale, FailOn::BelowScore],
        _ => &[FailOn::BelowScore],
    }
}

/// The gate's verdict for page one: `check`'s reasons, less those the
/// verdict sentence just gave (what they add to it is kept).
fn gate_line(r: &Report) -> Option<String> {
    if r.gate.passed {
        return None;
    }
    let said = said_by_sentence(r);
    let s = &r.summary;
    let mut covered = false;
    let mut rest = Vec::new();
    for f in &r.gate.failed {
        if !said.contains(f) {
            rest.push(super::check::reason(r, *f));
            continue;
        }
        covered = true;
        match f {
            FailOn::Missing if s.missing_facts > 0 => rest.push(format!(
                "{} not set in the config",
                super::count(s.missing_facts, "fact")
            )),
            FailOn::Stale if s.expired > 0 => rest.push(format!(
                "{} past max_age",
                super::count(s.expired, "answer")
            )),
            _ => {}
        }
    }
    Some(match (covered, rest.is_empty()) {
        (true, true) => "That is why the gate failed.".to_string(),
        (true, false) => format!(
            "That is why the gate failed, along with: {}.",
            rest.join("; ")
        ),
        (false, _) => format!("The gate failed: {}.", rest.join("; ")),
    })
}

fn trend(r: &Report) -> Option<Trend> {
    let prev = r.trend.last()?;
    let delta = r.summary.score - prev.score;
    let rounded = (delta * 10.0).round() / 10.0;
    let mut points: Vec<(u64, f64)> = r
        .trend
        .iter()
        .map(|t| (t.report_version, t.score))
        .collect();
    points.push((
        r.report_version.unwrap_or(prev.report_version + 1),
        r.summary.score,
    ));
    Some(Trend {
        previous_version: prev.report_version,
        previous_score: pct(prev.score),
        delta: if rounded > 0.0 {
            format!("+{rounded:.1}")
        } else if rounded < 0.0 {
            format!("{rounded:.1}")
        } else {
            "±0.0".to_string()
        },
        direction: if rounded > 0.0 {
            "up"
        } else if rounded < 0.0 {
            "down"
        } else {
            "same"
        },
        points,
    })
}

/// Roles and their people, shared by the lazy lists.
type Owners = Arc<std::collections::BTreeMap<String, Vec<String>>>;

/// How a playbook or section stands: the bar chart's colour and the
/// at-a-glance table's class.
fn standing(assessed: bool, blockers: usize, score: f64, bar: f64) -> &'static str {
    if !assessed {
        "not-assessed"
    } else if blockers > 0 {
        "blocked"
    } else if score >= bar {
        "above"
    } else {
        "below"
    }
}

/// The first sentence of `text`, cut at a word near `max` characters.
pub fn short(text: &str, max: usize) -> String {
    let text = text.trim();
    let first = text
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '.' | '!' | '?')
                && text[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
        })
        .map_or(text, |(i, c)| &text[..i + c.len_utf8()]);
    if first.chars().count() <= max {
        return first.to_string();
    }
    let cut: String = first.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

fn glance(r: &Report, sections: &[SectionView]) -> Vec<GlanceRow> {
    let bar = r.summary.min_score;
    let note = |id: &Option<String>| {
        let a = r.assessor.as_ref()?;
        let text = a.sections.get(id.as_ref()?)?;
        let blocks = super::prose::blocks(text);
        Some(short(&blocks.first()?.text(), 110))
    };
    if sections.iter().any(|s| s.id.is_some()) {
        sections
            .iter()
            .map(|s| {
                let g =
                    s.id.as_ref()
                        .and_then(|id| r.sections.iter().find(|g| &g.id == id));
                let (score, answered, questions, blockers) = match g {
                    Some(g) => (g.score, g.answered, g.questions, g.blockers),
                    None => s.playbooks.iter().fold((0.0, 0, 0, 0), |acc, p| {
                        (
                            p.score_value,
                            acc.1 + p.answered,
                            acc.2 + p.questions,
                            acc.3 + p.blockers,
                        )
                    }),
                };
                GlanceRow {
                    title: s.title.clone().unwrap_or_else(|| "Other".to_string()),
                    score: (answered > 0).then(|| pct(score)),
                    score_value: score,
                    answered,
                    questions,
                    blockers,
                    class: standing(answered > 0, blockers, score, bar),
                    note: note(&s.id),
                }
            })
            .collect()
    } else {
        r.playbooks
            .iter()
            .map(|p| GlanceRow {
                title: p.title.clone(),
                score: (p.answered > 0).then(|| pct(p.score)),
                score_value: p.score,
                answered: p.answered,
                questions: p.applicable(),
                blockers: p.blockers,
                class: standing(p.answered > 0, p.blockers, p.score, bar),
                note: None,
            })
            .collect()
    }
}

fn risk(r: &Report, owners: &Owners) -> RiskView {
    let accepted = r.risk_accepted();
    let mut items: Vec<RiskRow> = Vec::new();
    let mut whole: Vec<usize> = Vec::new();
    for a in &accepted.items {
        let (pi, qi) = a.at;
        let p = &r.playbooks[pi];
        let q = &p.questions[qi];
        if a.kind == crate::report::risk::RiskKind::Skipped && p.skipped.is_some() {
            // A playbook left out as a whole is one row.
            if whole.contains(&pi) {
                continue;
            }
            whole.push(pi);
            items.push(RiskRow {
                id: p.id.clone(),
                question: format!(
                    "The whole playbook ({} question{})",
                    p.questions.len(),
                    if p.questions.len() == 1 { "" } else { "s" }
                ),
                playbook: p.title.clone(),
                kind: "skipped".into(),
                kind_words: a.kind.words().to_string(),
                critical: p.questions.iter().any(|q| q.critical),
                reason: p.skipped.clone(),
                approved_by: None,
                until: None,
                expired: false,
            });
            continue;
        }
        items.push(RiskRow {
            id: q.id.clone(),
            question: q.question.clone(),
            playbook: p.title.clone(),
            kind: serde_json::to_value(a.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            kind_words: a.kind.words().to_string(),
            critical: q.critical,
            reason: a.reason.clone(),
            approved_by: a.approved_by.as_deref().map(|w| person(owners, w).0),
            until: a.until.map(long_date),
            expired: a.expired,
        });
    }
    RiskView {
        items,
        score: pct(r.summary.score),
        score_if_gaps: pct(accepted.score_if_gaps),
        critical: accepted.critical,
    }
}

fn make_gap(p: &PlaybookReport, q: &QuestionReport, points: f64, owners: &Owners) -> Gap {
    let (status, status_class) = status_words(q);
    let who = q.acting_owner().map(|o| person(owners, o));
    Gap {
        id: q.id.clone(),
        playbook: p.title.clone(),
        question: q.question.clone(),
        expectation: q.expectation.clone(),
        expectation_short: short(&q.expectation, 100),
        status,
        status_class,
        critical: q.critical,
        points: pct(points),
        owner: who.as_ref().map(|w| w.0.clone()),
        owner_role: who.and_then(|w| w.1),
        note: q
            .answer
            .as_ref()
            .and_then(|a| a.note.clone())
            .filter(|n| !n.trim().is_empty()),
        due: due(q),
        action: q
            .answer
            .as_ref()
            .and_then(|a| a.action.as_ref())
            .map(|act| act.what.clone()),
        overdue: q.findings.iter().any(|f| f.code == Code::Overdue),
        waived_until: waived_until(q),
    }
}

/// When a gap is due: the follow-up action's date.
fn due(q: &QuestionReport) -> Option<String> {
    q.answer.as_ref()?.action.as_ref()?.due.map(long_date)
}

fn waived_until(q: &QuestionReport) -> Option<String> {
    let w = q.answer.as_ref()?.waiver.as_ref()?;
    Some(long_date(w.expires))
}

/// Where a question stands ([`QuestionReport::standing`], in sentence
/// case) and its CSS class: `Skipped (why)`, `Upcoming (counts from …)`.
pub fn status_words(q: &QuestionReport) -> (String, String) {
    let word = crate::words::sentence(q.standing());
    let class = q.standing().replace(' ', "-");
    let text = match (q.state, &q.skipped, q.effective_from) {
        (State::Skipped, Some(why), _) => format!("{word} ({why})"),
        (State::Upcoming, _, Some(day)) => format!("{word} (counts from {})", long_date(day)),
        _ => word,
    };
    (text, class)
}

fn sections(r: &Report, o: &Options, tz: Tz) -> Vec<SectionView> {
    let mut out: Vec<SectionView> = Vec::new();
    let owners: Owners = Arc::new(r.owners.clone());
    let probes = r.uses_probes();
    for (i, p) in r.playbooks.iter().enumerate() {
        let view = playbook_view(&r.playbooks, i, tz, &owners, probes, &o.attached);
        match out.last_mut() {
            Some(last) if last.id == p.section => last.playbooks.push(view),
            _ => {
                let group = p
                    .section
                    .as_ref()
                    .and_then(|id| r.sections.iter().find(|s| &s.id == id));
                out.push(SectionView {
                    id: p.section.clone(),
                    title: p.section.as_ref().map(|id| section_title(o, group, id)),
                    score: group.map(|g| pct(g.score)),
                    note: p
                        .section
                        .as_ref()
                        .and_then(|id| r.assessor.as_ref()?.sections.get(id))
                        .map(|text| super::prose::to_html(&super::prose::blocks(text))),
                    playbooks: vec![view],
                });
            }
        }
    }
    out
}

/// A section's title: the branding's, else the section's own, else its
/// folder name as a title.
fn section_title(o: &Options, group: Option<&GroupReport>, id: &str) -> String {
    o.branding
        .sections
        .get(id)
        .cloned()
        .or_else(|| group.and_then(|g| g.title.clone()))
        .unwrap_or_else(|| humanize(id))
}

/// A folder name as a title: `1-reach` → `Reach`, `team_and_tools` →
/// `Team and tools`.
pub fn humanize(id: &str) -> String {
    let rest = id.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let rest = rest.trim_start_matches(['-', '_', ' ']);
    let rest = if rest.is_empty() { id } else { rest };
    let words = rest.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn playbook_view(
    playbooks: &Arc<Vec<PlaybookReport>>,
    i: usize,
    tz: Tz,
    owners: &Owners,
    probes: bool,
    attached: &Attached,
) -> PlaybookView {
    let p = &playbooks[i];
    let shared = playbooks.clone();
    let owners = owners.clone();
    let attached = attached.clone();
    PlaybookView {
        id: p.id.clone(),
        title: p.title.clone(),
        score: pct(p.score),
        score_value: p.score,
        answered: p.answered,
        questions: p.questions.len(),
        blockers: p.blockers,
        // With levels declared, a playbook has an achieved or a next level.
        level: (p.achieved_level.is_some() || p.next_level.is_some())
            .then(|| super::level_word(p.achieved_level.as_deref()).to_string()),
        rows: Lazy::new(p.questions.len(), move |q| {
            row(&shared[i].questions[q], tz, &owners, probes, &attached)
        }),
    }
}

fn row(q: &QuestionReport, tz: Tz, owners: &Owners, probes: bool, attached: &Attached) -> Row {
    let (status, status_class) = status_words(q);
    let who = q.acting_owner().map(|o| person(owners, o));
    let a = q.answer.as_ref();
    let assessed = q.state == State::Answered && q.status.is_some();
    let judged = a.and_then(|a| a.criteria_met.as_ref());
    let criteria = q
        .criteria
        .iter()
        .map(|c| {
            let (state, mark) = match (assessed, judged) {
                (true, Some(_)) if c.met => ("met", "✔"),
                (true, Some(_)) => ("unmet", "✘"),
                _ => ("not-assessed", "–"),
            };
            CriterionView {
                text: c.text.clone(),
                state,
                mark,
            }
        })
        .collect();
    Row {
        id: q.id.clone(),
        order: q.order,
        question: q.question.clone(),
        expectation: q.expectation.clone(),
        critical: q.critical,
        status,
        status_class,
        credit: q.credit.map(|c| num((c * 100.0).round() / 100.0)),
        criteria,
        waived_until: waived_until(q),
        waiver_expired: q.findings.iter().any(|f| f.code == Code::ExpiredWaiver),
        notices: q.findings.iter().filter_map(|f| notice(f, q)).collect(),
        note: a
            .and_then(|a| a.note.clone())
            .filter(|n| !n.trim().is_empty()),
        evidence: a
            .map(|a| a.evidence.iter().map(|e| evidence(e, attached)).collect())
            .unwrap_or_default(),
        answered_by: a.and_then(|a| a.answered_by.clone()),
        answered_on: a
            .and_then(|a| a.answered_at)
            .map(|t| long_date(t.with_timezone(&tz).date_naive())),
        owner: who.as_ref().map(|w| w.0.clone()),
        owner_role: who.and_then(|w| w.1),
        due: due(q),
        provenance: q.status.and(probes.then(|| match &q.verified {
            Some(at) => match chrono::DateTime::parse_from_rfc3339(at) {
                Ok(t) => format!(
                    "Verified by automatic checks on {}",
                    long_date(t.with_timezone(&tz).date_naive())
                ),
                Err(_) => "Verified by automatic checks".to_string(),
            },
            None => "Attested".to_string(),
        })),
    }
}

/// How much of the score automatic checks verified, in words.
fn verified_words(r: &Report) -> String {
    if r.summary.verified == 0 {
        return format!(
            "No automatic check has verified an answer yet: all {} points are attested by the team.",
            pct(r.summary.score)
        );
    }
    format!(
        "{} of the {} points are verified by automatic checks ({}); the rest is attested by the team.",
        pct(r.summary.verified_score),
        pct(r.summary.score),
        crate::words::count(r.summary.verified, "question")
    )
}

/// A finding as a sentence for a client, or nothing when the status
/// already says it.
pub fn notice(f: &Finding, q: &QuestionReport) -> Option<Notice> {
    let waiver_date = || waived_until(q).unwrap_or_else(|| "its end date".to_string());
    let text = match f.code {
        Code::Missing | Code::Unmet | Code::Partial | Code::Blocker => return None,
        Code::Stale => {
            "The question has changed since it was answered, so the old answer no longer counts."
                .to_string()
        }
        Code::Review => {
            "The question was reworded after it was answered; the answer is worth a second look."
                .to_string()
        }
        Code::ExpiredWaiver => format!("The accepted risk ran out on {}.", waiver_date()),
        Code::WaiverExpiring => format!("The accepted risk runs out on {}.", waiver_date()),
        Code::EvidenceMissing => {
            "Some of the evidence it cites could not be found, so it counts as partly met."
                .to_string()
        }
        Code::EvidenceRequired => {
            "It needs evidence to count as met, and none is given yet.".to_string()
        }
        Code::NaReason => "It is marked not applicable without saying why.".to_string(),
        Code::Criteria => {
            "Some of the criteria it lists as met are not part of this question.".to_string()
        }
        Code::Status | Code::Date | Code::Waiver | Code::Action => {
            "Part of this answer could not be read and was left out.".to_string()
        }
        // The status already says it does not apply, and why.
        Code::Skipped => return None,
        Code::Expired => {
            "The answer is older than the time an answer stays valid, so it no longer counts until it is confirmed again."
                .to_string()
        }
        Code::AnswerExpiring => {
            "The answer stops counting soon unless it is confirmed again.".to_string()
        }
        Code::ProbeFailed => {
            "An automatic check of this answer failed on its last run, so a met answer counts as partly met.".to_string()
        }
        // The provenance line says it.
        Code::Verified => return None,
        Code::ProbeError => {
            "The automatic check of this answer could not run; the answer stands as given.".to_string()
        }
        Code::Overdue => match due(q) {
            Some(day) => format!("The follow-up action was due on {day} and the gap is still open."),
            None => "The follow-up action is past its due date and the gap is still open.".to_string(),
        },
        _ => "This answer needs attention from whoever maintains the checklist.".to_string(),
    };
    Some(Notice {
        severity: f.severity.as_str().to_string(),
        text,
    })
}

/// Whether evidence names a path in the project's files: neither an
/// `http`/`https` URL nor anything else with a scheme (`mailto:`, `ftp:`,
/// `javascript:`). A client bundle carries these.
pub fn is_local_evidence(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    let scheme = lower.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
            && s.len() > 1
    });
    !is_web_link(text) && !scheme
}

/// An `http`/`https` URL without spaces or control characters.
fn is_web_link(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !text
            .trim()
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
}

fn evidence(text: &str, attached: &Attached) -> Evidence {
    let local = is_local_evidence(text);
    let bundled = local.then(|| attached.get(text.trim())).flatten().cloned();
    Evidence {
        parts: break_points(text),
        local,
        attached: bundled.is_some(),
        text: text.to_string(),
        href: bundled.or_else(|| is_web_link(text).then(|| text.trim().to_string())),
    }
}

/// `text` cut after each character a URL or path may wrap after.
fn break_points(text: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    for c in text.chars() {
        parts.last_mut().expect("one part").push(c);
        if matches!(c, '/' | '.' | '?' | '&' | '=' | '#' | '-' | '_') {
            parts.push(String::new());
        }
    }
    parts.retain(|p| !p.is_empty());
    parts
}

/// `2026-11-30` → `30 November 2026`.
pub fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// An RFC 3339 time as its date in `tz`.
pub fn date_of(rfc3339: &str, tz: Tz) -> Option<String> {
    let t = DateTime::parse_from_rfc3339(rfc3339).ok()?;
    Some(long_date(t.with_timezone(&tz).date_naive()))
}

/// `text` as a CSS string literal: every character that is not a letter,
/// digit or space is a CSS escape, so nothing in it can end the string or
/// the `<style>` element.
pub fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample;

    fn sample_view(show_ids: bool) -> View {
        view(
            &sample(),
            &Options {
                tz: Some("Pacific/Auckland".parse().unwrap()),
                show_ids,
                ..Options::default()
            },
        )
    }

    /// Question `id` of `r`, to change it for a test.
    fn question_mut<'a>(r: &'a mut Report, id: &str) -> &'a mut QuestionReport {
        std::sync::Arc::make_mut(&mut r.playbooks)
            .iter_mut()
            .flat_map(|p| &mut p.questions)
            .find(|q| q.id == id)
            .unwrap()
    }

    fn row_of(v: &View, id: &str) -> Row {
        v.sections
            .iter()
            .flat_map(|s| &s.playbooks)
            .flat_map(|p| p.rows.iter())
            .find(|r| r.id == id)
            .unwrap()
    }

    #[test]
    fn section_titles_come_from_the_index_page_then_the_folder_name() {
        let v = sample_view(false);
        assert_eq!(v.sections[0].title.as_deref(), Some("Reaching support"));
        let mut r = sample();
        r.sections[0].title = None;
        let v = view(&r, &Options::default());
        assert_eq!(v.sections[0].title.as_deref(), Some("Reach"));
        let mut o = Options::default();
        o.branding
            .sections
            .insert("1-reach".into(), "First contact".into());
        assert_eq!(
            view(&sample(), &o).sections[0].title.as_deref(),
            Some("First contact")
        );
        assert_eq!(humanize("team_and_tools"), "Team and tools");
        assert_eq!(humanize("42"), "42");
    }

    #[test]
    fn unanswered_criteria_are_not_assessed_and_judged_ones_are_met_or_not() {
        let mut r = sample();
        let v = view(&r, &Options::default());
        let marks: Vec<_> = row_of(&v, "channels/q3")
            .criteria
            .iter()
            .map(|c| c.state)
            .collect();
        assert_eq!(marks, ["met", "unmet"]);
        let q = question_mut(&mut r, "channels/q3");
        q.state = State::Missing;
        q.status = None;
        let v = view(&r, &Options::default());
        let row = row_of(&v, "channels/q3");
        assert!(row.criteria.iter().all(|c| c.state == "not-assessed"));
        assert_eq!(row.status, "Missing");
    }

    #[test]
    fn a_waived_question_says_until_when_in_the_plan_and_the_rows() {
        let v = sample_view(false);
        assert_eq!(
            row_of(&v, "sla/q1").waived_until.as_deref(),
            Some("31 January 2027")
        );
        let gap = v.plan.iter().find(|g| g.id == "sla/q1").unwrap();
        assert_eq!(gap.waived_until.as_deref(), Some("31 January 2027"));
        assert_eq!(v.waivers[0].until, "31 January 2027");
    }

    #[test]
    fn dates_read_as_dates_in_the_timezone() {
        // 12:00 UTC on 23 November is already the 24th in Auckland.
        assert_eq!(sample_view(false).date, "24 November 2026");
        assert_eq!(
            view(&sample(), &Options::default()).date,
            "23 November 2026"
        );
    }

    #[test]
    fn only_web_urls_become_links() {
        let none = Attached::default();
        assert!(evidence("https://example.com/a?b=1", &none).href.is_some());
        assert!(evidence("HTTP://example.com", &none).href.is_some());
        for text in [
            "javascript:alert(1)",
            "docs/x.md",
            "ftp://host/f",
            "file:///etc/passwd",
            "https://a b",
        ] {
            assert!(evidence(text, &none).href.is_none(), "{text}");
        }
    }

    #[test]
    fn attached_local_evidence_links_into_the_bundle() {
        let attached: Attached =
            Arc::new([("docs/x.md".to_string(), "evidence/docs/x.md".to_string())].into());
        let e = evidence(" docs/x.md ", &attached);
        assert_eq!(e.href.as_deref(), Some("evidence/docs/x.md"));
        assert!(e.attached && e.local);
        // A URL is never looked up: it stays the link it is.
        let e = evidence("https://example.com", &attached);
        assert!(!e.attached);
        assert!(!evidence("docs/y.md", &attached).attached);
    }

    #[test]
    fn findings_become_sentences_without_codes() {
        let v = sample_view(false);
        for row in v
            .sections
            .iter()
            .flat_map(|s| &s.playbooks)
            .flat_map(|p| p.rows.iter())
        {
            for n in &row.notices {
                assert!(
                    !n.text.contains('`') && !n.text.contains("-missing"),
                    "{}",
                    n.text
                );
                assert!(n.text.ends_with('.'), "{}", n.text);
            }
        }
        let stale = row_of(&v, "channels/q2");
        assert_eq!(stale.notices.len(), 1, "{:?}", stale.notices);
        assert!(
            stale.notices[0]
                .text
                .contains("changed since it was answered")
        );
    }

    #[test]
    fn the_executive_summary_lists_the_costliest_gaps_first() {
        let v = sample_view(false);
        let points: Vec<f64> = v
            .summary
            .top_gaps
            .iter()
            .map(|g| g.points.parse().unwrap())
            .collect();
        assert!(!points.is_empty() && points.len() <= TOP_GAPS);
        assert!(points.windows(2).all(|w| w[0] >= w[1]), "{points:?}");
        assert_eq!(v.summary.verdict, "NOT READY");
        assert!(v.summary.trend.is_none());
    }

    #[test]
    fn the_trend_compares_with_the_previous_version() {
        let mut r = sample();
        r.trend.push(crate::report::TrendPoint {
            report_version: 2,
            generated_at: "2026-11-01T00:00:00Z".into(),
            score: r.summary.score - 4.25,
            level: "not-ready".into(),
        });
        let t = view(&r, &Options::default()).summary.trend.unwrap();
        assert_eq!((t.previous_version, t.direction), (2, "up"));
        assert!(t.delta.starts_with('+'), "{}", t.delta);
        assert_eq!(t.points.len(), 2);
    }

    #[test]
    fn page_one_names_five_blockers_and_counts_the_rest() {
        let mut r = sample();
        for q in Arc::make_mut(&mut r.playbooks)
            .iter_mut()
            .flat_map(|p| &mut p.questions)
        {
            q.blocker = true;
        }
        let v = view(&r, &Options::default());
        assert_eq!(v.summary.blockers.len(), TOP_BLOCKERS);
        assert_eq!(v.summary.more_blockers, 1);
    }

    #[test]
    fn the_footer_cannot_break_out_of_css() {
        let s = css_string("a\"b</style><script>");
        assert!(!s[1..s.len() - 1].contains(['"', '<', '>', '/']), "{s}");
    }

    /// Owner and due come from the question's role and the answer's
    /// `action:`; free-text `owner`/`due` keys from before `action:` existed
    /// stay in the file as unknown keys and are not shown as if they were.
    #[test]
    fn free_text_owner_and_due_keys_are_not_the_action() {
        let mut r = sample();
        let q = question_mut(&mut r, "sla/q1");
        let a = q.answer.as_mut().unwrap();
        a.extra.insert("owner".into(), "Sam Ortiz".into());
        a.extra.insert("due".into(), "2026-12-15".into());
        let v = view(&r, &Options::default());
        let gap = v.plan.iter().find(|g| g.id == "sla/q1").unwrap();
        assert_eq!(gap.owner, None);
        assert_eq!(gap.due, None);
    }

    #[test]
    fn the_owner_role_and_the_follow_up_action_fill_a_gap() {
        let mut r = sample();
        let q = question_mut(&mut r, "sla/q1");
        q.owner = Some("legal".into());
        q.answer.as_mut().unwrap().action = Some(Box::new(crate::answers::Action {
            what: "Publish the SLA page".into(),
            who: None,
            due: chrono::NaiveDate::from_ymd_opt(2026, 12, 15),
            extra: Default::default(),
        }));
        let v = view(&r, &Options::default());
        let gap = v.plan.iter().find(|g| g.id == "sla/q1").unwrap();
        assert_eq!(gap.owner.as_deref(), Some("legal"));
        assert_eq!(gap.due.as_deref(), Some("15 December 2026"));
        assert_eq!(gap.action.as_deref(), Some("Publish the SLA page"));
    }

    #[test]
    fn an_overdue_action_is_marked_and_said_in_words() {
        let mut r = sample();
        let q = question_mut(&mut r, "sla/q1");
        q.answer.as_mut().unwrap().action = Some(Box::new(crate::answers::Action {
            what: "Publish the SLA page".into(),
            who: Some("Kim Park".into()),
            due: chrono::NaiveDate::from_ymd_opt(2026, 11, 2),
            extra: Default::default(),
        }));
        q.findings.push(Finding::warning(
            Code::Overdue,
            crate::diagnostic::Location::file("readiness/answers.yaml"),
            "overdue: `sla/q1`",
        ));
        let v = view(&r, &Options::default());
        let gap = v.plan.iter().find(|g| g.id == "sla/q1").unwrap();
        assert!(gap.overdue);
        assert!(!v.plan.iter().find(|g| g.id != "sla/q1").unwrap().overdue);
        let texts: Vec<String> = row_of(&v, "sla/q1")
            .notices
            .into_iter()
            .map(|n| n.text)
            .collect();
        assert!(
            texts.contains(
                &"The follow-up action was due on 2 November 2026 and the gap is still open."
                    .to_string()
            ),
            "{texts:?}"
        );
    }

    #[test]
    fn a_question_skipped_by_its_condition_says_why() {
        let mut r = sample();
        let q = question_mut(&mut r, "sla/q1");
        q.state = State::Skipped;
        q.skipped = Some("no chatbot".into());
        let (words, class) = status_words(q);
        assert_eq!(words, "Skipped (no chatbot)");
        assert_eq!(class, "skipped");
    }
}
