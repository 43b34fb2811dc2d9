//! The gate: its settings, which categories fail, which findings fail it,
//! and the severity a finding is shown with. Renderers only render this.

use crate::diagnostic::{Code, Finding, Severity};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::str::FromStr;

pub const DEFAULT_MIN_SCORE: f64 = 80.0;
pub const DEFAULT_WARN_DAYS: i64 = 14;

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
    /// A question's probe failed (a `met` answer then counts as partial).
    ProbeFailed,
}

impl FailOn {
    pub const DEFAULT: [FailOn; 5] = [
        FailOn::Missing,
        FailOn::Stale,
        FailOn::Blocker,
        FailOn::ExpiredWaiver,
        FailOn::BelowScore,
    ];
    pub const ALL: [FailOn; 11] = [
        FailOn::Missing,
        FailOn::Stale,
        FailOn::Blocker,
        FailOn::ExpiredWaiver,
        FailOn::BelowScore,
        FailOn::EvidenceMissing,
        FailOn::Orphaned,
        FailOn::Unmet,
        FailOn::Overdue,
        FailOn::Signoff,
        FailOn::ProbeFailed,
    ];

    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl FromStr for FailOn {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        FailOn::ALL
            .into_iter()
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
    pub max_age: Option<crate::playbook::facts::MaxAge>,
    /// Every question must have an owner (a `no-owner` lint error otherwise).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_owners: bool,
    /// Roles that must sign off the readiness as it stands; listing any adds
    /// `signoff` to the categories that fail `check`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signoffs: Vec<String>,
}

impl Gate {
    /// The categories that fail: `fail_on`, plus `signoff` when roles must sign.
    pub fn effective_fail_on(&self) -> Vec<FailOn> {
        let mut all = self.fail_on.clone();
        if !self.signoffs.is_empty() && !all.contains(&FailOn::Signoff) {
            all.push(FailOn::Signoff);
        }
        all
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
            fail_on: default_fail_on(),
            warn_days: DEFAULT_WARN_DAYS,
            max_age: None,
            require_owners: false,
            signoffs: Vec::new(),
        }
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

/// Whether a finding makes the gate fail under `fail_on`.
pub fn fails(fail_on: &[FailOn], f: &Finding) -> bool {
    category(f.code).is_some_and(|c| fail_on.contains(&c))
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
