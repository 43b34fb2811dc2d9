//! Parses one playbook file's bytes into the model, collecting every finding
//! instead of stopping at the first.

use super::frontmatter::{self, SplitError};
use super::raw::{Front, Pos, RawChecklist, RawEntry, RawItem};
use super::simple_yaml;
use super::{Criterion, Playbook, Question};
use crate::diagnostic::{Code, Finding, Location, yaml_error};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What one file turned out to be.
#[derive(Debug)]
pub enum Parsed {
    /// A playbook; it may carry warnings, and errors for items it had to drop.
    Playbook(Box<Playbook>, Vec<Finding>),
    /// Not a playbook (no frontmatter, or no `checklist`); `why` says which.
    /// `title` is the frontmatter's title, if any: a section index page
    /// names its section with it.
    /// `levels` is the maturity levels an index page at a set's root
    /// declares (`levels: [beta, launch, scale]`), in order.
    NotAPlaybook {
        why: String,
        title: Option<String>,
        levels: Option<Vec<String>>,
    },
    /// A file that could not be read as a playbook at all.
    Broken(Vec<Finding>),
}

/// Where a file sits: its display path, its section and its stem.
#[derive(Debug, Clone)]
pub struct FileInfo {
    pub path: String,
    pub section: Option<String>,
    pub stem: String,
}

/// YAML parse options for every file we read (playbooks, answers, config),
/// one set of budgets for all of them:
/// - serde-saphyr's budgets stay on, sized so that a 20,000-question
///   playbook (or an 80,000-answer file) fits and a YAML bomb does not;
///   anchors and aliases are held to far less than any real file uses, so
///   a billion-laughs document is refused in milliseconds and megabytes;
/// - YAML 1.2 booleans only, so that `expectation: Yes` or a note of `no`
///   is text, not a true/false value (YAML 1.1's `yes`, `no`, `on`, `y`...);
/// - no comment events: they carry nothing we read, and with them the parser
///   refuses a run of more than 96 comment lines (`too many buffered
///   comments`), which the answers template is mostly made of.
pub(crate) fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = 2_000_000;
    budget.max_events = 4_000_000;
    budget.max_recorded_anchor_events = 100_000;
    let mut options = serde_saphyr::options! { budget: Some(budget) };
    options.alias_limits.max_total_replayed_events = 200_000;
    options.strict_booleans = true;
    options.emit_comments = false;
    options
}

/// The largest weight a question may have. Weights are relative, so this
/// loses nothing real, and a million questions of this weight still sum to
/// an exact, finite number.
pub const MAX_WEIGHT: f64 = 1000.0;

