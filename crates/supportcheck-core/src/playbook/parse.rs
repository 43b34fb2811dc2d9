//! Parses one playbook file's bytes into the model, collecting every finding
//! instead of stopping at the first.

use super::frontmatter::{self, SplitError};
use super::keys;
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

/// Where the YAML's line 1 sits in the file: the lines before it.
const YAML_OFFSET: u64 = frontmatter::YAML_FIRST_LINE - 1;

/// Turns a place in the YAML into a place in the file.
type At<'a> = &'a dyn Fn(&Pos) -> Location;

/// Parses a file's bytes.
pub fn parse(bytes: Vec<u8>, info: &FileInfo) -> Parsed {
    let path = info.path.as_str();
    let (text, bom) = match decode(bytes, path) {
        Ok(decoded) => decoded,
        Err(finding) => return Parsed::Broken(vec![finding]),
    };
    if let Some(conflict) = crate::diagnostic::merge_conflict(&text, path) {
        return Parsed::Broken(vec![conflict]);
    }
    let (mut front, body_offset) = match read_front(&text, path) {
        Ok(read) => read,
        Err(parsed) => return parsed,
    };
    let at = |p: &Pos| Location::at(path, p.line + YAML_OFFSET, p.column);
    let mut findings = miscased_keys(&front.miscased, &at);
    let Some((checklist_pos, checklist)) = front.checklist.take() else {
        return not_a_playbook(front, &at, findings);
    };
    let Some(items) = checklist_items(checklist_pos, checklist, &at, &mut findings) else {
        return Parsed::Broken(findings);
    };
    let head = Head::read(front, &info.stem, &at, &mut findings);
    let questions = questions(items, &head.id, &at, &mut findings);
    // In file order: an item's key warnings were found before its value errors.
    findings.sort_by_key(|f| (f.location.line, f.location.column));

    Parsed::Playbook(
        Box::new(Playbook {
            id: head.id,
            title: head.title,
            summary: head.summary,
            owner: head.owner,
            path: info.path.clone(),
            section: info.section.clone(),
            questions,
            facts: head.facts,
            applies_if: head.applies_if,
            max_age: head.max_age,
            level: head.level,
            source: text,
            body_offset,
            bom,
            sha256: std::sync::OnceLock::new(),
        }),
        findings,
    )
}

