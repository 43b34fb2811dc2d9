//! Campaigns (issue 27): raise the bar across a portfolio by a date. A
//! campaign file names the products (`where:` facts), what they must reach
//! (`level:` or `questions:`), and `start` and `due` dates; this module
//! judges each product's progress toward it, counts them, and draws the
//! burn-up from the versions in the products' report ledgers. Pure: the
//! command reads the files and the clock.

use crate::config::FactValue;
use crate::diagnostic::{Finding, Location, yaml_error};
use crate::score::LevelTally;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most question ids a campaign may list.
pub const MAX_QUESTIONS: usize = 10_000;

/// A campaign file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "supportcheck campaign")]
pub struct Campaign {
    /// What the campaign is called (`GA readiness, Q1`).
    pub name: String,
    /// Who runs it: a person or a role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The products it covers, by fact (`stage: ga`); all when absent. A
    /// list value matches a product whose fact is any of its items.
    #[serde(default, rename = "where", skip_serializing_if = "BTreeMap::is_empty")]
    pub where_facts: BTreeMap<String, FactValue>,
    /// The maturity level every product must reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Or: the questions (full ids) every product must pass.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
    /// The first day of the campaign.
    #[schemars(with = "String")]
    pub start: NaiveDate,
    /// The day every product must be there.
    #[schemars(with = "String")]
    pub due: NaiveDate,
}

impl Campaign {
    /// Parses a campaign file; a problem is one finding naming the file.
    pub fn parse(text: &str, path: &str) -> Result<Campaign, Finding> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let c: Campaign =
            serde_saphyr::from_str_with_options(text, crate::playbook::parse::yaml_options())
                .map_err(|e| yaml_error(path, 0, &e, "campaign file"))?;
        let problem = |m: String| {
            Finding::error(
                crate::diagnostic::Code::Config,
                Location::file(path),
                format!("campaign: {m}"),
            )
        };
        if c.name.trim().is_empty() {
            return Err(problem("`name` must not be empty".into()));
        }
        match (&c.level, c.questions.is_empty()) {
            (Some(_), false) => {
                return Err(problem(
                    "give either `level` or `questions`, not both".into(),
                ));
            }
            (None, true) => {
                return Err(problem(
                    "say what the products must reach: `level: launch` or `questions: [help-desk/q1, ...]`"
                        .into(),
                ));
            }
            _ => {}
        }
        if c.questions.len() > MAX_QUESTIONS {
            return Err(problem(format!(
                "`questions` lists {} ids; at most {MAX_QUESTIONS}",
                c.questions.len()
            )));
        }
        if c.due < c.start {
            return Err(problem(format!(
                "`due` ({}) is before `start` ({})",
                c.due, c.start
            )));
        }
        Ok(c)
    }

    /// What the products must reach, in words: `level launch`, `3 questions`.
    pub fn goal(&self) -> String {
        match &self.level {
            Some(l) => format!("level {l}"),
            None => crate::words::count(self.questions.len(), "question"),
        }
    }

    /// Whether a product with these facts is in the campaign.
    pub fn covers(&self, facts: &BTreeMap<String, FactValue>) -> bool {
        self.where_facts.iter().all(|(name, want)| {
            let Some(have) = facts.get(name) else {
                return false;
            };
            let words = |v: &FactValue| -> Vec<String> {
                match v {
                    FactValue::Bool(b) => vec![b.to_string()],
                    FactValue::One(s) => vec![s.clone()],
                    FactValue::Many(list) => list.clone(),
                }
            };
            let have = words(have);
            words(want).iter().any(|w| have.contains(w))
        })
    }

    /// Questions still open toward a level campaign's level, from a
    /// version's level tallies; `None` when it has none or not that level.
    pub fn open_of(&self, levels: &[LevelTally]) -> Option<usize> {
        let target = self.level.as_deref()?;
        let at = levels.iter().position(|l| l.level == target)?;
        Some(levels[..=at].iter().map(|l| l.open).sum())
    }
}

/// Where a product stands in the campaign.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema, strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Progress {
    /// Past the due date and not there.
    Overdue,
    /// Fixing fewer questions than the time gone asks for.
    Behind,
    /// Fixing at least as fast as the time gone asks for.
    OnTrack,
    /// There: nothing open.
    Reached,
}

impl Progress {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// For people: `on track`.
    pub fn words(self) -> &'static str {
        match self {
            Progress::Overdue => "overdue",
            Progress::Behind => "behind",
            Progress::OnTrack => "on track",
            Progress::Reached => "reached",
        }
    }
}