/// Parses a file's bytes.
pub fn parse(bytes: Vec<u8>, info: &FileInfo) -> Parsed {
    let path = info.path.as_str();
    // `contains` on bytes is a memchr; the position is only needed for the message.
    if bytes.contains(&0)
        && let Some(nul) = bytes.iter().position(|&b| b == 0)
    {
        let line = line_of(&bytes, nul);
        return Parsed::Broken(vec![Finding::error(
            Code::Encoding,
            Location::at(path, line, 0),
            "binary file (contains a NUL byte); a playbook is UTF-8 Markdown text",
        )]);
    }
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            let bytes = err.as_bytes();
            let line = line_of(bytes, at);
            let col = at
                - bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1)
                + 1;
            return Parsed::Broken(vec![Finding::error(
                Code::Encoding,
                Location::at(path, line, col as u64),
                "invalid UTF-8; save the file as UTF-8",
            )]);
        }
    };
    let bom = text.starts_with('\u{feff}');
    if bom {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if let Some(conflict) = crate::diagnostic::merge_conflict(&text, path) {
        return Parsed::Broken(vec![conflict]);
    }
    let split = match frontmatter::split(&text) {
        Ok(split) => split,
        Err(SplitError::NoFrontmatter) => {
            return Parsed::NotAPlaybook {
                why: "no YAML frontmatter (the first line is not `---`)".into(),
                title: None,
                levels: None,
            };
        }
        Err(SplitError::Unclosed) => {
            return Parsed::Broken(vec![Finding::error(
                Code::Yaml,
                Location::at(path, 1, 1),
                "frontmatter is never closed: add a line `---` after the YAML",
            )]);
        }
    };
    let offset = frontmatter::YAML_FIRST_LINE - 1;
    let body_offset = split.body_offset;
    let front = if split.yaml.trim().is_empty() {
        Front::default()
    } else if let Some(front) = simple_yaml::parse(split.yaml) {
        front
    } else {
        match front_via_saphyr(split.yaml) {
            Ok(front) => front,
            Err(err) => {
                return Parsed::Broken(vec![yaml_error_in(path, offset, split.yaml, &err)]);
            }
        }
    };

    let mut findings = Vec::new();
    let at = |p: &Pos| Location::at(path, p.line + offset, p.column);
    for (key, loc) in &front.miscased {
        findings.push(Finding::warning(
            Code::KeyCase,
            at(loc),
            format!("key `{key}` should be lower case: `{}`", key.to_lowercase()),
        ));
    }
    let Some(checklist) = front.checklist else {
        let title = match front.title.as_ref().map(|(_, t)| t) {
            Some(Value::String(t)) if !t.trim().is_empty() => Some(t.trim().to_string()),
            _ => None,
        };
        let levels = match front.levels {
            None | Some((_, Value::Null)) => None,
            Some((pos, v)) => match level_list(&v) {
                Ok(list) => Some(list),
                Err(message) => {
                    findings.push(Finding::error(Code::Schema, at(&pos), message));
                    return Parsed::Broken(findings);
                }
            },
        };
        return Parsed::NotAPlaybook {
            why: "frontmatter has no `checklist`".into(),
            title,
            levels,
        };
    };
    let (checklist_pos, checklist) = checklist;
    let items = match checklist {
        RawChecklist::Items(items) => items,
        RawChecklist::Null => Vec::new(),
        RawChecklist::Other(kind) => {
            findings.push(Finding::error(
                Code::Schema,
                at(&checklist_pos),
                format!("`checklist` must be a list of questions, found {kind}"),
            ));
            return Parsed::Broken(findings);
        }
    };
    if items.is_empty() {
        findings.push(Finding::warning(
            Code::Schema,
            at(&checklist_pos),
            "`checklist` is empty",
        ));
    }

    let id = match front.id {
        Some((pos, value)) => match value.as_str().map(str::trim) {
            Some(s) if valid_id(s) => s.to_string(),
            _ => {
                findings.push(Finding::error(
                    Code::Schema,
                    at(&pos),
                    "`id` must be a word of letters, digits, `-`, `_` or `.`",
                ));
                default_playbook_id(&info.stem)
            }
        },
        None => default_playbook_id(&info.stem),
    };
    let title = match front.title.as_ref().map(|(_, t)| t) {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => id.clone(),
    };
    let summary = front
        .summary
        .and_then(|(_, s)| s.as_str().map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty());
    let owner = match front.owner {
        None | Some((_, Value::Null)) => None,
        Some((pos, value)) => match role_of(&value) {
            Some(role) => Some(role),
            None => {
                findings.push(Finding::error(
                    Code::Schema,
                    at(&pos),
                    format!(
                        "`owner` must be a role name like `support-lead`, found {}",
                        short(&value)
                    ),
                ));
                None
            }
        },
    };

    if let Some((pos, _)) = &front.levels {
        findings.push(Finding::warning(
            Code::Schema,
            at(pos),
            "`levels` is read from a set's index page (a file with no `checklist`), not from a playbook; it is ignored here",
        ));
    }
    let level = match front.level {
        None | Some((_, Value::Null)) => None,
        Some((pos, v)) => match level_name(&v) {
            Some(name) => Some(name),
            None => {
                findings.push(Finding::error(
                    Code::Schema,
                    at(&pos),
                    format!(
                        "`level` must be a level name like `beta`, found {}",
                        short(&v)
                    ),
                ));
                None
            }
        },
    };
    let applies_if = front
        .applies_if
        .and_then(|(pos, v)| condition(&v, &at(&pos), &mut findings));
    let max_age = front
        .max_age
        .and_then(|(pos, v)| max_age(&v, &at(&pos), &mut findings));
    let facts = match front.facts {
        None | Some((_, Value::Null)) => Vec::new(),
        Some((pos, v)) => {
            let loc = at(&pos);
            super::facts::parse_decls(&v, loc.line.unwrap_or(0)).unwrap_or_else(|message| {
                findings.push(Finding::error(Code::Fact, loc, message));
                Vec::new()
            })
        }
    };

    let mut questions = Vec::with_capacity(items.len());
    let mut orders: BTreeMap<u64, u64> = BTreeMap::new();
    let mut ids: BTreeMap<String, u64> = BTreeMap::new();
    for (item_pos, item) in items {
        let item_loc = at(&item_pos);
        let Some(q) = item_from_entries(item, &item_loc, &id, &at, &mut findings) else {
            continue;
        };
        if let Some(first) = orders.insert(q.order, q.line) {
            findings.push(Finding::error(
                Code::DuplicateOrder,
                item_loc.clone(),
                format!(
                    "order {} is already used by the item on line {first}",
                    q.order
                ),
            ));
            continue;
        }
        if let Some(first) = ids.insert(q.local_id.clone(), q.line) {
            findings.push(Finding::error(
                Code::DuplicateId,
                item_loc,
                format!(
                    "question id `{}` is already used by the item on line {first}; give one of them another `id:`",
                    q.local_id
                ),
            ));
            continue;
        }
        questions.push(q);
    }
    questions.sort_by_key(|q| q.order);
    // In file order: an item's key warnings were found before its value errors.
    findings.sort_by_key(|f| (f.location.line, f.location.column));

    Parsed::Playbook(
        Box::new(Playbook {
            id,
            title,
            summary,
            owner,
            path: info.path.clone(),
            section: info.section.clone(),
            questions,
            facts,
            applies_if,
            max_age,
            level,
            source: text,
            body_offset,
            bom,
            sha256: std::sync::OnceLock::new(),
        }),
        findings,
    )
}