/// The file as text without its byte order mark, and whether it had one;
/// a finding when it is not UTF-8 text.
fn decode(bytes: Vec<u8>, path: &str) -> Result<(String, bool), Finding> {
    // `contains` on bytes is a memchr; the position is only needed for the message.
    if bytes.contains(&0)
        && let Some(nul) = bytes.iter().position(|&b| b == 0)
    {
        return Err(Finding::error(
            Code::Encoding,
            Location::at(path, line_of(&bytes, nul), 0),
            "binary file (contains a NUL byte); a playbook is UTF-8 Markdown text",
        ));
    }
    let mut text = String::from_utf8(bytes).map_err(|err| invalid_utf8(&err, path))?;
    let bom = text.starts_with('\u{feff}');
    if bom {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok((text, bom))
}

/// Where the first byte that is not UTF-8 is.
fn invalid_utf8(err: &std::string::FromUtf8Error, path: &str) -> Finding {
    let at = err.utf8_error().valid_up_to();
    let bytes = err.as_bytes();
    let line = line_of(bytes, at);
    let col = at
        - bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
        + 1;
    Finding::error(
        Code::Encoding,
        Location::at(path, line, col as u64),
        "invalid UTF-8; save the file as UTF-8",
    )
}

/// The frontmatter's keys and the byte offset of the body; what the file
/// is instead when it has no frontmatter, or one that cannot be read.
fn read_front(text: &str, path: &str) -> Result<(Front, usize), Parsed> {
    let split = match frontmatter::split(text) {
        Ok(split) => split,
        Err(SplitError::NoFrontmatter) => {
            return Err(Parsed::NotAPlaybook {
                why: "no YAML frontmatter (the first line is not `---`)".into(),
                title: None,
                levels: None,
            });
        }
        Err(SplitError::Unclosed) => {
            return Err(Parsed::Broken(vec![Finding::error(
                Code::Yaml,
                Location::at(path, 1, 1),
                "frontmatter is never closed: add a line `---` after the YAML",
            )]));
        }
    };
    let front = if split.yaml.trim().is_empty() {
        Front::default()
    } else if let Some(front) = simple_yaml::parse(split.yaml) {
        front
    } else {
        front_via_saphyr(split.yaml).map_err(|err| {
            Parsed::Broken(vec![yaml_error_in(path, YAML_OFFSET, split.yaml, &err)])
        })?
    };
    Ok((front, split.body_offset))
}

/// A warning for each known key written in another case (`Title:`).
fn miscased_keys(miscased: &[(String, Pos)], at: At) -> Vec<Finding> {
    miscased
        .iter()
        .map(|(key, pos)| {
            Finding::warning(
                Code::KeyCase,
                at(pos),
                format!("key `{key}` should be lower case: `{}`", key.to_lowercase()),
            )
        })
        .collect()
}

/// A file with frontmatter but no `checklist`: a section's index page,
/// which may name its section (`title`) and the set's levels (`levels`).
fn not_a_playbook(front: Front, at: At, mut findings: Vec<Finding>) -> Parsed {
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
    Parsed::NotAPlaybook {
        why: "frontmatter has no `checklist`".into(),
        title,
        levels,
    }
}

/// The checklist's items; `None` (with an error) when it is not a list.
fn checklist_items(
    pos: Pos,
    checklist: RawChecklist,
    at: At,
    findings: &mut Vec<Finding>,
) -> Option<Vec<(Pos, RawItem)>> {
    let items = match checklist {
        RawChecklist::Items(items) => items,
        RawChecklist::Null => Vec::new(),
        RawChecklist::Other(kind) => {
            findings.push(Finding::error(
                Code::Schema,
                at(&pos),
                format!("`checklist` must be a list of questions, found {kind}"),
            ));
            return None;
        }
    };
    if items.is_empty() {
        findings.push(Finding::warning(
            Code::Schema,
            at(&pos),
            "`checklist` is empty",
        ));
    }
    Some(items)
}

/// What a playbook's frontmatter says about the playbook as a whole.
struct Head {
    id: String,
    title: String,
    summary: Option<String>,
    owner: Option<String>,
    level: Option<String>,
    applies_if: Option<super::facts::Condition>,
    max_age: Option<crate::duration::Duration>,
    facts: Vec<super::facts::FactDecl>,
}

impl Head {
    /// Reads the playbook-level keys, reporting each problem.
    fn read(front: Front, stem: &str, at: At, findings: &mut Vec<Finding>) -> Head {
        let id = playbook_id(front.id, stem, at, findings);
        let title = match front.title.as_ref().map(|(_, t)| t) {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(Value::Number(n)) => n.to_string(),
            _ => id.clone(),
        };
        let summary = front
            .summary
            .and_then(|(_, s)| s.as_str().map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty());
        let owner = front_word(front.owner, OWNER_RULE, at, findings);
        if let Some((pos, _)) = &front.levels {
            findings.push(Finding::warning(
                Code::Schema,
                at(pos),
                "`levels` is read from a set's index page (a file with no `checklist`), not from a playbook; it is ignored here",
            ));
        }
        let level = front_word(front.level, LEVEL_RULE, at, findings);
        let applies_if = front
            .applies_if
            .and_then(|(pos, v)| condition(&v, &at(&pos), findings));
        let max_age = front
            .max_age
            .and_then(|(pos, v)| max_age(&v, &at(&pos), findings));
        let facts = facts_of(front.facts, at, findings);
        Head {
            id,
            title,
            summary,
            owner,
            level,
            applies_if,
            max_age,
            facts,
        }
    }
}

/// The playbook's `id`, or one made from the file stem.
fn playbook_id(
    id: Option<(Pos, Value)>,
    stem: &str,
    at: At,
    findings: &mut Vec<Finding>,
) -> String {
    let Some((pos, value)) = id else {
        return default_playbook_id(stem);
    };
    match value.as_str().map(str::trim) {
        Some(s) if valid_id(s) => s.to_string(),
        _ => {
            findings.push(Finding::error(
                Code::Schema,
                at(&pos),
                "`id` must be a word of letters, digits, `-`, `_` or `.`",
            ));
            default_playbook_id(stem)
        }
    }
}

/// The playbook's `facts` declarations.
fn facts_of(
    facts: Option<(Pos, Value)>,
    at: At,
    findings: &mut Vec<Finding>,
) -> Vec<super::facts::FactDecl> {
    match facts {
        None | Some((_, Value::Null)) => Vec::new(),
        Some((pos, v)) => {
            let loc = at(&pos);
            super::facts::parse_decls(&v, loc.line.unwrap_or(0)).unwrap_or_else(|message| {
                findings.push(Finding::error(Code::Fact, loc, message));
                Vec::new()
            })
        }
    }
}

/// The items that make questions, by order; an item whose order or id is
/// already taken is reported and left out.
fn questions(
    items: Vec<(Pos, RawItem)>,
    playbook_id: &str,
    at: At,
    findings: &mut Vec<Finding>,
) -> Vec<Question> {
    let mut questions = Vec::with_capacity(items.len());
    let mut orders: BTreeMap<u64, u64> = BTreeMap::new();
    let mut ids: BTreeMap<String, u64> = BTreeMap::new();
    for (item_pos, item) in items {
        let item_loc = at(&item_pos);
        let Some(q) = item_from_entries(item, &item_loc, playbook_id, at, findings) else {
            continue;
        };
        if let Some(first) = orders.insert(q.order, q.line) {
            findings.push(Finding::error(
                Code::DuplicateOrder,
                item_loc,
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
    questions
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

/// What a playbook's or a question's `owner` must be.
const OWNER_RULE: &str = "`owner` must be a role name like `support-lead`";
/// What a playbook's or a question's `level` must be.
const LEVEL_RULE: &str = "`level` must be a level name like `beta`";

/// An optional one-word value (`owner`, `level`): `None` when absent or
/// null, else the word; `must` says what it should be when it is not one.
fn word(value: Option<&Value>, must: &str) -> Result<Option<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match level_name(v) {
            Some(name) => Ok(Some(name)),
            None => Err(format!("{must}, found {}", short(v))),
        },
    }
}

/// A playbook-level one-word value, its problem reported.
fn front_word(
    entry: Option<(Pos, Value)>,
    must: &str,
    at: At,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let (pos, value) = entry?;
    word(Some(&value), must).unwrap_or_else(|message| {
        findings.push(Finding::error(Code::Schema, at(&pos), message));
        None
    })
}

/// Builds a question from an item's entries, reporting each problem.
fn item_from_entries(
    item: RawItem,
    item_loc: &Location,
    playbook_id: &str,
    at: At,
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
    let item = ItemFields {
        fields: known_fields(entries, at, findings),
        loc: item_loc,
        at,
    };
    let mut warnings = Vec::new();
    let mut errors = Errors {
        findings,
        any: false,
    };
    let order = errors.keep(item.order(&mut warnings));
    let question = errors.keep(item.text("question"));
    let expectation = errors.keep(item.text("expectation"));
    let version = errors.keep(item.version());
    let weight = errors.keep(item.weight());
    let critical = errors.keep(item.critical(&mut warnings));
    let evidence_required = errors.keep(item.evidence());
    let tags = errors.keep(item.tags());
    let criteria = errors.keep(item.criteria());
    let owner = errors.keep(item.word("owner", OWNER_RULE));
    let local_id = errors.keep(item.local_id(order));
    let level = errors.keep(item.word("level", LEVEL_RULE));
    let effective_from = errors.keep(item.effective_from());
    let failed = errors.any;
    findings.append(&mut warnings);
    if failed {
        return None;
    }
    let (applies_if, max_age, probes) = item.conditions(findings);
    let local_id = local_id.flatten()?;
    Some(Question {
        id: format!("{playbook_id}/{local_id}"),
        local_id,
        order: order?,
        question: question?,
        expectation: expectation?,
        version: version?,
        weight: weight?,
        critical: critical?,
        criteria: criteria?,
        evidence_required: evidence_required?,
        tags: tags?,
        applies_if,
        max_age,
        owner: owner?,
        level: level?,
        effective_from: effective_from?,
        probes,
        line: item_loc.line.unwrap_or(0),
    })
}

/// An item's entries by the key of [`keys::ITEM`] they are; unknown,
/// miscased and repeated keys are reported.
fn known_fields(
    entries: Vec<RawEntry>,
    at: At,
    findings: &mut Vec<Finding>,
) -> BTreeMap<&'static str, Field> {
    let mut fields = BTreeMap::new();
    for entry in entries {
        let Some(known) = keys::item_key(&entry.key) else {
            findings.push(Finding::warning(
                Code::UnknownKey,
                at(&entry.key_pos),
                keys::unknown_item_key(&entry.key),
            ));
            continue;
        };
        let name = known.name;
        if entry.key != name {
            findings.push(Finding::warning(
                Code::KeyCase,
                at(&entry.key_pos),
                format!("key `{}` should be lower case: `{name}`", entry.key),
            ));
        }
        let value = Field {
            value: entry.value,
            referenced: entry.value_pos,
        };
        if fields.insert(name, value).is_some() {
            findings.push(Finding::error(
                Code::Schema,
                at(&entry.key_pos),
                format!("key `{name}` appears twice on this item"),
            ));
        }
    }
    fields
}

/// An item's errors go out as they are found; any one drops the item.
struct Errors<'f> {
    findings: &'f mut Vec<Finding>,
    any: bool,
}

impl Errors<'_> {
    fn keep<T>(&mut self, result: Result<T, Finding>) -> Option<T> {
        result
            .map_err(|finding| {
                self.any = true;
                self.findings.push(finding);
            })
            .ok()
    }
}

/// A checklist item's known keys, with where the item and each value are.
struct ItemFields<'a> {
    fields: BTreeMap<&'static str, Field>,
    loc: &'a Location,
    at: At<'a>,
}