/// What the campaign needs of one product: its versions, oldest first,
/// as (day, questions open toward the goal; `None`: unknown).
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    pub path: String,
    pub facts: BTreeMap<String, FactValue>,
    /// The maturity level reached; `None` with `levels_known` false when
    /// its reports have no levels.
    pub achieved_level: Option<String>,
    pub levels_known: bool,
    pub versions: Vec<(NaiveDate, Option<usize>)>,
}

/// One product's line.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Line {
    pub name: String,
    pub path: String,
    pub progress: Progress,
    /// Questions open now toward the goal (`null`: its reports do not say).
    pub open: Option<usize>,
    /// Questions open when the campaign started (or at its first version).
    pub open_at_start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achieved_level: Option<String>,
    /// Its reports carry maturity levels (else the level is not shown).
    #[serde(skip)]
    pub levels_known: bool,
}

impl Line {
    /// The level reached in words: `beta`, `none`, or `—` when unknown.
    pub fn level_text(&self) -> &str {
        match (&self.achieved_level, self.levels_known) {
            (Some(l), _) => l,
            (None, true) => "none",
            (None, false) => "—",
        }
    }
}

/// A day of the burn-up: how many products had reached the goal.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct BurnPoint {
    #[schemars(with = "String")]
    pub day: NaiveDate,
    pub reached: usize,
}

/// How many products are in each state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Counts {
    pub products: usize,
    pub reached: usize,
    pub on_track: usize,
    pub behind: usize,
    pub overdue: usize,
}

/// The campaign judged on a day.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Outcome {
    pub campaign: Campaign,
    #[schemars(with = "String")]
    pub today: NaiveDate,
    /// The share of the campaign's time gone, 0-1.
    pub elapsed: f64,
    pub counts: Counts,
    /// Products in the campaign, worst first.
    pub products: Vec<Line>,
    /// Products reached, from `start` to today, one point per day a
    /// version changed it.
    pub burnup: Vec<BurnPoint>,
}

/// The share of `[start, due]` gone by `today`, 0-1.
pub fn elapsed(c: &Campaign, today: NaiveDate) -> f64 {
    let span = (c.due - c.start).num_days();
    if span <= 0 {
        return if today >= c.start { 1.0 } else { 0.0 };
    }
    ((today - c.start).num_days() as f64 / span as f64).clamp(0.0, 1.0)
}

/// Judges every product the campaign covers.
pub fn judge(c: &Campaign, inputs: Vec<Input>, today: NaiveDate) -> Outcome {
    let gone = elapsed(c, today);
    let mut products = Vec::new();
    let mut deltas: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    let mut reached_at_start = 0usize;
    for input in inputs.into_iter().filter(|i| c.covers(&i.facts)) {
        let open = input.versions.last().and_then(|v| v.1);
        let at_start = input
            .versions
            .iter()
            .rev()
            .find(|v| v.0 <= c.start)
            .or(input.versions.first())
            .and_then(|v| v.1);
        let progress = progress_of(c, open, at_start, today, gone);
        // The burn-up: when this product's reached state changed.
        let mut was = false;
        for (day, open) in &input.versions {
            let now = *open == Some(0);
            if now == was || *day > today {
                continue;
            }
            if *day <= c.start {
                reached_at_start = if now {
                    reached_at_start + 1
                } else {
                    reached_at_start.saturating_sub(1)
                };
            } else {
                *deltas.entry(*day).or_default() += if now { 1 } else { -1 };
            }
            was = now;
        }
        products.push(Line {
            name: input.name,
            path: input.path,
            progress,
            open,
            open_at_start: at_start,
            achieved_level: input.achieved_level,
            levels_known: input.levels_known,
        });
    }
    products.sort_by(|a, b| {
        a.progress
            .cmp(&b.progress)
            .then_with(|| {
                b.open
                    .unwrap_or(usize::MAX)
                    .cmp(&a.open.unwrap_or(usize::MAX))
            })
            .then_with(|| a.path.cmp(&b.path))
    });
    let counts = counts_of(&products);
    let burnup = burnup(c, today, reached_at_start, deltas);
    Outcome {
        campaign: c.clone(),
        today,
        elapsed: (gone * 1000.0).round() / 1000.0,
        counts,
        products,
        burnup,
    }
}