/// `04-customer-support` → `customer-support`.
pub fn default_playbook_id(stem: &str) -> String {
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &stem[digits..];
    match rest.strip_prefix(['-', '_', '.', ' ']) {
        Some(r) if digits > 0 && !r.is_empty() => r.to_string(),
        _ => stem.to_string(),
    }
}

fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

pub fn line_of(bytes: &[u8], at: usize) -> u64 {
    bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

const ITEM_KEYS: &[&str] = &[
    "order",
    "question",
    "expectation",
    "version",
    "id",
    "weight",
    "critical",
    "criteria",
    "evidence",
    "tags",
    "applies_if",
    "max_age",
    "owner",
    "level",
    "effective_from",
    "probes",
];

/// A role name: one word of letters, digits, `-`, `_` or `.`.
fn role_of(v: &Value) -> Option<String> {
    let s = v.as_str()?.trim();
    valid_id(s).then(|| s.to_string())
}

/// Builds a question from an item's entries, reporting each problem.
fn item_from_entries(
    item: RawItem,
    item_loc: &Location,
    playbook_id: &str,
    at: &dyn Fn(&Pos) -> Location,
    findings: &mut Vec<Finding>,
) -> Option<Question> {
    let entries = match item {
        RawItem::Entries(entries) => entries,
        RawItem::Other(kind) => {
            findings.push(Finding::error(
                Code::Schema,
                item_loc.clone(),
                format!("a checklist item must be a mapping with order, question, expectation and version; found {kind}"),
            ));
            return None;
        }
    };
    let mut fields: BTreeMap<&'static str, Field> = BTreeMap::new();
    for entry in entries {
        let key = entry.key;
        let known = ITEM_KEYS
            .iter()
            .find(|k| **k == key)
            .or_else(|| ITEM_KEYS.iter().find(|k| k.eq_ignore_ascii_case(&key)));
        let Some(&known) = known else {
            findings.push(Finding::warning(
                Code::UnknownKey,
                at(&entry.key_pos),
                format!(
                    "unknown key `{key}` on a checklist item (known: {})",
                    ITEM_KEYS.join(", ")
                ),
            ));
            continue;
        };
        if key != known {
            findings.push(Finding::warning(
                Code::KeyCase,
                at(&entry.key_pos),
                format!("key `{key}` should be lower case: `{known}`"),
            ));
        }
        let value = Field {
            value: entry.value,
            referenced: entry.value_pos,
        };
        if fields.insert(known, value).is_some() {
            findings.push(Finding::error(
                Code::Schema,
                at(&entry.key_pos),
                format!("key `{known}` appears twice on this item"),
            ));
        }
    }

    let mut warnings = Vec::new();
    let mut ok = true;
    let mut fail = |f: Finding| {
        ok = false;
        findings.push(f);
    };
    let loc_of = |name: &str, fields: &BTreeMap<&str, Field>| {
        fields
            .get(name)
            .map_or_else(|| item_loc.clone(), |v| at(&v.referenced))
    };

    // order: a positive integer (a quoted number is read, with a warning).
    let order = match fields.get("order").map(|v| &v.value) {
        Some(Value::Number(n)) => match n.as_u64() {
            Some(o) if o > 0 => Some(o),
            _ => {
                fail(Finding::error(
                    Code::Schema,
                    loc_of("order", &fields),
                    format!("`order` must be a positive whole number, found {n}"),
                ));
                None
            }
        },
        Some(Value::String(s)) if s.trim().parse::<u64>().is_ok_and(|o| o > 0) => {
            warnings.push(Finding::warning(
                Code::Schema,
                loc_of("order", &fields),
                format!("`order` is the text \"{s}\"; write it as a number"),
            ));
            s.trim().parse().ok()
        }
        Some(other) => {
            fail(Finding::error(
                Code::Schema,
                loc_of("order", &fields),
                format!(
                    "`order` must be a positive whole number, found {}",
                    kind_of(other)
                ),
            ));
            None
        }
        None => {
            fail(missing_field("order", item_loc));
            None
        }
    };

    let mut text_field = |name: &str| -> Option<String> {
        match fields.get(name).map(|v| &v.value) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::String(_)) | Some(Value::Null) => {
                fail(Finding::error(
                    Code::EmptyText,
                    loc_of(name, &fields),
                    format!("`{name}` is empty"),
                ));
                None
            }
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(other) => {
                fail(Finding::error(
                    Code::Schema,
                    loc_of(name, &fields),
                    format!("`{name}` must be text, found {}", kind_of(other)),
                ));
                None
            }
            None => {
                fail(missing_field(name, item_loc));
                None
            }
        }
    };
    let question = text_field("question");
    let expectation = text_field("expectation");

    let version = match fields.get("version").map(|v| &v.value) {
        Some(Value::String(s)) => match semver::Version::parse(s.trim()) {
            Ok(v) => Some(v),
            Err(e) => {
                fail(Finding::error(
                    Code::Semver,
                    loc_of("version", &fields),
                    format!("version `{s}` is not MAJOR.MINOR.PATCH ({e})"),
                ));
                None
            }
        },
        Some(Value::Number(n)) => {
            fail(Finding::error(
                Code::Semver,
                loc_of("version", &fields),
                format!("version `{n}` is not MAJOR.MINOR.PATCH, e.g. `1.0.0`"),
            ));
            None
        }
        Some(other) => {
            fail(Finding::error(
                Code::Schema,
                loc_of("version", &fields),
                format!(
                    "`version` must be text like `1.0.0`, found {}",
                    kind_of(other)
                ),
            ));
            None
        }
        None => {
            fail(missing_field("version", item_loc));
            None
        }
    };

    let weight = match fields.get("weight").map(|v| &v.value) {
        None | Some(Value::Null) => 1.0,
        Some(Value::Number(n)) => match n.as_f64() {
            Some(w) if w > 0.0 && w <= MAX_WEIGHT => w,
            Some(w) if w > MAX_WEIGHT => {
                fail(Finding::error(
                    Code::Weight,
                    loc_of("weight", &fields),
                    format!("`weight` must be at most {MAX_WEIGHT}, found {n}"),
                ));
                1.0
            }
            _ => {
                fail(Finding::error(
                    Code::Weight,
                    loc_of("weight", &fields),
                    format!("`weight` must be a positive number, found {n}"),
                ));
                1.0
            }
        },
        Some(other) => {
            fail(Finding::error(
                Code::Weight,
                loc_of("weight", &fields),
                format!(
                    "`weight` must be a positive number, found {}",
                    kind_of(other)
                ),
            ));
            1.0
        }
    };

    let critical = match fields.get("critical").map(|v| &v.value) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        // YAML 1.1 spellings: read, with a nudge towards true/false.
        Some(Value::String(s)) if yaml11_bool(s).is_some() => {
            let b = yaml11_bool(s).unwrap_or(false);
            warnings.push(Finding::warning(
                Code::Schema,
                loc_of("critical", &fields),
                format!("`critical: {s}` is read as {b}; write `true` or `false`"),
            ));
            b
        }
        Some(other) => {
            fail(Finding::error(
                Code::Schema,
                loc_of("critical", &fields),
                format!("`critical` must be true or false, found {}", kind_of(other)),
            ));
            false
        }
    };

    let evidence_required = match fields.get("evidence").map(|v| &v.value) {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) if s == "required" => true,
        Some(Value::String(s)) if s == "optional" => false,
        Some(other) => {
            fail(Finding::error(
                Code::Schema,
                loc_of("evidence", &fields),
                format!(
                    "`evidence` must be `required` or `optional`, found {}",
                    short(other)
                ),
            ));
            false
        }
    };

    let tags = match fields.get("tags").map(|v| &v.value) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.trim().to_string()],
        Some(Value::Array(list)) if list.iter().all(Value::is_string) => list
            .iter()
            .filter_map(|t| t.as_str().map(|s| s.trim().to_string()))
            .collect(),
        Some(other) => {
            fail(Finding::error(
                Code::Schema,
                loc_of("tags", &fields),
                format!("`tags` must be a list of words, found {}", short(other)),
            ));
            Vec::new()
        }
    };

    let criteria = match fields.get("criteria") {
        None => Vec::new(),
        Some(spanned) => match parse_criteria(&spanned.value) {
            Ok(c) => c,
            Err(message) => {
                fail(Finding::error(
                    Code::Schema,
                    at(&spanned.referenced),
                    message,
                ));
                Vec::new()
            }
        },
    };

    let owner = match fields.get("owner").map(|v| &v.value) {
        None | Some(Value::Null) => None,
        Some(v) => match role_of(v) {
            Some(role) => Some(role),
            None => {
                fail(Finding::error(
                    Code::Schema,
                    loc_of("owner", &fields),
                    format!(
                        "`owner` must be a role name like `support-lead`, found {}",
                        short(v)
                    ),
                ));
                None
            }
        },
    };

    let local_id = match fields.get("id").map(|v| &v.value) {
        None | Some(Value::Null) => order.map(|o| format!("q{o}")),
        Some(Value::String(s)) if valid_id(s.trim()) => Some(s.trim().to_string()),
        Some(other) => {
            fail(Finding::error(
                Code::Schema,
                loc_of("id", &fields),
                format!(
                    "question `id` must be a word of letters, digits, `-`, `_` or `.`, found {}",
                    short(other)
                ),
            ));
            None
        }
    };

    let level = match fields.get("level").map(|v| &v.value) {
        None | Some(Value::Null) => None,
        Some(v) => match level_name(v) {
            Some(name) => Some(name),
            None => {
                fail(Finding::error(
                    Code::Schema,
                    loc_of("level", &fields),
                    format!(
                        "`level` must be a level name like `beta`, found {}",
                        short(v)
                    ),
                ));
                None
            }
        },
    };

    let effective_from = match fields.get("effective_from").map(|v| &v.value) {
        None | Some(Value::Null) => None,
        Some(v) => match v
            .as_str()
            .and_then(|s| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        {
            Some(date) => Some(date),
            None => {
                fail(Finding::error(
                    Code::Schema,
                    loc_of("effective_from", &fields),
                    format!(
                        "`effective_from` must be a date like 2027-01-31, found {}",
                        short(v)
                    ),
                ));
                None
            }
        },
    };

    findings.append(&mut warnings);
    if !ok {
        return None;
    }
    let applies_if = fields
        .get("applies_if")
        .and_then(|f| condition(&f.value, &at(&f.referenced), findings));
    let max_age = fields
        .get("max_age")
        .and_then(|f| max_age(&f.value, &at(&f.referenced), findings));
    let probes = match fields.get("probes") {
        None => Vec::new(),
        Some(f) => super::probes::parse_list(&f.value, true).unwrap_or_else(|message| {
            findings.push(Finding::error(Code::Probe, at(&f.referenced), message));
            Vec::new()
        }),
    };
    let local_id = local_id?;
    Some(Question {
        id: format!("{playbook_id}/{local_id}"),
        local_id,
        order: order?,
        question: question?,
        expectation: expectation?,
        version: version?,
        weight,
        critical,
        criteria,
        evidence_required,
        tags,
        applies_if,
        max_age,
        owner,
        level,
        effective_from,
        probes,
        line: item_loc.line.unwrap_or(0),
    })
}