/// Reading each value of an item: the value, or the finding that says
/// what is wrong with it.
impl ItemFields<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.fields.get(name).map(|f| &f.value)
    }

    /// Where `name`'s value is, or the item when it has none.
    fn loc(&self, name: &str) -> Location {
        self.fields
            .get(name)
            .map_or_else(|| self.loc.clone(), |f| (self.at)(&f.referenced))
    }

    fn error(&self, code: Code, name: &str, message: String) -> Finding {
        Finding::error(code, self.loc(name), message)
    }

    fn missing(&self, name: &str) -> Finding {
        missing_field(name, self.loc)
    }

    /// `order`: a positive integer (a quoted number is read, with a warning).
    fn order(&self, warnings: &mut Vec<Finding>) -> Result<u64, Finding> {
        let not_positive = |found: String| {
            self.error(
                Code::Schema,
                "order",
                format!("`order` must be a positive whole number, found {found}"),
            )
        };
        match self.get("order") {
            Some(Value::Number(n)) => n
                .as_u64()
                .filter(|&o| o > 0)
                .ok_or_else(|| not_positive(n.to_string())),
            Some(Value::String(s)) => match s.trim().parse::<u64>() {
                Ok(o) if o > 0 => {
                    warnings.push(Finding::warning(
                        Code::Schema,
                        self.loc("order"),
                        format!("`order` is the text \"{s}\"; write it as a number"),
                    ));
                    Ok(o)
                }
                _ => Err(not_positive("text".into())),
            },
            Some(other) => Err(not_positive(kind_of(other).into())),
            None => Err(self.missing("order")),
        }
    }

    /// `question`, `expectation`: text that is not empty (a number is read as text).
    fn text(&self, name: &str) -> Result<String, Finding> {
        match self.get(name) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            Some(Value::String(_) | Value::Null) => {
                Err(self.error(Code::EmptyText, name, format!("`{name}` is empty")))
            }
            Some(Value::Number(n)) => Ok(n.to_string()),
            Some(other) => Err(self.error(
                Code::Schema,
                name,
                format!("`{name}` must be text, found {}", kind_of(other)),
            )),
            None => Err(self.missing(name)),
        }
    }

    /// `version`: `MAJOR.MINOR.PATCH`.
    fn version(&self) -> Result<semver::Version, Finding> {
        match self.get("version") {
            Some(Value::String(s)) => semver::Version::parse(s.trim()).map_err(|e| {
                self.error(
                    Code::Semver,
                    "version",
                    format!("version `{s}` is not MAJOR.MINOR.PATCH ({e})"),
                )
            }),
            Some(Value::Number(n)) => Err(self.error(
                Code::Semver,
                "version",
                format!("version `{n}` is not MAJOR.MINOR.PATCH, e.g. `1.0.0`"),
            )),
            Some(other) => Err(self.error(
                Code::Schema,
                "version",
                format!(
                    "`version` must be text like `1.0.0`, found {}",
                    kind_of(other)
                ),
            )),
            None => Err(self.missing("version")),
        }
    }

    /// `weight`: a positive number up to [`MAX_WEIGHT`]; 1 when absent.
    fn weight(&self) -> Result<f64, Finding> {
        let error = |message| Err(self.error(Code::Weight, "weight", message));
        match self.get("weight") {
            None | Some(Value::Null) => Ok(1.0),
            Some(Value::Number(n)) => match n.as_f64() {
                Some(w) if w > 0.0 && w <= MAX_WEIGHT => Ok(w),
                Some(w) if w > MAX_WEIGHT => {
                    error(format!("`weight` must be at most {MAX_WEIGHT}, found {n}"))
                }
                _ => error(format!("`weight` must be a positive number, found {n}")),
            },
            Some(other) => error(format!(
                "`weight` must be a positive number, found {}",
                kind_of(other)
            )),
        }
    }

    /// `critical`: true or false (YAML 1.1's `yes`, `no`... with a nudge).
    fn critical(&self, warnings: &mut Vec<Finding>) -> Result<bool, Finding> {
        match self.get("critical") {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::String(s)) if yaml11_bool(s).is_some() => {
                let b = yaml11_bool(s).unwrap_or(false);
                warnings.push(Finding::warning(
                    Code::Schema,
                    self.loc("critical"),
                    format!("`critical: {s}` is read as {b}; write `true` or `false`"),
                ));
                Ok(b)
            }
            Some(other) => Err(self.error(
                Code::Schema,
                "critical",
                format!("`critical` must be true or false, found {}", kind_of(other)),
            )),
        }
    }

    /// `evidence`: whether it is `required` (not when absent or `optional`).
    fn evidence(&self) -> Result<bool, Finding> {
        match self.get("evidence") {
            None | Some(Value::Null) => Ok(false),
            Some(Value::String(s)) if s == "required" => Ok(true),
            Some(Value::String(s)) if s == "optional" => Ok(false),
            Some(other) => Err(self.error(
                Code::Schema,
                "evidence",
                format!(
                    "`evidence` must be `required` or `optional`, found {}",
                    short(other)
                ),
            )),
        }
    }

    /// `tags`: a list of words, or one.
    fn tags(&self) -> Result<Vec<String>, Finding> {
        match self.get("tags") {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(vec![s.trim().to_string()]),
            Some(Value::Array(list)) if list.iter().all(Value::is_string) => Ok(list
                .iter()
                .filter_map(|t| t.as_str().map(|s| s.trim().to_string()))
                .collect()),
            Some(other) => Err(self.error(
                Code::Schema,
                "tags",
                format!("`tags` must be a list of words, found {}", short(other)),
            )),
        }
    }

    fn criteria(&self) -> Result<Vec<Criterion>, Finding> {
        match self.get("criteria") {
            None => Ok(Vec::new()),
            Some(value) => {
                parse_criteria(value).map_err(|m| self.error(Code::Schema, "criteria", m))
            }
        }
    }

    /// `owner`, `level`: one word, or nothing.
    fn word(&self, name: &str, must: &str) -> Result<Option<String>, Finding> {
        word(self.get(name), must).map_err(|m| self.error(Code::Schema, name, m))
    }

    /// The question's own id: `id`, else `q<order>` (`None` without an order).
    fn local_id(&self, order: Option<u64>) -> Result<Option<String>, Finding> {
        match self.get("id") {
            None | Some(Value::Null) => Ok(order.map(|o| format!("q{o}"))),
            Some(Value::String(s)) if valid_id(s.trim()) => Ok(Some(s.trim().to_string())),
            Some(other) => Err(self.error(
                Code::Schema,
                "id",
                format!(
                    "question `id` must be a word of letters, digits, `-`, `_` or `.`, found {}",
                    short(other)
                ),
            )),
        }
    }

    /// `effective_from`: a date, or nothing.
    fn effective_from(&self) -> Result<Option<chrono::NaiveDate>, Finding> {
        let Some(v) = self.get("effective_from").filter(|v| !v.is_null()) else {
            return Ok(None);
        };
        v.as_str()
            .and_then(|s| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
            .map(Some)
            .ok_or_else(|| {
                self.error(
                    Code::Schema,
                    "effective_from",
                    format!(
                        "`effective_from` must be a date like 2027-01-31, found {}",
                        short(v)
                    ),
                )
            })
    }

    /// `applies_if`, `max_age` and `probes`, read once the item is sound.
    fn conditions(
        &self,
        findings: &mut Vec<Finding>,
    ) -> (
        Option<super::facts::Condition>,
        Option<crate::duration::Duration>,
        Vec<super::probes::Probe>,
    ) {
        let field = |name| self.fields.get(name);
        let at = self.at;
        let applies_if =
            field("applies_if").and_then(|f| condition(&f.value, &at(&f.referenced), findings));
        let max_age =
            field("max_age").and_then(|f| max_age(&f.value, &at(&f.referenced), findings));
        let probes = match field("probes") {
            None => Vec::new(),
            Some(f) => super::probes::parse_list(&f.value, true).unwrap_or_else(|message| {
                findings.push(Finding::error(Code::Probe, at(&f.referenced), message));
                Vec::new()
            }),
        };
        (applies_if, max_age, probes)
    }
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
    Ok(raw.0)
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

/// The frontmatter keys of [`keys::PLAYBOOK`]; everything else
/// (`metaTitle`, ...) is skipped.
#[derive(Default)]
struct Frontmatter(Front);

impl<'de> Deserialize<'de> for Frontmatter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FrontmatterVisitor)
    }
}