/// How a product stands: `open` questions now, `at_start` when the campaign
/// began, against the share `gone` of the campaign's time.
fn progress_of(
    c: &Campaign,
    open: Option<usize>,
    at_start: Option<usize>,
    today: NaiveDate,
    gone: f64,
) -> Progress {
    match open {
        Some(0) => Progress::Reached,
        _ if today > c.due => Progress::Overdue,
        Some(now) => {
            let done = match at_start {
                Some(0) | None => 0.0,
                Some(s) => (1.0 - now as f64 / s as f64).clamp(0.0, 1.0),
            };
            if done + 1e-9 >= gone {
                Progress::OnTrack
            } else {
                Progress::Behind
            }
        }
        None => Progress::Behind,
    }
}

/// How many products stand at each kind of progress.
fn counts_of(products: &[Line]) -> Counts {
    let mut counts = Counts {
        products: products.len(),
        ..Counts::default()
    };
    for p in products {
        match p.progress {
            Progress::Reached => counts.reached += 1,
            Progress::OnTrack => counts.on_track += 1,
            Progress::Behind => counts.behind += 1,
            Progress::Overdue => counts.overdue += 1,
        }
    }
    counts
}

/// The burn-up: products reached at the start, then after each day's changes,
/// and today.
fn burnup(
    c: &Campaign,
    today: NaiveDate,
    reached_at_start: usize,
    deltas: BTreeMap<NaiveDate, i64>,
) -> Vec<BurnPoint> {
    let mut burnup = vec![BurnPoint {
        day: c.start.min(today),
        reached: reached_at_start,
    }];
    let mut running = reached_at_start as i64;
    for (day, delta) in deltas {
        running += delta;
        burnup.push(BurnPoint {
            day,
            reached: running.max(0) as usize,
        });
    }
    if today > c.start && burnup.last().is_some_and(|p| p.day < today) {
        burnup.push(BurnPoint {
            day: today,
            reached: running.max(0) as usize,
        });
    }
    burnup
}

impl Outcome {
    /// `GA readiness (owner ops): level launch by 2027-03-31: 12 products: 3 reached, ...`
    pub fn line(&self) -> String {
        let c = &self.campaign;
        let n = &self.counts;
        format!(
            "Campaign {}{}: {} by {} (started {}, {}% of the time gone): {}: {} reached, {} on track, {} behind, {} overdue",
            c.name,
            c.owner
                .as_deref()
                .map(|o| format!(" (owner {o})"))
                .unwrap_or_default(),
            c.goal(),
            c.due,
            c.start,
            (self.elapsed * 100.0).round(),
            crate::words::count(n.products, "product"),
            n.reached,
            n.on_track,
            n.behind,
            n.overdue
        )
    }
}

/// What a campaign would cost if it started now: the products it would put
/// behind, each with the questions it would have to fix, most first.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Preview {
    pub campaign: Campaign,
    pub products: usize,
    pub already: usize,
    /// Products not there yet, most open questions first.
    pub behind: Vec<Line>,
    /// Questions to fix across them (products whose reports do not say
    /// are not counted here).
    pub open: usize,
    /// Products behind whose reports do not say how far.
    pub unknown: usize,
}

pub fn preview(c: &Campaign, inputs: Vec<Input>) -> Preview {
    let mut behind = Vec::new();
    let mut products = 0;
    let mut already = 0;
    for input in inputs.into_iter().filter(|i| c.covers(&i.facts)) {
        products += 1;
        let open = input.versions.last().and_then(|v| v.1);
        if open == Some(0) {
            already += 1;
            continue;
        }
        behind.push(Line {
            name: input.name,
            path: input.path,
            progress: Progress::Behind,
            open,
            open_at_start: open,
            achieved_level: input.achieved_level,
            levels_known: input.levels_known,
        });
    }
    behind.sort_by(|a, b| {
        b.open
            .unwrap_or(usize::MAX)
            .cmp(&a.open.unwrap_or(usize::MAX))
            .then_with(|| a.path.cmp(&b.path))
    });
    Preview {
        campaign: c.clone(),
        products,
        already,
        open: behind.iter().filter_map(|l| l.open).sum(),
        unknown: behind.iter().filter(|l| l.open.is_none()).count(),
        behind,
    }
}

/// The head of a JSON report with each question's verdict and nothing else.
#[derive(Deserialize)]
struct QuestionsHead {
    generated_at: String,
    #[serde(default)]
    playbooks: Vec<PlaybookHead>,
}

#[derive(Deserialize)]
struct PlaybookHead {
    #[serde(default)]
    questions: Vec<QuestionHead>,
}