/// A level name: one word of letters, digits, `-`, `_` or `.`.
fn level_name(v: &Value) -> Option<String> {
    let s = v.as_str()?.trim();
    valid_id(s).then(|| s.to_string())
}

/// The most levels a set may declare.
pub const MAX_LEVELS: usize = 32;

/// `levels: [beta, launch, scale]`: distinct names, lowest first.
pub fn level_list(v: &Value) -> Result<Vec<String>, String> {
    let bad = || {
        format!(
            "`levels` must be a list of level names, lowest first, like [beta, launch, scale]; found {}",
            short(v)
        )
    };
    let Value::Array(items) = v else {
        return Err(bad());
    };
    if items.is_empty() || items.len() > MAX_LEVELS {
        return Err(format!(
            "`levels` must name between 1 and {MAX_LEVELS} levels, found {}",
            items.len()
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let name = level_name(item).ok_or_else(bad)?;
        if out.contains(&name) {
            return Err(format!("`levels` names `{name}` twice"));
        }
        out.push(name);
    }
    Ok(out)
}

/// An `applies_if` value, compiled; a syntax error is a `condition` finding
/// at the place in the expression minijinja names.
fn condition(
    value: &Value,
    loc: &Location,
    findings: &mut Vec<Finding>,
) -> Option<super::facts::Condition> {
    let (line, column) = (loc.line.unwrap_or(0), loc.column.unwrap_or(0));
    let source = match value {
        Value::String(s) if !s.trim().is_empty() => s.trim(),
        Value::Bool(true) => "true",
        Value::Bool(false) => "false",
        other => {
            findings.push(Finding::error(
                Code::Condition,
                loc.clone(),
                format!(
                    "`applies_if` must be an expression such as `chatbot` or `'phone' in channels`, found {}",
                    kind_of(other)
                ),
            ));
            return None;
        }
    };
    match super::facts::Condition::compile(source, line, column) {
        Ok(c) => Some(c),
        Err((offset, message)) => {
            findings.push(Finding::error(
                Code::Condition,
                Location::at(loc.path.clone(), line, column + offset),
                format!(
                    "`applies_if: {}` is not a valid expression: {message}",
                    super::facts::shorten(source)
                ),
            ));
            None
        }
    }
}

/// A `max_age` value such as `90d`; anything else is a `schema` finding.
fn max_age(
    value: &Value,
    loc: &Location,
    findings: &mut Vec<Finding>,
) -> Option<crate::duration::Duration> {
    let parsed = match value {
        Value::String(s) => {
            crate::duration::Duration::parse(s).map_err(|e| format!("`max_age`: {e}"))
        }
        other => Err(format!(
            "`max_age` must be {}; found {}",
            crate::duration::SYNTAX,
            kind_of(other)
        )),
    };
    parsed
        .map_err(|m| findings.push(Finding::error(Code::Schema, loc.clone(), m)))
        .ok()
}

/// `yes`/`no`/`on`/`off`/`y`/`n`, which YAML 1.1 read as booleans.
fn yaml11_bool(s: &str) -> Option<bool> {
    let s = s.trim();
    if ["yes", "on", "y"].iter().any(|w| w.eq_ignore_ascii_case(s)) {
        Some(true)
    } else if ["no", "off", "n"].iter().any(|w| w.eq_ignore_ascii_case(s)) {
        Some(false)
    } else {
        None
    }
}

fn missing_field(name: &str, loc: &Location) -> Finding {
    Finding::error(
        Code::Schema,
        loc.clone(),
        format!("checklist item has no `{name}`"),
    )
}

fn parse_criteria(value: &Value) -> Result<Vec<Criterion>, String> {
    let Value::Array(list) = value else {
        return Err(format!(
            "`criteria` must be a list of texts or {{id, text}} mappings, found {}",
            kind_of(value)
        ));
    };
    let mut out = Vec::with_capacity(list.len());
    let mut seen = BTreeSet::new();
    for (i, c) in list.iter().enumerate() {
        let criterion = match c {
            Value::String(text) if !text.trim().is_empty() => Criterion {
                id: format!("c{}", i + 1),
                text: text.trim().to_string(),
            },
            Value::Object(map) => {
                let id = map.get("id").and_then(Value::as_str).map(str::trim);
                let text = map.get("text").and_then(Value::as_str).map(str::trim);
                match (id, text) {
                    (Some(id), Some(text)) if valid_id(id) && !text.is_empty() => Criterion {
                        id: id.to_string(),
                        text: text.to_string(),
                    },
                    _ => {
                        return Err(format!(
                            "criterion {} needs an `id` (a word) and a non-empty `text`",
                            i + 1
                        ));
                    }
                }
            }
            other => {
                return Err(format!(
                    "criterion {} must be text or an {{id, text}} mapping, found {}",
                    i + 1,
                    short(other)
                ));
            }
        };
        if !seen.insert(criterion.id.clone()) {
            return Err(format!("criterion id `{}` is used twice", criterion.id));
        }
        out.push(criterion);
    }
    Ok(out)
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn short(v: &Value) -> String {
    match v {
        Value::String(s) => format!("`{}`", s.chars().take(40).collect::<String>()),
        other => kind_of(other).to_string(),
    }
}

/// A field value with where it is.
struct Field {
    value: Value,
    referenced: Pos,
}

/// Parses frontmatter YAML with serde-saphyr: the full YAML parser, for
/// everything the fast path passes on.
pub(crate) fn front_via_saphyr(yaml: &str) -> Result<Front, serde_saphyr::Error> {
    let raw: Frontmatter = serde_saphyr::from_str_with_options(yaml, yaml_options())?;
    let value = |v: Spanned<Value>| (Pos::from(&v.referenced), v.value);
    Ok(Front {
        title: raw.title.map(value),
        id: raw.id.map(value),
        summary: raw.summary.map(value),
        applies_if: raw.applies_if.map(value),
        max_age: raw.max_age.map(value),
        facts: raw.facts.map(value),
        level: raw.level.map(value),
        levels: raw.levels.map(value),
        owner: raw.owner.map(value),
        checklist: raw.checklist.map(|c| {
            let pos = Pos::from(&c.referenced);
            let checklist = match c.value {
                Checklist::Items(items) => RawChecklist::Items(
                    items
                        .into_iter()
                        .map(|item| {
                            let pos = Pos::from(&item.referenced);
                            let item = match item.value {
                                Item::Entries(entries) => RawItem::Entries(
                                    entries
                                        .into_iter()
                                        .map(|(k, v)| RawEntry {
                                            key: k.value.0,
                                            key_pos: Pos::from(&k.referenced),
                                            value: v.value,
                                            value_pos: Pos::from(&v.referenced),
                                        })
                                        .collect(),
                                ),
                                Item::Other(kind) => RawItem::Other(kind),
                            };
                            (pos, item)
                        })
                        .collect(),
                ),
                Checklist::Null => RawChecklist::Null,
                Checklist::Other(kind) => RawChecklist::Other(kind),
            };
            (pos, checklist)
        }),
        miscased: raw
            .miscased
            .into_iter()
            .map(|(k, l)| (k, Pos::from(&l)))
            .collect(),
    })
}

/// Whatever the fast path takes, serde-saphyr must read the same way; used
/// by the tests and the fuzz target.
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub fn check_against_full_parser(yaml: &str) -> Result<(), String> {
    let Some(fast) = simple_yaml::parse(yaml) else {
        return Ok(());
    };
    match front_via_saphyr(yaml) {
        Ok(full) if full == fast => Ok(()),
        Ok(full) => Err(format!("fast {fast:?}\nfull {full:?}\n{yaml}")),
        Err(e) => Err(format!("fast path took what YAML refuses ({e}):\n{yaml}")),
    }
}

/// A YAML error as a finding. The scanner reports a stray tab at the start
/// of the scalar it was reading (often the line above); point at the tab.
fn yaml_error_in(path: &str, offset: u64, yaml: &str, err: &serde_saphyr::Error) -> Finding {
    let mut finding = yaml_error(path, offset, err, "playbook");
    let about_tabs = finding
        .message
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "tab" || w == "tabs");
    if about_tabs {
        // From the start of the line the parser names.
        let line = err.location().map_or(1, |l| l.line()).max(1) as usize;
        let from = yaml
            .match_indices('\n')
            .nth(line.saturating_sub(2))
            .map_or(0, |(i, _)| if line <= 1 { 0 } else { i + 1 });
        if let Some(i) = yaml[from..].find('\t').map(|i| i + from) {
            let line_start = yaml[..i].rfind('\n').map_or(0, |n| n + 1);
            let line = yaml[..i].matches('\n').count() as u64 + 1;
            let column = yaml[line_start..i].chars().count() as u64 + 1;
            finding.location = Location::at(path, line + offset, column);
            finding.message =
                "a tab character where YAML needs spaces: indent with spaces only".into();
        }
    }
    finding
}

/// The frontmatter keys we read; everything else (`metaTitle`, ...) is skipped.
#[derive(Default)]
struct Frontmatter {
    title: Option<Spanned<Value>>,
    id: Option<Spanned<Value>>,
    summary: Option<Spanned<Value>>,
    applies_if: Option<Spanned<Value>>,
    max_age: Option<Spanned<Value>>,
    facts: Option<Spanned<Value>>,
    level: Option<Spanned<Value>>,
    levels: Option<Spanned<Value>>,
    owner: Option<Spanned<Value>>,
    checklist: Option<Spanned<Checklist>>,
    miscased: Vec<(String, serde_saphyr::Location)>,
}

impl<'de> Deserialize<'de> for Frontmatter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Frontmatter;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Frontmatter, A::Error> {
                let mut out = Frontmatter::default();
                while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
                    let lower = key.value.0.to_lowercase();
                    let slot = match lower.as_str() {
                        "checklist" => {
                            out.checklist = Some(map.next_value()?);
                            None
                        }
                        "title" => Some(&mut out.title),
                        "id" => Some(&mut out.id),
                        "summary" => Some(&mut out.summary),
                        "applies_if" => Some(&mut out.applies_if),
                        "max_age" => Some(&mut out.max_age),
                        "facts" => Some(&mut out.facts),
                        "level" => Some(&mut out.level),
                        "levels" => Some(&mut out.levels),
                        "owner" => Some(&mut out.owner),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    if let Some(slot) = slot {
                        *slot = Some(map.next_value()?);
                    }
                    if key.value.0 != lower {
                        out.miscased.push((key.value.0, key.referenced));
                    }
                }
                Ok(out)
            }
            // A frontmatter that is not a mapping has no checklist.
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Frontmatter, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Frontmatter::default())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Frontmatter, E> {
                Ok(Frontmatter::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Frontmatter, E> {
                Ok(Frontmatter::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Frontmatter, E> {
                Ok(Frontmatter::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Frontmatter, E> {
                Ok(Frontmatter::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Frontmatter, E> {
                Ok(Frontmatter::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Frontmatter, E> {
                Ok(Frontmatter::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// A mapping key read as text, whatever scalar it was written as.
pub(crate) struct KeyText(pub(crate) String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<KeyText, E> {
                Ok(KeyText(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

/// The `checklist` value: a list of items, or something else to report.
enum Checklist {
    Items(Vec<Spanned<Item>>),
    Null,
    Other(&'static str),
}

impl<'de> Deserialize<'de> for Checklist {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Checklist;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of checklist items")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checklist, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(8));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Checklist::Items(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checklist, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Checklist::Other("a mapping"))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Checklist, E> {
                Ok(Checklist::Other("text"))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Checklist, E> {
                Ok(Checklist::Other("a true/false value"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Checklist, E> {
                Ok(Checklist::Other("a number"))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Checklist, E> {
                Ok(Checklist::Other("a number"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Checklist, E> {
                Ok(Checklist::Other("a number"))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Checklist, E> {
                Ok(Checklist::Null)
            }
        }
        d.deserialize_any(V)
    }
}

/// One checklist item: its entries in file order, or what it was instead.
pub(crate) enum Item {
    Entries(Vec<(Spanned<KeyText>, Spanned<Value>)>),
    Other(&'static str),
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Item;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a checklist item")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
                let mut entries = Vec::with_capacity(6);
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Item::Entries(entries))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Item::Other("a list"))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Item, E> {
                Ok(Item::Other("text"))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Item, E> {
                Ok(Item::Other("a true/false value"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Item, E> {
                Ok(Item::Other("a number"))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Item, E> {
                Ok(Item::Other("a number"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Item, E> {
                Ok(Item::Other("a number"))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Item, E> {
                Ok(Item::Other("an empty item"))
            }
        }
        d.deserialize_any(V)
    }
}