struct FrontmatterVisitor;

impl<'de> Visitor<'de> for FrontmatterVisitor {
    type Value = Frontmatter;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Frontmatter, A::Error> {
        let mut out = Front::default();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let lower = key.value.0.to_lowercase();
            let Some(known) = keys::front_key(&lower) else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            match known.slot {
                Some(slot) => {
                    let v: Spanned<Value> = map.next_value()?;
                    *slot(&mut out) = Some((Pos::from(&v.referenced), v.value));
                }
                None => {
                    let c: Spanned<Checklist> = map.next_value()?;
                    out.checklist = Some((Pos::from(&c.referenced), c.value.into_raw()));
                }
            }
            if key.value.0 != lower {
                out.miscased.push((key.value.0, Pos::from(&key.referenced)));
            }
        }
        Ok(Frontmatter(out))
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

impl Checklist {
    fn into_raw(self) -> RawChecklist {
        match self {
            Checklist::Items(items) => RawChecklist::Items(
                items
                    .into_iter()
                    .map(|item| (Pos::from(&item.referenced), item.value.into_raw()))
                    .collect(),
            ),
            Checklist::Null => RawChecklist::Null,
            Checklist::Other(kind) => RawChecklist::Other(kind),
        }
    }
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

impl Item {
    fn into_raw(self) -> RawItem {
        match self {
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
        }
    }
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
