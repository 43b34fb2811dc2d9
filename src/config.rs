//! `supportcheck.yaml`: the project's settings.

use crate::diagnostic::{Finding, yaml_error};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::gate::{DEFAULT_MIN_SCORE, DEFAULT_WARN_DAYS, FailOn, Gate};

/// Default config file name at the project root.
pub const FILE_NAME: &str = "supportcheck.yaml";
pub const DEFAULT_ANSWERS: &str = "readiness/answers.yaml";
pub const DEFAULT_REPORTS: &str = "readiness/reports";

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
    /// Roles and the people in each: `support-lead: [Dana Lee, Priya Raman]`
    /// (one person may be written without the brackets).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "people_by_role"
    )]
    pub owners: BTreeMap<String, Vec<String>>,
    /// Which role owns what, besides `owner:` in the playbooks.
    #[serde(default, skip_serializing_if = "Ownership::is_empty")]
    pub ownership: Ownership,
    /// How client-facing reports look: titles, names, colour, logo, dates.
    #[serde(default, skip_serializing_if = "Branding::is_empty")]
    pub report: Branding,
}

/// Ownership rules in the config, each from an id to a role. The most
/// specific rule wins: a question, then a playbook, then a tag (the first of
/// the question's tags that has a rule), then a section; at the same level
/// the config wins over `owner:` in a playbook file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ownership {
    /// Full question id (`help-desk/q1`) to role.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub questions: BTreeMap<String, String>,
    /// Playbook id to role.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub playbooks: BTreeMap<String, String>,
    /// Tag to role.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// Section (first folder level of a playbook set) to role.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sections: BTreeMap<String, String>,
}

/// `role: [a, b]`, or `role: a` for one person.
fn people_by_role<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum People {
        Many(Vec<String>),
        One(String),
    }
    let map = BTreeMap::<String, Option<People>>::deserialize(d)?;
    Ok(map
        .into_iter()
        .map(|(role, people)| {
            let people = match people {
                Some(People::Many(list)) => list,
                Some(People::One(one)) => vec![one],
                None => Vec::new(),
            };
            (role, people)
        })
        .collect())
}

impl Ownership {
    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
            && self.playbooks.is_empty()
            && self.tags.is_empty()
            && self.sections.is_empty()
    }
}

/// `report:` in `supportcheck.yaml`: what a client sees on the cover and in
/// every page of the HTML and PDF report.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Branding {
    /// The report's title [default: "Support readiness"].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Who the report is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// Who wrote it (a person or a firm).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prepared_by: Option<String>,
    /// The accent colour, `#rgb` or `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"))]
    pub accent: Option<String>,
    /// A PNG, JPEG, GIF, WebP or SVG file, relative to the project root;
    /// embedded in the HTML as a data URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// The IANA timezone dates are shown in, e.g. `Europe/Berlin` [default: UTC].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Human titles for sections, by section id (`1-reach: Reaching support`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub sections: std::collections::BTreeMap<String, String>,
}

impl Branding {
    pub fn is_empty(&self) -> bool {
        self == &Branding::default()
    }
}

/// `#abc` or `#aabbcc`: the accent colours a report accepts (it is written
/// into CSS, so nothing else may pass).
pub fn valid_colour(text: &str) -> bool {
    text.strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

impl Config {
    /// Parses config text; problems come back as one finding with a line.
    pub fn parse(text: &str, path: &str) -> Result<Config, Finding> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if let Some(conflict) = crate::diagnostic::merge_conflict(text, path) {
            return Err(conflict);
        }
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
        if let Some(accent) = &config.report.accent
            && !valid_colour(accent)
        {
            return Err(Finding::error(
                crate::diagnostic::Code::Config,
                crate::diagnostic::Location::file(path),
                format!("report.accent: `{accent}` is not a colour; write it as #rgb or #rrggbb"),
            ));
        }
        if let Some(tz) = &config.report.timezone
            && tz.parse::<chrono_tz::Tz>().is_err()
        {
            return Err(Finding::error(
                crate::diagnostic::Code::Config,
                crate::diagnostic::Location::file(path),
                format!(
                    "report.timezone: `{tz}` is not an IANA timezone such as Europe/Berlin or UTC"
                ),
            ));
        }
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
    fn a_role_takes_a_list_of_people_or_one_name() {
        let c = Config::parse(
            "owners:\n  legal: Jonas Berg\n  support-lead: [Dana Lee, Priya Raman]\n  empty:\n",
            "c.yaml",
        )
        .unwrap();
        assert_eq!(c.owners["legal"], ["Jonas Berg"]);
        assert_eq!(c.owners["support-lead"], ["Dana Lee", "Priya Raman"]);
        assert!(c.owners["empty"].is_empty());
        let err = Config::parse("owners:\n  legal: {name: x}\n", "c.yaml").unwrap_err();
        assert!(err.location.line.is_some(), "{err}");
    }

    #[test]
    fn the_report_section_reads_branding_and_refuses_bad_colours_and_zones() {
        let c = Config::parse(
            "report:\n  title: Launch review\n  client: Acme\n  accent: '#0a7'\n  timezone: Europe/Berlin\n  sections: {1-reach: Reaching support}\n",
            "c.yaml",
        )
        .unwrap();
        assert_eq!(c.report.client.as_deref(), Some("Acme"));
        assert_eq!(c.report.sections["1-reach"], "Reaching support");
        let err = Config::parse("report: {accent: 'red;}body{'}\n", "c.yaml").unwrap_err();
        assert!(err.to_string().contains("not a colour"), "{err}");
        let err = Config::parse("report: {timezone: Mars/Olympus}\n", "c.yaml").unwrap_err();
        assert!(err.to_string().contains("IANA"), "{err}");
        let err = Config::parse("report:\n  colour: red\n", "c.yaml").unwrap_err();
        assert_eq!(err.location.line, Some(2), "{err}");
    }

    #[test]
    fn an_unknown_gate_category_is_an_error() {
        let err = Config::parse("gate:\n  fail_on: [missing, nope]\n", "c.yaml").unwrap_err();
        assert!(err.location.line.is_some(), "{err}");
    }
}
