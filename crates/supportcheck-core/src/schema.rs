//! JSON Schemas of the file formats, generated from Rust types.
//!
//! The types here exist only to describe the files as users write them (with
//! the aliases and shorthands the readers accept); the readers themselves stay
//! lenient and report problems with line numbers. Every schema is
//! self-contained: references point inside the document, never at a URL.

use crate::playbook::keys::{self, Shape};
use chrono::{DateTime, FixedOffset, NaiveDate};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The file name `init` gives the answers schema, next to the answers file.
pub const ANSWERS_FILE_NAME: &str = "answers.schema.json";
/// The file name `init` gives the config schema, next to the config file.
pub const CONFIG_FILE_NAME: &str = "supportcheck.schema.json";
pub use crate::answers::hint_line;

/// The file formats that have a schema (`supportcheck schema KIND`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::EnumString, strum::VariantNames, strum::Display,
)]
#[strum(serialize_all = "kebab-case")]
pub enum SchemaKind {
    Playbook,
    Answers,
    Config,
    Report,
    /// The output of `portfolio --format json`
    Portfolio,
    /// `readiness/signoffs.yaml`
    Signoffs,
    /// The output of `check --format json`
    Check,
    /// The output of `status --format json`
    Status,
    /// The output of `status --by owner --format json`
    Owners,
    /// The output of `lint --format json`
    Lint,
    /// The output of `list --format json`
    List,
    /// The output of `history --format json`
    History,
    /// The output of `diff --format json`
    Diff,
}

impl SchemaKind {
    /// Every kind, in the order `supportcheck schema --help` lists them.
    pub const ALL: [SchemaKind; 13] = [
        SchemaKind::Playbook,
        SchemaKind::Answers,
        SchemaKind::Config,
        SchemaKind::Report,
        SchemaKind::Portfolio,
        SchemaKind::Signoffs,
        SchemaKind::Check,
        SchemaKind::Status,
        SchemaKind::Owners,
        SchemaKind::Lint,
        SchemaKind::List,
        SchemaKind::History,
        SchemaKind::Diff,
    ];

    /// Whether it describes a command's JSON output (checked in under
    /// docs/schemas/) rather than a file people write.
    pub fn is_output(self) -> bool {
        !matches!(
            self,
            SchemaKind::Playbook | SchemaKind::Answers | SchemaKind::Config | SchemaKind::Signoffs
        )
    }
}