#[derive(Deserialize)]
struct QuestionHead {
    id: String,
    state: crate::score::State,
    #[serde(default)]
    status: Option<crate::answers::Status>,
    #[serde(default)]
    waived: bool,
}

/// A JSON report's day and how many of `ids` do not pass in it (an id it
/// does not have counts as open); `None` when it is not a readable report.
pub fn open_in_report(bytes: &[u8], ids: &[String]) -> Option<(NaiveDate, Option<usize>)> {
    let head: QuestionsHead = serde_json::from_slice(bytes).ok()?;
    let day = chrono::DateTime::parse_from_rfc3339(&head.generated_at)
        .ok()?
        .date_naive();
    let wanted: std::collections::BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    let passing = head
        .playbooks
        .iter()
        .flat_map(|p| &p.questions)
        .filter(|q| wanted.contains(q.id.as_str()))
        .filter(|q| crate::score::passes(q.state, q.status, q.waived))
        .count();
    Some((day, Some(wanted.len() - passing.min(wanted.len()))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn campaign() -> Campaign {
        Campaign::parse(
            "name: GA\nowner: ops\nwhere: {stage: ga}\nlevel: launch\nstart: 2027-01-01\ndue: 2027-01-31\n",
            "c.yaml",
        )
        .unwrap()
    }

    fn input(name: &str, stage: &str, versions: &[(&str, Option<usize>)]) -> Input {
        Input {
            name: name.into(),
            path: name.into(),
            facts: [("stage".to_string(), FactValue::One(stage.into()))].into(),
            achieved_level: None,
            levels_known: false,
            versions: versions.iter().map(|(d, o)| (day(d), *o)).collect(),
        }
    }

    #[test]
    fn products_are_reached_on_track_behind_or_overdue() {
        let c = campaign();
        let inputs = vec![
            input(
                "done",
                "ga",
                &[("2026-12-01", Some(4)), ("2027-01-10", Some(0))],
            ),
            input(
                "fast",
                "ga",
                &[("2026-12-01", Some(4)), ("2027-01-15", Some(1))],
            ),
            input(
                "slow",
                "ga",
                &[("2026-12-01", Some(4)), ("2027-01-15", Some(4))],
            ),
            input("beta", "beta", &[("2026-12-01", Some(4))]),
        ];
        let o = judge(&c, inputs.clone(), day("2027-01-16"));
        let by = |n: &str| o.products.iter().find(|p| p.name == n).unwrap().progress;
        assert_eq!(by("done"), Progress::Reached);
        assert_eq!(by("fast"), Progress::OnTrack);
        assert_eq!(by("slow"), Progress::Behind);
        assert_eq!(o.counts.products, 3, "the beta product is not covered");
        let o = judge(&c, inputs, day("2027-02-01"));
        assert_eq!(o.counts.overdue, 2);
        assert_eq!(
            o.burnup,
            vec![
                BurnPoint {
                    day: day("2027-01-01"),
                    reached: 0
                },
                BurnPoint {
                    day: day("2027-01-10"),
                    reached: 1
                },
                BurnPoint {
                    day: day("2027-02-01"),
                    reached: 1
                },
            ]
        );
    }

    #[test]
    fn a_campaign_needs_a_goal_and_dates_in_order() {
        for (text, needle) in [
            ("name: x\nstart: 2027-01-01\ndue: 2027-02-01\n", "say what"),
            (
                "name: x\nlevel: a\nquestions: [a/q1]\nstart: 2027-01-01\ndue: 2027-02-01\n",
                "not both",
            ),
            (
                "name: x\nlevel: a\nstart: 2027-03-01\ndue: 2027-02-01\n",
                "before",
            ),
            ("name: x\nlevel: a\nstart: 2027-03-01\n", "due"),
            (
                "name: x\nlevel: a\nstart: 2027-03-01\ndue: 2027-04-01\nwho: me\n",
                "who",
            ),
        ] {
            let err = Campaign::parse(text, "c.yaml").unwrap_err();
            assert!(err.to_string().contains(needle), "{text}: {err}");
        }
    }

    #[test]
    fn the_open_count_sums_the_levels_up_to_the_goal() {
        let c = campaign();
        let t = |level: &str, open| LevelTally {
            level: level.into(),
            questions: 5,
            open,
        };
        let levels = vec![t("beta", 1), t("launch", 2), t("scale", 7)];
        assert_eq!(c.open_of(&levels), Some(3));
        assert_eq!(c.open_of(&[]), None);
    }
}
