//! The gate: its settings, which categories fail, which findings fail it,
//! and the severity a finding is shown with. Renderers only render this.

use crate::diagnostic::{Code, Finding, Severity};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::str::FromStr;

pub const DEFAULT_MIN_SCORE: f64 = 80.0;
pub const DEFAULT_WARN_DAYS: i64 = 14;
/// The lowest passing coverage, in percent of the applicable questions
/// answered other than not-applicable: a set answered all "not applicable"
/// cannot pass (docs/scoring.md).
pub const DEFAULT_MIN_COVERAGE: f64 = 50.0;

/// What makes the gate fail.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum FailOn {
    /// A question has no answer, or a fact its condition needs is not set.
    Missing,
    /// An answer was given to an older MAJOR version of its question, or
    /// is older than its `max_age`.
    Stale,
    /// A critical question is not met and not waived.
    Blocker,
    /// A waiver's date has passed.
    ExpiredWaiver,
    /// The overall score is below `min_score`.
    BelowScore,
    /// Fewer applicable questions than `min_coverage` are answered other
    /// than not-applicable.
    BelowCoverage,
    /// An evidence path does not exist.
    EvidenceMissing,
    /// An answer's question no longer exists.
    Orphaned,
    /// Any question is answered unmet.
    Unmet,
    /// A follow-up action is past its due date.
    Overdue,
    /// A role in `gate.signoffs` has no current sign-off.
    Signoff,
    /// The achieved maturity level is below the target level (`gate.level`
    /// or `gate.level_from`); on whenever a target is set.
    Level,
    /// A question's probe failed (a `met` answer then counts as partial).
    ProbeFailed,
}

impl FailOn {
    pub const DEFAULT: [FailOn; 6] = [
        FailOn::Missing,
        FailOn::Stale,
        FailOn::Blocker,
        FailOn::ExpiredWaiver,
        FailOn::BelowScore,
        FailOn::BelowCoverage,
    ];
    /// Every category, in declaration order: derived from the enum, so that
    /// `--help`, the parser and the docs test cannot miss one.
    pub const ALL: &[FailOn] = <FailOn as strum::VariantArray>::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl FromStr for FailOn {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        FailOn::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == s.trim())
            .ok_or_else(|| {
                let all: Vec<_> = FailOn::ALL.iter().map(|f| f.as_str()).collect();
                format!("unknown category `{s}` (one of: {})", all.join(", "))
            })
    }
}

/// Gate settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// The lowest passing score, 0-100.
    #[serde(default = "default_min_score", deserialize_with = "percent")]
    #[schemars(range(min = 0, max = 100))]
    pub min_score: f64,
    /// The lowest passing coverage, 0-100: the share of applicable questions
    /// answered other than not-applicable (default 50).
    // Left out when it is the default, so that the gate's digest (which
    // sign-offs cover) is the same as before the setting existed.
    #[serde(
        default = "default_min_coverage",
        deserialize_with = "coverage",
        skip_serializing_if = "is_default_coverage"
    )]
    #[schemars(range(min = 0, max = 100))]
    pub min_coverage: f64,
    /// What makes the gate fail.
    #[serde(default = "default_fail_on")]
    pub fail_on: Vec<FailOn>,
    /// Days before a waiver expires that it is reported as expiring.
    #[serde(default = "default_warn_days", deserialize_with = "days")]
    #[schemars(range(min = 0))]
    pub warn_days: i64,
    /// How long any answer stays valid, unless its question or playbook
    /// says otherwise (`90d`, `6m`); none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<crate::duration::Duration>,
    /// Every question must have an owner (a `no-owner` lint error otherwise).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_owners: bool,
    /// Roles that must sign off the readiness as it stands; listing any adds
    /// `signoff` to the categories that fail `check`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signoffs: Vec<String>,
    /// A sign-off counts only when it is SSH-signed (`signoff --sign`) by a
    /// key that `allowed_signers` lists for the person signing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub signoffs_signed: bool,
    /// The `allowed_signers` file (the format of `ssh-keygen -Y verify`),
    /// relative to the project folder; by default `allowed_signers` beside
    /// the sign-offs file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_signers: Option<String>,
    /// The maturity level every playbook set must reach (`launch`); setting
    /// it adds `level` to the categories that fail `check`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// A fact whose value names the target level (`stage`), when `level` is
    /// not set; `level_map` translates its values (`ga: scale`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_from: Option<String>,
    /// Fact values to level names, for `level_from`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub level_map: std::collections::BTreeMap<String, String>,
}

impl Gate {
    /// The categories that fail: `fail_on`, plus `signoff` when roles must
    /// sign, plus `level` when a target level is set.
    pub fn effective_fail_on(&self) -> Vec<FailOn> {
        let mut all = self.fail_on.clone();
        if !self.signoffs.is_empty() && !all.contains(&FailOn::Signoff) {
            all.push(FailOn::Signoff);
        }
        if self.targets_level() && !all.contains(&FailOn::Level) {
            all.push(FailOn::Level);
        }
        all
    }

    /// A target level is configured, directly or through a fact.
    pub fn targets_level(&self) -> bool {
        self.level.is_some() || self.level_from.is_some()
    }
}

// Range checks inside deserialization, so that the error carries the
// value's line and column.
fn percent<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = f64::deserialize(d)?;
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(serde::de::Error::custom(format!(
            "gate.min_score must be between 0 and 100, found {v}"
        )))
    }
}

fn coverage<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = f64::deserialize(d)?;
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(serde::de::Error::custom(format!(
            "gate.min_coverage must be between 0 and 100, found {v}"
        )))
    }
}