/// The JSON Schema of one file format.
pub fn schema(kind: SchemaKind) -> Value {
    let schema = match kind {
        SchemaKind::Playbook => schemars::schema_for!(PlaybookDoc),
        SchemaKind::Answers => schemars::schema_for!(AnswersDoc),
        SchemaKind::Config => schemars::schema_for!(crate::config::Config),
        SchemaKind::Report => schemars::schema_for!(crate::report::Report),
        SchemaKind::Portfolio => schemars::schema_for!(crate::portfolio::Output<'static>),
        SchemaKind::Signoffs => schemars::schema_for!(crate::team::SignoffsFile),
        SchemaKind::Check => schemars::schema_for!(crate::render::check::CheckJson<'static>),
        SchemaKind::Status => schemars::schema_for!(crate::render::status::StatusJson<'static>),
        SchemaKind::Owners => schemars::schema_for!(crate::render::team::OwnersJson<'static>),
        SchemaKind::Lint => schemars::schema_for!(crate::render::lint::LintJson<'static>),
        SchemaKind::List => schemars::schema_for!(crate::render::list::ListJson<'static>),
        SchemaKind::History => schemars::schema_for!(crate::render::history::HistoryJson<'static>),
        SchemaKind::Diff => schemars::schema_for!(crate::render::history::DiffJson<'static>),
    };
    let mut value = schema.to_value();
    if let Some(map) = value.as_object_mut() {
        map.remove("$id");
    }
    value
}

/// The schema as pretty JSON with a final newline.
pub fn schema_text(kind: SchemaKind) -> String {
    let mut text = serde_json::to_string_pretty(&schema(kind)).unwrap_or_default();
    text.push('\n');
    text
}

// --- playbook -----------------------------------------------------------------

/// The YAML frontmatter of a playbook (the part between the `---` fences of
/// the Markdown file), made from the keys the reader declares
/// (`playbook/keys.rs`), with their docs.
struct PlaybookDoc;

impl JsonSchema for PlaybookDoc {
    fn schema_name() -> Cow<'static, str> {
        "PlaybookDoc".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let mut schema = object_of(g, keys::PLAYBOOK.iter().map(|k| &k.key));
        schema.insert("title".into(), "supportcheck playbook frontmatter".into());
        schema.insert(
            "description".into(),
            "The YAML frontmatter of a playbook (the part between the `---` fences of the Markdown file). Other top-level keys (`metaTitle`, `published`, ...) are allowed and ignored.".into(),
        );
        schema
    }
}

/// One question of a playbook: the keys of `keys::ITEM`.
struct ItemDoc;

impl JsonSchema for ItemDoc {
    fn schema_name() -> Cow<'static, str> {
        "ItemDoc".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let mut schema = object_of(g, keys::ITEM.iter());
        schema.insert("description".into(), "One question of a playbook.".into());
        schema
    }
}

/// An object with one property per key, described by the key's doc.
fn object_of<'a>(g: &mut SchemaGenerator, keys: impl Iterator<Item = &'a keys::Key>) -> Schema {
    let mut properties = serde_json::Map::new();
    let mut required = Vec::new();
    for key in keys {
        let mut property = shape(g, key.shape);
        if !key.required {
            property = nullable(property);
        }
        property.insert("description".into(), key.doc.into());
        properties.insert(key.name.into(), property.to_value());
        if key.required {
            required.push(key.name);
        }
    }
    json_schema!({
        "type": "object",
        "properties": properties,
        "required": required,
    })
}

/// One word of letters, digits, `-`, `_` or `.`.
const WORD: &str = r"^[A-Za-z0-9._-]+$";

/// The schema of a key's value.
fn shape(g: &mut SchemaGenerator, shape: Shape) -> Schema {
    let list_of = |items: Schema| json_schema!({ "type": "array", "items": items });
    match shape {
        Shape::Text | Shape::Expression => json_schema!({ "type": "string" }),
        Shape::NonEmptyText => json_schema!({ "type": "string", "minLength": 1 }),
        Shape::Word => json_schema!({ "type": "string", "pattern": WORD }),
        Shape::Age => json_schema!({ "type": "string", "pattern": crate::duration::PATTERN }),
        Shape::Order => json_schema!({ "type": "integer", "format": "uint64", "minimum": 1 }),
        Shape::Version => json_schema!({ "type": "string", "pattern": r"^\d+\.\d+\.\d+" }),
        Shape::Weight => {
            json_schema!({ "type": "number", "format": "double", "exclusiveMinimum": 0 })
        }
        Shape::Bool => json_schema!({ "type": "boolean" }),
        Shape::Date => json_schema!({ "type": "string", "format": "date" }),
        Shape::Evidence => g.subschema_for::<EvidenceRule>(),
        Shape::Tags => g.subschema_for::<Strings>(),
        Shape::Criteria => list_of(g.subschema_for::<CriterionDoc>()),
        Shape::Probes => {
            let mut list = list_of(g.subschema_for::<ProbeDoc>());
            list.insert(
                "maxItems".into(),
                crate::playbook::probes::MAX_PROBES_PER_QUESTION.into(),
            );
            list
        }
        Shape::Facts => list_of(g.subschema_for::<FactDoc>()),
        Shape::Levels => json_schema!({
            "type": "array",
            "items": { "type": "string", "pattern": WORD },
            "minItems": 1,
            "maxItems": crate::playbook::parse::MAX_LEVELS,
        }),
        Shape::Items => list_of(g.subschema_for::<ItemDoc>()),
    }
}

/// `schema`, or null: what an optional key may be.
fn nullable(mut schema: Schema) -> Schema {
    match schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_string)
    {
        Some(kind) => {
            schema.insert("type".into(), serde_json::json!([kind, "null"]));
            schema
        }
        None => json_schema!({ "anyOf": [schema, { "type": "null" }] }),
    }
}

/// A fact a playbook depends on.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct FactDoc {
    /// The name conditions use: letters, digits and `_`, starting with a letter.
    #[schemars(regex(pattern = r"^[A-Za-z][A-Za-z0-9_]*$"))]
    name: String,
    /// The question that asks for it.
    #[schemars(length(min = 1))]
    question: String,
    /// `bool`, `one-of`, `many-of` or `text` (a URL, a path, a name, for probes).
    #[serde(rename = "type")]
    kind: FactKindDoc,
    /// The choices of a `one-of` or `many-of` fact.
    options: Option<Vec<String>>,
    /// Pre-selected when the fact is asked.
    default: Option<crate::config::FactValue>,
}

#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
#[allow(dead_code)]
enum FactKindDoc {
    Bool,
    OneOf,
    ManyOf,
    Text,
}

/// One probe: exactly one of `http`, `file` or `command`, with its expectations.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct ProbeDoc {
    /// GET this URL (facts as `{{ name }}`).
    http: Option<String>,
    /// A path (or glob) inside the project.
    file: Option<String>,
    /// A program and its arguments, run without a shell; only from a trusted playbook.
    command: Option<Vec<String>>,
    /// Expected HTTP status (one or a list); default any 2xx.
    status: Option<serde_json::Value>,
    /// Text the body, file or output must contain.
    contains: Option<String>,
    /// A regular expression the body or file must match.
    matches: Option<String>,
    /// JSON pointer to the value expected there.
    json: Option<std::collections::BTreeMap<String, serde_json::Value>>,
    /// Response header to the text its value must contain.
    header: Option<std::collections::BTreeMap<String, String>>,
    /// Request headers; `${NAME}` names an environment variable listed in `probes.allow_env`.
    headers: Option<std::collections::BTreeMap<String, String>>,
    /// The fewest files a `file` glob must match.
    count: Option<u64>,
    /// A `file` changed within this duration, e.g. `30d`.
    #[schemars(regex(pattern = crate::duration::PATTERN))]
    younger_than: Option<String>,
    /// Expected exit code of a `command` (default 0).
    exit: Option<i64>,
    /// `5s`, `500ms` (default 10s, at most 60s).
    #[schemars(regex(pattern = crate::duration::PATTERN))]
    timeout: Option<String>,
}

/// A probe in `list --format json` is written as in the playbook.
impl JsonSchema for crate::playbook::probes::Probe {
    fn schema_name() -> Cow<'static, str> {
        "Probe".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        ProbeDoc::json_schema(generator)
    }
}

/// A criterion: plain text (its id is `c<position>`) or an `{id, text}` mapping.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum CriterionDoc {
    Text(#[schemars(length(min = 1))] String),
    Named {
        #[schemars(regex(pattern = r"^[A-Za-z0-9._-]+$"))]
        id: String,
        #[schemars(length(min = 1))]
        text: String,
    },
}

/// Whether a `met` answer needs evidence.
#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
#[allow(dead_code)]
enum EvidenceRule {
    Required,
    Optional,
}

// --- answers ------------------------------------------------------------------

/// The answers file (default `readiness/answers.yaml`).
#[derive(JsonSchema)]
#[schemars(title = "supportcheck answers file")]
#[allow(dead_code)]
struct AnswersDoc {
    /// The answers file format: 1.
    #[schemars(extend("const" = 1))]
    format: Option<u64>,
    /// The product the answers are about.
    product: Option<String>,
    /// Answers by full question id (`<playbook-id>/<question-id>`). An id with
    /// nothing after it is the placeholder of an open question.
    answers: Option<BTreeMap<String, AnswerDoc>>,
}

/// One answer; `null` (the id alone) is an open question's placeholder.
#[derive(JsonSchema)]
#[schemars(extend("type" = ["object", "null"]))]
#[allow(dead_code)]
struct AnswerDoc {
    /// met, partial, unmet or not-applicable (`yes`, `no`, `na`, `n/a`, ... are read too).
    status: Option<StatusInput>,
    /// Why: what was checked, numbers, links. Required for not-applicable.
    note: Option<String>,
    /// Paths (relative to the project root) or URLs.
    evidence: Option<Strings>,
    /// Ids of the criteria judged met.
    criteria_met: Option<Strings>,
    /// The version of the question that was answered.
    #[schemars(regex(pattern = r"^\d+\.\d+\.\d+"))]
    question_version: Option<String>,
    /// Who answered.
    answered_by: Option<String>,
    /// When, e.g. `2026-11-20T10:03:00Z`.
    answered_at: Option<DateTime<FixedOffset>>,
    /// Accepted risk: stops a blocker until it expires.
    waiver: Option<WaiverDoc>,
    /// The follow-up promised on a partial or unmet answer.
    action: Option<ActionDoc>,
}

/// A follow-up action.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct ActionDoc {
    /// What will be done.
    #[schemars(length(min = 1))]
    what: String,
    /// A person or role; the question's owner when absent.
    who: Option<String>,
    /// The day by which it is done (YYYY-MM-DD); after it the action is overdue.
    due: Option<NaiveDate>,
}

