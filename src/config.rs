//! `supportcheck.yaml`: the project's settings, and the gate's failure categories.

use crate::diagnostic::{Finding, yaml_error};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Default config file name at the project root.
pub const FILE_NAME: &str = "supportcheck.yaml";
pub const DEFAULT_ANSWERS: &str = "readiness/answers.yaml";
pub const DEFAULT_REPORTS: &str = "readiness/reports";
pub const DEFAULT_MIN_SCORE: f64 = 80.0;
pub const DEFAULT_WARN_DAYS: i64 = 14;

/// What makes the gate fail.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    /// A question has no answer.
    Missing,
    /// An answer was given to an older MAJOR version of its question.
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
}

impl FailOn {
    pub const DEFAULT: [FailOn; 5] = [
        FailOn::Missing,
        FailOn::Stale,
        FailOn::Blocker,
        FailOn::ExpiredWaiver,
        FailOn::BelowScore,
    ];
    pub const ALL: [FailOn; 8] = [
        FailOn::Missing,
        FailOn::Stale,
        FailOn::Blocker,
        FailOn::ExpiredWaiver,
        FailOn::BelowScore,
        FailOn::EvidenceMissing,
        FailOn::Orphaned,
        FailOn::Unmet,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Missing => "missing",
            FailOn::Stale => "stale",
            FailOn::Blocker => "blocker",
            FailOn::ExpiredWaiver => "expired-waiver",
            FailOn::BelowScore => "below-score",
            FailOn::EvidenceMissing => "evidence-missing",
            FailOn::Orphaned => "orphaned",
            FailOn::Unmet => "unmet",
        }
    }
}

impl fmt::Display for FailOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
        }
    }
}

/// `supportcheck.yaml`: the project's settings. Paths are relative to its folder.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "supportcheck configuration")]
pub struct Config {
    /// Product name shown in reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Paths and/or `builtin`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checklists: Option<Vec<String>>,
    /// The answers file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<String>,
    /// The folder reports are written to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reports: Option<String>,
    /// When `check` fails.
    #[serde(default)]
    pub gate: Gate,
}

impl Config {
    /// Parses config text; problems come back as one finding with a line.
    pub fn parse(text: &str, path: &str) -> Result<Config, Finding> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let config: Config =
            serde_saphyr::from_str_with_options(text, crate::playbook::parse::yaml_options())
                .map_err(|e| {
                    let mut f = yaml_error(path, 0, &e, "config file");
                    f.code = crate::diagnostic::Code::Config;
                    f
                })?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_example() {
        let c = Config::parse(
            "product: Acme Helpdesk\nchecklists: [builtin]\nanswers: readiness/answers.yaml\nreports: readiness/reports\ngate:\n  min_score: 80\n  fail_on: [missing, stale, blocker, expired-waiver, below-score]\n",
            "supportcheck.yaml",
        )
        .unwrap();
        assert_eq!(c.product.as_deref(), Some("Acme Helpdesk"));
        assert_eq!(c.gate.fail_on, FailOn::DEFAULT.to_vec());
        assert_eq!(c.gate.warn_days, 14);
    }

    #[test]
    fn a_typo_is_an_error_with_a_line() {
        let err = Config::parse("gate:\n  min_scroe: 80\n", "supportcheck.yaml").unwrap_err();
        assert_eq!(err.location.line, Some(2), "{err}");
    }

    #[test]
    fn out_of_range_gate_values_are_errors_with_a_line() {
        for (text, line, needle) in [
            (
                "gate:\n  min_score: 150\n",
                2,
                "between 0 and 100, found 150",
            ),
            ("product: x\ngate:\n  min_score: .nan\n", 3, "found NaN"),
            ("gate:\n  min_score: -1\n", 2, "found -1"),
            ("gate: {warn_days: -3}\n", 1, "0 or more, found -3"),
        ] {
            let err = Config::parse(text, "c.yaml").unwrap_err();
            assert_eq!(err.location.line, Some(line), "{text}: {err}");
            assert!(err.to_string().contains(needle), "{text}: {err}");
        }
        let ok = Config::parse("gate: {min_score: 100, warn_days: 0}\n", "c.yaml").unwrap();
        assert_eq!((ok.gate.min_score, ok.gate.warn_days), (100.0, 0));
    }

    #[test]
    fn an_unknown_gate_category_is_an_error() {
        let err = Config::parse("gate:\n  fail_on: [missing, nope]\n", "c.yaml").unwrap_err();
        assert!(err.location.line.is_some(), "{err}");
    }
}
