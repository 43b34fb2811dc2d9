//! `supportcheck.yaml`: the project's settings.

use crate::diagnostic::{Finding, yaml_error};
use crate::duration::{Duration, Unit};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::playbook::facts::FactValue;

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
    /// The maturity levels, lowest first (`[beta, launch, scale]`); over
    /// the `levels` of the playbook set's root index page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<Vec<String>>,
    /// When `check` fails.
    #[serde(default)]
    pub gate: Gate,
    /// What the project is: `chatbot: true`, `channels: [email, chat]`.
    /// Playbooks' `applies_if` conditions read them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub facts: BTreeMap<String, FactValue>,
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
    /// What probes may reach and run (docs/probes.md).
    #[serde(default, skip_serializing_if = "ProbesConfig::is_empty")]
    pub probes: ProbesConfig,
}

/// `probes:` in `supportcheck.yaml`. Safe by default: with nothing here, no
/// `http` probe reaches any host and no `command` probe runs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProbesConfig {
    /// Hosts `http` probes may reach: `help.acme.test`, or `*.acme.test` for
    /// its subdomains. A private, loopback or link-local address is reached
    /// only through a host listed exactly (never through a wildcard).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_hosts: Vec<String>,
    /// Environment variables a probe's request header may name as
    /// `${NAME}` (a help-desk API token); their values are never printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_env: Vec<String>,
    /// A PEM file inside the project of CA certificates that `https` probes
    /// trust besides the public roots: a team's internal CA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// Playbooks whose `command` probes may run: path to the sha256 of the
    /// file as trusted (`supportcheck trust PATH` writes it). A changed
    /// file is untrusted again.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub trusted: BTreeMap<String, String>,
    /// Probes on questions of playbooks you do not edit (the built-in set),
    /// by full question id; `http` and `file` only.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub questions: BTreeMap<String, serde_json::Value>,
    /// Probes run at once by `verify` [default: 32].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 256))]
    pub jobs: Option<usize>,
    /// How long `verify` may take in all, 1s to 1h: a duration (`90s`,
    /// `1h`) or a number of seconds [default: 120s].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Budget>,
}

/// `probes.budget` and `verify --budget`: how long a whole probe run may
/// take. A [duration](crate::duration) from `1s` to `1h`; a bare number is
/// seconds, as the key took before it read durations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget(Duration);

impl Budget {
    /// The shortest budget, in milliseconds (one second).
    const LEAST_MS: i64 = 1_000;
    /// The longest budget, in milliseconds (one hour).
    const MOST_MS: i64 = 3_600_000;
    /// What a budget may be, for every error.
    const ALLOWED: &'static str =
        "a budget is from 1s to 1h: a duration such as `90s` or `1h`, or a number of seconds";

    /// Reads `90s`, `1h`, or `120` (seconds). The error quotes the text and
    /// says what is allowed; callers put the key or option in front.
    pub fn parse(text: &str) -> Result<Budget, String> {
        let t = text.trim();
        let d = if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            match t.parse::<u32>() {
                Ok(0) => return Err(format!("`{t}` is no time at all; {}", Self::ALLOWED)),
                Ok(amount) => Duration {
                    amount,
                    unit: Unit::Seconds,
                },
                Err(_) => return Err(format!("`{t}` is too long a budget; {}", Self::ALLOWED)),
            }
        } else {
            // What is wrong, then what a budget may be (not every duration).
            Duration::parse(t).map_err(|e| {
                let what = e.split_once("; write").map_or(e.as_str(), |(what, _)| what);
                format!("{what}; {}", Self::ALLOWED)
            })?
        };
        let ms = d.elapsed().num_milliseconds();
        if ms < Self::LEAST_MS {
            return Err(format!("`{t}` is shorter than a second; {}", Self::ALLOWED));
        }
        if ms > Self::MOST_MS {
            let months = if d.unit == Unit::Months {
                " (`m` is months: write minutes as seconds, `120s`)"
            } else {
                ""
            };
            return Err(format!(
                "`{t}` is {}, longer than an hour{months}; {}",
                d.words(),
                Self::ALLOWED
            ));
        }
        Ok(Budget(d))
    }

    /// The budget as a length of time.
    pub fn as_std(self) -> std::time::Duration {
        let ms = self.0.elapsed().num_milliseconds().clamp(0, Self::MOST_MS);
        std::time::Duration::from_millis(ms.unsigned_abs())
    }
}