/// Accepted risk on a question.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct WaiverDoc {
    /// The risk accepted and why.
    #[schemars(length(min = 1))]
    reason: String,
    /// Last day on which the waiver holds (YYYY-MM-DD).
    expires: NaiveDate,
    /// Who accepted the risk.
    approved_by: Option<String>,
}

/// The status values and aliases the reader accepts (written lower case).
const STATUS_VALUES: &[&str] = &[
    "met",
    "partial",
    "unmet",
    "not-applicable",
    "yes",
    "y",
    "true",
    "done",
    "partly",
    "partially",
    "no",
    "n",
    "false",
    "not-met",
    "na",
    "n/a",
    "n-a",
    "not applicable",
    "not_applicable",
    "not met",
    "not_met",
];

/// A status as written: a canonical value, an alias, or a YAML boolean.
struct StatusInput;

impl JsonSchema for StatusInput {
    fn schema_name() -> Cow<'static, str> {
        "Status".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "met, partial, unmet or not-applicable; yes/no/na/n/a and similar aliases are read and written back canonically",
            "anyOf": [
                { "enum": STATUS_VALUES },
                { "type": "boolean" },
                { "type": "null" }
            ]
        })
    }
}

/// A list of texts; one text alone is read as a list of one.
struct Strings;

impl JsonSchema for Strings {
    fn schema_name() -> Cow<'static, str> {
        "Strings".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "anyOf": [
                { "type": "array", "items": { "type": ["string", "number"] } },
                { "type": "string" }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_self_contained() {
        for kind in [
            SchemaKind::Playbook,
            SchemaKind::Answers,
            SchemaKind::Config,
            SchemaKind::Report,
            SchemaKind::Signoffs,
        ] {
            let text = schema_text(kind);
            assert!(!text.contains("\"$id\""), "{text}");
            assert!(!text.contains("\"$ref\": \"http"), "{text}");
        }
    }
}