fn days<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let v = i64::deserialize(d)?;
    if v >= 0 {
        Ok(v)
    } else {
        Err(serde::de::Error::custom(format!(
            "gate.warn_days must be 0 or more, found {v}"
        )))
    }
}

fn default_min_score() -> f64 {
    DEFAULT_MIN_SCORE
}
fn is_default_coverage(v: &f64) -> bool {
    *v == DEFAULT_MIN_COVERAGE
}
fn default_min_coverage() -> f64 {
    DEFAULT_MIN_COVERAGE
}
fn default_fail_on() -> Vec<FailOn> {
    FailOn::DEFAULT.to_vec()
}
fn default_warn_days() -> i64 {
    DEFAULT_WARN_DAYS
}

impl Default for Gate {
    fn default() -> Self {
        Gate {
            min_score: DEFAULT_MIN_SCORE,
            min_coverage: DEFAULT_MIN_COVERAGE,
            fail_on: default_fail_on(),
            warn_days: DEFAULT_WARN_DAYS,
            max_age: None,
            require_owners: false,
            signoffs: Vec::new(),
            signoffs_signed: false,
            allowed_signers: None,
            level: None,
            level_from: None,
            level_map: Default::default(),
        }
    }
}

/// The gate's verdict: the one decision every output renders (text, JSON,
/// annotations, JUnit, reports, portfolio, the exit code).
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The categories in effect (`fail_on`, plus `signoff` when roles must sign).
    pub fail_on: Vec<FailOn>,
    /// The categories that failed, sorted, once each.
    pub failed: Vec<FailOn>,
    pub passed: bool,
}

/// What the verdict is decided from: the scored summary (`score::Summary`
/// implements it; the gate sits below scoring, so it names no type of it).
pub trait Outcome {
    /// Whether the outcome trips category `c`.
    fn trips(&self, c: FailOn) -> bool;
    /// Whether the score and its bar are numbers that can be compared.
    fn comparable(&self) -> bool;
}

/// Decides pass or fail: the categories in effect that `summary` trips. A
/// score or bar that is not a finite number fails as `below-score` even when
/// that category is not asked for: no gate passes on a number it cannot
/// compare.
pub fn verdict(gate: &Gate, summary: &impl Outcome) -> Verdict {
    let fail_on = gate.effective_fail_on();
    let mut asked = fail_on.clone();
    if !summary.comparable() {
        asked.push(FailOn::BelowScore);
    }
    let failed = failed(&asked, |c| summary.trips(c));
    Verdict {
        fail_on,
        passed: failed.is_empty(),
        failed,
    }
}

/// The categories of `fail_on` that `trips` says are tripped, sorted, once each.
pub fn failed(fail_on: &[FailOn], trips: impl Fn(FailOn) -> bool) -> Vec<FailOn> {
    fail_on
        .iter()
        .copied()
        .filter(|&c| trips(c))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The category of the gate a finding belongs to, if any.
pub fn category(code: Code) -> Option<FailOn> {
    Some(match code {
        Code::Missing | Code::NaReason => FailOn::Missing,
        Code::Stale | Code::Expired => FailOn::Stale,
        Code::FactMissing => FailOn::Missing,
        Code::Blocker => FailOn::Blocker,
        Code::ExpiredWaiver => FailOn::ExpiredWaiver,
        Code::EvidenceMissing => FailOn::EvidenceMissing,
        Code::Orphaned => FailOn::Orphaned,
        Code::Unmet => FailOn::Unmet,
        Code::Overdue => FailOn::Overdue,
        Code::Signoff => FailOn::Signoff,
        Code::ProbeFailed => FailOn::ProbeFailed,
        _ => return None,
    })
}

/// The category a finding counts in, if any: [`category`] of its code,
/// except that a missing fact which cannot change the verdict (every
/// question it decides is answered) is only a warning and counts in none.
pub fn category_of(f: &Finding) -> Option<FailOn> {
    if f.code == Code::FactMissing && f.severity != Severity::Error {
        return None;
    }
    category(f.code)
}

/// Whether a finding is one of the gate's reasons: its category is among
/// `failed` (the verdict's failed categories).
pub fn fails(failed: &[FailOn], f: &Finding) -> bool {
    category_of(f).is_some_and(|c| failed.contains(&c))
}

/// A finding with the severity the gate gives it: an error when it fails
/// the gate, at most a warning when it does not.
pub fn judged(f: &Finding, fails: bool) -> Finding {
    let mut f = f.clone();
    if fails {
        f.severity = Severity::Error;
    } else if f.is_error() {
        f.severity = Severity::Warning;
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_map_to_gate_categories() {
        assert_eq!(category(Code::Missing), Some(FailOn::Missing));
        assert_eq!(category(Code::NaReason), Some(FailOn::Missing));
        assert_eq!(category(Code::Stale), Some(FailOn::Stale));
        assert_eq!(category(Code::Blocker), Some(FailOn::Blocker));
        assert_eq!(category(Code::ExpiredWaiver), Some(FailOn::ExpiredWaiver));
        assert_eq!(
            category(Code::EvidenceMissing),
            Some(FailOn::EvidenceMissing)
        );
        assert_eq!(category(Code::Orphaned), Some(FailOn::Orphaned));
        assert_eq!(category(Code::Unmet), Some(FailOn::Unmet));
        for code in [
            Code::Partial,
            Code::Review,
            Code::Criteria,
            Code::WaiverExpiring,
            Code::EvidenceRequired,
        ] {
            assert_eq!(category(code), None, "{code}");
        }
    }
}