impl std::fmt::Display for Budget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for Budget {
    type Err = String;
    fn from_str(s: &str) -> Result<Budget, String> {
        Budget::parse(s)
    }
}

impl Serialize for Budget {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Budget {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        /// A YAML number is seconds; a string is read by [`Budget::parse`].
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Budget;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a duration such as `90s` or `1h`, or a number of seconds")
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Budget, E> {
                Budget::parse(&n.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Budget, E> {
                Budget::parse(&n.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Budget, E> {
                Err(E::custom(format!(
                    "`{n}` is not a whole number of seconds; {}",
                    Budget::ALLOWED
                )))
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Budget, E> {
                Budget::parse(text).map_err(E::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl JsonSchema for Budget {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Budget".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "From 1s to 1h: a duration such as `90s` or `1h`, or a number of seconds.",
            "anyOf": [
                { "type": "integer", "minimum": 1, "maximum": 3600 },
                { "type": "string", "pattern": "^[1-9][0-9]*(ms|s|h|d|w|m|y)?$" }
            ]
        })
    }
}

impl ProbesConfig {
    pub fn is_empty(&self) -> bool {
        self == &ProbesConfig::default()
    }
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
    /// The assessor's summary, a Markdown file relative to the project root;
    /// its `## ` headings that name a section are that section's note
    /// [default: summary.md beside the answers file, when it exists].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
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
                    let mut f = crate::diagnostic::explain_yaml(
                        text,
                        yaml_error(path, 0, &e, "config file"),
                    );
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

/// Adds facts to the text of `supportcheck.yaml`, changing nothing else:
/// every comment and line stays. New keys go at the end of a block-style
/// `facts:` mapping, or into a new `facts:` block at the end of the file.
/// The result is parsed again and must hold exactly the old facts plus the
/// new ones, or nothing is returned. `scalar` writes a word as YAML (quoted
/// when needed): the answers writer's, passed in by the caller.
pub fn add_facts(
    text: &str,
    new: &BTreeMap<String, FactValue>,
    scalar: &dyn Fn(&str) -> String,
) -> Result<String, String> {
    let path = FILE_NAME;
    let old = Config::parse(text, path).map_err(|f| f.to_string())?;
    let entries: String = new
        .iter()
        .map(|(k, v)| format!("  {k}: {}\n", v.to_yaml(scalar)))
        .collect();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let facts_line = lines.iter().position(|l| {
        l.strip_prefix("facts:")
            .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
    });
    let mut out = String::with_capacity(text.len() + entries.len() + 8);
    match facts_line {
        Some(at) => {
            // The block ends before the next line that starts at column 0 and
            // is not a comment; trailing blank and comment lines stay after it.
            let mut end = at + 1;
            let mut last_entry = at + 1;
            while end < lines.len() {
                let l = lines[end];
                let t = l.trim();
                if !l.starts_with([' ', '\t']) && !t.is_empty() && !t.starts_with('#') {
                    break;
                }
                if !t.is_empty() && !t.starts_with('#') {
                    last_entry = end + 1;
                }
                end += 1;
            }
            for l in &lines[..last_entry] {
                out.push_str(l);
            }
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&entries);
            for l in &lines[last_entry..] {
                out.push_str(l);
            }
        }
        None => {
            if text.lines().any(|l| l.trim_start().starts_with("facts:")) {
                return Err(format!(
                    "{path} has a `facts:` written in a form supportcheck does not edit; add the facts by hand as a block (`facts:` then one `name: value` per line)"
                ));
            }
            out.push_str(text);
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(
                "# What the product is; playbooks' `applies_if` conditions read these.\nfacts:\n",
            );
            out.push_str(&entries);
        }
    }
    let mut want = old.clone();
    want.facts.extend(new.clone());
    match Config::parse(&out, path) {
        Ok(read) if read == want => Ok(out),
        _ => Err(format!(
            "adding facts to {path} would not read back as written; add them by hand:\nfacts:\n{entries}"
        )),
    }
}

/// Sets one key of config text to `value` (YAML on one line), changing no
/// other line: `parent: None` is a top-level key, `Some(p)` a key of the
/// block mapping `p:`. A comment after the old value on its line and the
/// comment lines inside an old block value stay; a key that is not there
/// is added (at the end of its mapping). The caller parses the result and
/// compares it with what it meant to write (see [`add_facts`]).
pub fn set_value(
    text: &str,
    parent: Option<&str>,
    key: &str,
    value: &str,
) -> Result<String, String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let nl = |out: &mut String| {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
    };
    // The mapping to look in: the whole file, or the block under `parent:`.
    let (start, end, indent) = match parent {
        None => (0, lines.len(), 0),
        Some(p) => {
            let Some(at) = lines.iter().position(|l| key_at(l, 0, p).is_some()) else {
                let mut out = text.to_string();
                nl(&mut out);
                out.push_str(&format!("{p}:\n  {key}: {value}\n"));
                return Ok(out);
            };
            let rest = key_at(lines[at], 0, p).unwrap_or_default();
            if !rest.trim().is_empty() && !rest.trim_start().starts_with('#') {
                return Err(format!(
                    "`{p}:` is written in a form supportcheck does not edit; write it as a block (`{p}:` then one `name: value` per line)"
                ));
            }
            let end = block_end(&lines, at, 0);
            let indent = lines[at + 1..end]
                .iter()
                .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .map_or(2, |l| l.len() - l.trim_start().len());
            (at + 1, end, indent)
        }
    };
    let found = (start..end).find(|&i| key_at(lines[i], indent, key).is_some());
    let mut out = String::with_capacity(text.len() + value.len() + 16);
    match found {
        Some(i) => {
            let rest = key_at(lines[i], indent, key).unwrap_or_default();
            let comment = trailing_comment(rest);
            let stop = block_end(&lines, i, indent);
            lines[..i].iter().for_each(|l| out.push_str(l));
            let pad = " ".repeat(indent);
            out.push_str(&format!("{pad}{key}: {value}"));
            if let Some(c) = comment {
                out.push_str(&format!(" {c}"));
            }
            out.push('\n');
            // The old block value's lines go; comment lines among them stay.
            for l in &lines[i + 1..stop] {
                if l.trim_start().starts_with('#') {
                    out.push_str(l);
                }
            }
            lines[stop..].iter().for_each(|l| out.push_str(l));
        }
        None => {
            // After the mapping's last entry (trailing comments stay after).
            let last = (start..end)
                .rev()
                .find(|&i| {
                    let t = lines[i].trim();
                    !t.is_empty() && !t.starts_with('#')
                })
                .map_or(start, |i| i + 1);
            let last = if parent.is_none() { lines.len() } else { last };
            lines[..last].iter().for_each(|l| out.push_str(l));
            nl(&mut out);
            out.push_str(&format!("{}{key}: {value}\n", " ".repeat(indent)));
            lines[last..].iter().for_each(|l| out.push_str(l));
        }
    }
    Ok(out)
}

/// What follows `key:` on a line that holds the key at exactly `indent`.
fn key_at<'a>(line: &'a str, indent: usize, key: &str) -> Option<&'a str> {
    let body = line.strip_prefix(&" ".repeat(indent))?;
    if body.starts_with([' ', '\t']) {
        return None;
    }
    let rest = body.strip_prefix(key)?.strip_prefix(':')?;
    (rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n'])).then_some(rest)
}

/// The line after the value that starts on line `at` (a key at `indent`):
/// the next line that is not blank, not a comment and not indented deeper
/// (or a `- ` item at the same indent, a block list under the key). Blank
/// and comment lines just before it are not part of the value.
fn block_end(lines: &[&str], at: usize, indent: usize) -> usize {
    let mut end = at + 1;
    let mut last = at + 1;
    while end < lines.len() {
        let l = lines[end];
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            end += 1;
            continue;
        }
        let own = l.len() - l.trim_start().len();
        if own > indent || (own == indent && (t == "-" || t.starts_with("- "))) {
            end += 1;
            last = end;
            continue;
        }
        break;
    }
    last
}

/// The `# comment` after a value on its line, outside quotes.
fn trailing_comment(rest: &str) -> Option<&str> {
    let rest = rest.trim_end_matches(['\r', '\n']);
    let (mut single, mut double, mut prev_space, mut escaped) = (false, false, true, false);
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if double => escaped = true,
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single && !double && prev_space => return Some(&rest[i..]),
            _ => {}
        }
        prev_space = c == ' ' || c == '\t';
    }
    None
}

/// Config text with `product: <name>` added after its leading comment
/// lines, the rest kept as written. An error when the config names a
/// product already or the result would not read back with it.
pub fn add_product(
    text: &str,
    name: &str,
    scalar: &dyn Fn(&str) -> String,
) -> Result<String, String> {
    let path = FILE_NAME;
    let old = Config::parse(text, path).map_err(|f| f.to_string())?;
    if old.product.is_some() {
        return Err(format!("{path} names a product already"));
    }
    let line = format!("product: {}\n", scalar(name));
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let head = lines
        .iter()
        .take_while(|l| l.trim_start().starts_with('#'))
        .count();
    let mut out = String::with_capacity(text.len() + line.len() + 1);
    for l in &lines[..head] {
        out.push_str(l);
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&line);
    for l in &lines[head..] {
        out.push_str(l);
    }
    let mut want = old;
    want.product = Some(name.to_string());
    match Config::parse(&out, path) {
        Ok(read) if read == want => Ok(out),
        _ => Err(format!(
            "adding the product to {path} would not read back as written; add it by hand:\n{line}"
        )),
    }
}

/// Records in the text of `supportcheck.yaml` that the playbook at `path`
/// is trusted at `digest` (`probes.trusted`), changing nothing else. The
/// result is parsed again and must hold exactly that change, or nothing is
/// returned.
pub fn trust(text: &str, path: &str, digest: &str) -> Result<String, String> {
    let old = Config::parse(text, FILE_NAME).map_err(|f| f.to_string())?;
    let key = serde_json::to_string(path).unwrap_or_default();
    let entry = format!("    {key}: {digest}\n");
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let top = |l: &str| {
        !l.starts_with([' ', '\t']) && !l.trim().is_empty() && !l.trim_start().starts_with('#')
    };
    let bare = |l: &str, k: &str| {
        l.trim_end()
            .strip_prefix(k)
            .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
    };
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    match lines.iter().position(|l| bare(l, "probes:")) {
        None => {
            if lines.iter().any(|l| l.starts_with("probes:")) {
                return Err(format!(
                    "{FILE_NAME} has a `probes:` written in a form supportcheck does not edit; add by hand:\nprobes:\n  trusted:\n{entry}"
                ));
            }
            if out.last().is_some_and(|l| !l.ends_with('\n')) {
                out.push("\n".into());
            }
            out.push(format!("probes:\n  trusted:\n{entry}"));
        }
        Some(at) => {
            let end = (at + 1..lines.len())
                .find(|&i| top(lines[i]))
                .unwrap_or(lines.len());
            match (at + 1..end).find(|&i| bare(lines[i], "  trusted:")) {
                Some(t) => {
                    // Replace this path's line if it is there, else add one.
                    let block_end = (t + 1..end)
                        .find(|&i| {
                            let l = lines[i];
                            !l.trim().is_empty()
                                && !l.trim_start().starts_with('#')
                                && !l.starts_with("    ")
                        })
                        .unwrap_or(end);
                    let same = (t + 1..block_end).find(|&i| {
                        let l = lines[i].trim_start();
                        l.starts_with(&format!("{key}:")) || l.starts_with(&format!("{path}:"))
                    });
                    match same {
                        Some(i) => out[i] = entry.clone(),
                        None => out.insert(t + 1, entry.clone()),
                    }
                }
                None => out.insert(at + 1, format!("  trusted:\n{entry}")),
            }
        }
    }
    let out: String = out.concat();
    let mut want = old;
    want.probes
        .trusted
        .insert(path.to_string(), digest.to_string());
    match Config::parse(&out, FILE_NAME) {
        Ok(read) if read == want => Ok(out),
        _ => Err(format!(
            "recording the trust in {FILE_NAME} would not read back as written; add it by hand:\nprobes:\n  trusted:\n{entry}"
        )),
    }
}

/// The line of `name:` in the block-style `facts:` mapping of config
/// text, when it is written there.
pub fn fact_line(text: &str, name: &str) -> Option<u64> {
    let mut in_facts = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if !line.starts_with([' ', '\t']) && !t.is_empty() && !t.starts_with('#') {
            in_facts = line.strip_prefix("facts:").is_some();
            continue;
        }
        if in_facts
            && t.strip_prefix(name)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        {
            return Some(i as u64 + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusting_a_playbook_keeps_the_text_and_replaces_an_old_digest() {
        let text =
            "# ours\nchecklists: [playbooks]\nprobes:\n  allow_hosts: [a.test] # the help centre\n";
        let once = trust(text, "playbooks/x.md", "aaa").unwrap();
        assert!(once.starts_with("# ours\nchecklists: [playbooks]\nprobes:\n  trusted:\n    \"playbooks/x.md\": aaa\n  allow_hosts: [a.test] # the help centre\n"), "{once}");
        let twice = trust(&once, "playbooks/x.md", "bbb").unwrap();
        assert_eq!(twice, once.replace("aaa", "bbb"));
        let other = trust(&twice, "playbooks/y.md", "ccc").unwrap();
        let c = Config::parse(&other, FILE_NAME).unwrap();
        assert_eq!(c.probes.trusted.len(), 2);
        assert_eq!(c.probes.allow_hosts, vec!["a.test".to_string()]);
        let fresh = trust("", "p.md", "ddd").unwrap();
        assert_eq!(fresh, "probes:\n  trusted:\n    \"p.md\": ddd\n");
        assert!(trust("probes: {allow_hosts: [a]}\n", "p.md", "e").is_err());
    }

    #[test]
    fn adding_facts_keeps_every_comment() {
        let new: BTreeMap<String, FactValue> = [
            ("chatbot".to_string(), FactValue::Bool(true)),
            (
                "channels".to_string(),
                FactValue::Many(vec!["email".into(), "chat".into()]),
            ),
        ]
        .into();
        let text = "# ours\nproduct: Acme # inline\ngate:\n  min_score: 70 # lower for beta\n";
        let scalar = |s: &str| crate::answers::write_scalar(s);
        let out = add_facts(text, &new, &scalar).unwrap();
        assert!(out.starts_with(text), "{out}");
        assert!(
            out.ends_with("facts:\n  channels: [email, chat]\n  chatbot: true\n"),
            "{out}"
        );

        let text = "facts:\n  # who buys\n  audience: b2b\n\n# the gate\ngate:\n  min_score: 70\n";
        let out = add_facts(text, &new, &scalar).unwrap();
        assert_eq!(
            out,
            "facts:\n  # who buys\n  audience: b2b\n  channels: [email, chat]\n  chatbot: true\n\n# the gate\ngate:\n  min_score: 70\n"
        );
        assert!(add_facts("facts: {audience: b2b}\n", &new, &scalar).is_err());
    }

    #[test]
    fn setting_a_value_changes_that_line_only() {
        let text = "# top\nproduct: Old # the name\nchecklists:\n  # ours\n  - a\n  - b\nfacts:\n    x: 1\n# tail\nreport:\n  title: T\n";
        let out = set_value(text, None, "product", "New").unwrap();
        assert_eq!(out, text.replace("Old # the name", "New # the name"));
        let out = set_value(text, None, "checklists", "[pb]").unwrap();
        assert_eq!(
            out,
            "# top\nproduct: Old # the name\nchecklists: [pb]\n  # ours\nfacts:\n    x: 1\n# tail\nreport:\n  title: T\n"
        );
        let out = set_value(text, Some("facts"), "x", "2").unwrap();
        assert_eq!(out, text.replace("x: 1", "x: 2"));
        let out = set_value(text, Some("facts"), "y", "true").unwrap();
        assert_eq!(out, text.replace("    x: 1\n", "    x: 1\n    y: true\n"));
        let out = set_value(text, None, "answers", "a.yaml").unwrap();
        assert_eq!(out, format!("{text}answers: a.yaml\n"));
        assert!(set_value("facts: {a: 1}\n", Some("facts"), "b", "2").is_err());
        let out = set_value("x: 1\n", Some("facts"), "b", "2").unwrap();
        assert_eq!(out, "x: 1\nfacts:\n  b: 2\n");
    }

    #[test]
    fn reads_the_documented_example() {
        let c = Config::parse(
            "product: Acme Helpdesk\nchecklists: [builtin]\nanswers: readiness/answers.yaml\nreports: readiness/reports\ngate:\n  min_score: 80\n  fail_on: [missing, stale, blocker, expired-waiver, below-score, below-coverage]\n",
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
