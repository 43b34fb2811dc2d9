//! The frontmatter keys a playbook reads, declared once. Both YAML readers
//! pick the playbook-level keys from [`PLAYBOOK`] (the fast path and
//! serde-saphyr alike), a checklist item's keys are checked against
//! [`ITEM`] (with a "did you mean"), and the playbook's JSON Schema
//! (`supportcheck schema playbook`) is made from both, docs included.
//!
//! Adding a key: one entry here, plus the code that reads its value (a
//! [`Front`] field for a playbook-level key, a [`super::Question`] field
//! for an item's).

use super::raw::{Front, Pos};
use serde_json::Value;

/// What a key's value looks like, as the JSON Schema describes it (the
/// reader itself is lenient and explains what it cannot use).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Any text.
    Text,
    /// Text that is not empty.
    NonEmptyText,
    /// One word of letters, digits, `-`, `_` or `.`: an id, a role, a level.
    Word,
    /// An expression over facts and answers (`applies_if`).
    Expression,
    /// An age such as `90d` or `6m`.
    Age,
    /// A positive whole number.
    Order,
    /// `MAJOR.MINOR.PATCH`.
    Version,
    /// A positive number.
    Weight,
    /// `true` or `false`.
    Bool,
    /// A day, `YYYY-MM-DD`.
    Date,
    /// `required` or `optional`.
    Evidence,
    /// A list of texts, or one text.
    Tags,
    /// A list of criteria: texts or `{id, text}` mappings.
    Criteria,
    /// A list of probes.
    Probes,
    /// A list of fact declarations.
    Facts,
    /// A list of level names, lowest first.
    Levels,
    /// The checklist: a list of items, each with the keys of [`ITEM`].
    Items,
}

/// One key: its name (lower case, as written), the shape of its value,
/// whether it must be there, and what it is for.
#[derive(Debug)]
pub(crate) struct Key {
    pub name: &'static str,
    pub shape: Shape,
    pub required: bool,
    pub doc: &'static str,
}

/// Where both readers put a playbook-level key's value.
pub(crate) type Slot = fn(&mut Front) -> &mut Option<(Pos, Value)>;

/// A playbook-level key and the [`Front`] field its value goes to; `None`
/// for `checklist`, which both readers read into [`super::raw::RawChecklist`].
#[derive(Debug)]
pub(crate) struct FrontKey {
    pub key: Key,
    pub slot: Option<Slot>,
}

const fn key(name: &'static str, shape: Shape, doc: &'static str) -> Key {
    Key {
        name,
        shape,
        required: false,
        doc,
    }
}

const fn required(name: &'static str, shape: Shape, doc: &'static str) -> Key {
    Key {
        name,
        shape,
        required: true,
        doc,
    }
}

/// The keys of a playbook's frontmatter. Any other key (`metaTitle`,
/// `published`, ...) is allowed and ignored.
pub(crate) const PLAYBOOK: &[FrontKey] = &[
    FrontKey {
        key: key("title", Shape::Text, "The playbook's title."),
        slot: Some(|f| &mut f.title),
    },
    FrontKey {
        key: key(
            "id",
            Shape::Word,
            "Stable playbook id; defaults to the file stem without a leading `NN-`.",
        ),
        slot: Some(|f| &mut f.id),
    },
    FrontKey {
        key: key(
            "summary",
            Shape::Text,
            "One or two sentences on what the playbook checks.",
        ),
        slot: Some(|f| &mut f.summary),
    },
    FrontKey {
        key: key(
            "facts",
            Shape::Facts,
            "The facts this playbook's conditions read, so they can be asked for.",
        ),
        slot: Some(|f| &mut f.facts),
    },
    FrontKey {
        key: key(
            "applies_if",
            Shape::Expression,
            "An expression over facts and answers: the playbook applies only when it is true, e.g. `chatbot` or `'phone' in channels`.",
        ),
        slot: Some(|f| &mut f.applies_if),
    },
    FrontKey {
        key: key(
            "max_age",
            Shape::Age,
            "How long answers to its questions stay valid, e.g. `90d`, `6m`.",
        ),
        slot: Some(|f| &mut f.max_age),
    },
    FrontKey {
        key: key(
            "owner",
            Shape::Word,
            "The role that owns the playbook's questions (a key of `owners:` in the config).",
        ),
        slot: Some(|f| &mut f.owner),
    },
    FrontKey {
        key: key(
            "level",
            Shape::Word,
            "The maturity level its questions count toward (one of the set's `levels`); a question's own `level` wins.",
        ),
        slot: Some(|f| &mut f.level),
    },
    FrontKey {
        key: key(
            "levels",
            Shape::Levels,
            "On a set's index page (a file with no `checklist`): the maturity levels, lowest first. Ignored on a playbook.",
        ),
        slot: Some(|f| &mut f.levels),
    },
    FrontKey {
        key: required("checklist", Shape::Items, "The questions, in order."),
        slot: None,
    },
];

/// The keys of one checklist item, in the order the "known:" list names them.
pub(crate) const ITEM: &[Key] = &[
    required(
        "order",
        Shape::Order,
        "Position in the playbook: a positive whole number, unique in the playbook.",
    ),
    required(
        "question",
        Shape::NonEmptyText,
        "The question, as asked during the audit.",
    ),
    required(
        "expectation",
        Shape::NonEmptyText,
        "What a `met` answer looks like.",
    ),
    required(
        "version",
        Shape::Version,
        "Semantic version of the question (`MAJOR.MINOR.PATCH`); a MAJOR bump makes old answers stale.",
    ),
    key(
        "id",
        Shape::Word,
        "Stable question id; defaults to `q<order>`.",
    ),
    key(
        "weight",
        Shape::Weight,
        "Share of the playbook score (a positive number; default 1).",
    ),
    key(
        "critical",
        Shape::Bool,
        "Not met (and not waived) means the audit is blocked. Default false.",
    ),
    key(
        "criteria",
        Shape::Criteria,
        "The parts of the expectation, checked one by one.",
    ),
    key(
        "evidence",
        Shape::Evidence,
        "`required`: `met` needs at least one evidence entry. Default `optional`.",
    ),
    key(
        "tags",
        Shape::Tags,
        "Free labels, for filtering with `--tag`.",
    ),
    key(
        "applies_if",
        Shape::Expression,
        "An expression over facts and answers: the question applies only when it is true, e.g. `'phone' in channels` or `answers['x/q1'] == 'met'`.",
    ),
    key(
        "max_age",
        Shape::Age,
        "How long an answer stays valid, e.g. `90d`, `6m`.",
    ),
    key(
        "owner",
        Shape::Word,
        "The role that owns this question; wins over the playbook's `owner`.",
    ),
    key(
        "level",
        Shape::Word,
        "The maturity level this question counts toward, one of the set's `levels`; wins over the playbook's `level`.",
    ),
    key(
        "effective_from",
        Shape::Date,
        "A date (YYYY-MM-DD): before it the question is upcoming, shown but not counted.",
    ),
    key(
        "probes",
        Shape::Probes,
        "Checks that verify the answer (docs/probes.md): `- http: URL`, `- file: PATH`, `- command: [PROGRAM, ARGS]`, each with its expectations.",
    ),
];

/// The playbook-level key named `lower` (already lower-cased by the reader).
pub(crate) fn front_key(lower: &str) -> Option<&'static FrontKey> {
    PLAYBOOK.iter().find(|k| k.key.name == lower)
}

/// The item key `written` names, exactly or in another case.
pub(crate) fn item_key(written: &str) -> Option<&'static Key> {
    ITEM.iter()
        .find(|k| k.name == written)
        .or_else(|| ITEM.iter().find(|k| k.name.eq_ignore_ascii_case(written)))
}

/// The message for an item key that is not in [`ITEM`].
pub(crate) fn unknown_item_key(written: &str) -> String {
    let names = || ITEM.iter().map(|k| k.name);
    let hint = crate::suggest::closest(written, names())
        .map(|k| format!("; did you mean `{k}`?"))
        .unwrap_or_default();
    format!(
        "unknown key `{written}` on a checklist item{hint} (known: {})",
        names().collect::<Vec<_>>().join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Finding};
    use crate::playbook::parse::{FileInfo, Parsed, front_via_saphyr, parse};
    use crate::playbook::simple_yaml;

    /// What both readers make of `yaml`, checked to be the same.
    fn read(yaml: &str) -> Front {
        let fast = simple_yaml::parse(yaml).unwrap_or_else(|| panic!("fast path declined {yaml}"));
        let full = front_via_saphyr(yaml).unwrap();
        assert_eq!(fast, full, "{yaml}");
        fast
    }

    fn yaml_with(name: &str) -> String {
        match name {
            "checklist" => format!("{name}:\n  - order: 1\n"),
            _ => format!("{name}: x\n"),
        }
    }

    #[test]
    fn both_readers_take_every_playbook_key_each_into_its_own_field() {
        let mut seen: Vec<(&str, Front)> = Vec::new();
        for k in PLAYBOOK {
            let name = k.key.name;
            let front = read(&yaml_with(name));
            assert_ne!(front, Front::default(), "`{name}` was not read");
            if let Some((other, _)) = seen.iter().find(|(_, f)| *f == front) {
                panic!("`{name}` and `{other}` fill the same field");
            }
            let upper = name.to_uppercase();
            let miscased = read(&yaml_with(&upper));
            assert_eq!(miscased.miscased.len(), 1, "{upper}");
            assert_eq!(miscased.miscased[0].0, upper);
            seen.push((name, front));
        }
    }

    #[test]
    fn both_readers_skip_a_key_that_is_not_declared() {
        for yaml in [
            "titel: x\n",
            "metaTitle: x\n",
            "checklists:\n  - order: 1\n",
        ] {
            assert_eq!(read(yaml), Front::default(), "{yaml}");
        }
    }

    /// The findings of a playbook whose one item is `item`, read by the fast
    /// path or (with a comment after a value, which it declines) by serde-saphyr.
    fn findings(item: &str, fast: bool) -> Vec<Finding> {
        let title = if fast {
            "title: t\n"
        } else {
            "title: t # full\n"
        };
        let yaml = format!("{title}checklist:\n  - {item}\n");
        assert_eq!(simple_yaml::parse(&yaml).is_some(), fast, "{yaml}");
        let info = FileInfo {
            path: "p.md".into(),
            section: None,
            stem: "p".into(),
        };
        match parse(format!("---\n{yaml}---\n").into_bytes(), &info) {
            Parsed::Playbook(_, findings) | Parsed::Broken(findings) => findings,
            Parsed::NotAPlaybook { why, .. } => panic!("{why}"),
        }
    }

    fn unknown(findings: &[Finding]) -> Vec<&str> {
        findings
            .iter()
            .filter(|f| f.code == Code::UnknownKey)
            .map(|f| f.message.as_str())
            .collect()
    }

    #[test]
    fn both_readers_accept_every_item_key() {
        for k in ITEM {
            for fast in [true, false] {
                let found = findings(&format!("{}: x\n", k.name), fast);
                assert!(unknown(&found).is_empty(), "{}: {found:?}", k.name);
                assert!(!found.iter().any(|f| f.code == Code::KeyCase), "{}", k.name);
            }
        }
    }

    #[test]
    fn both_readers_refuse_an_undeclared_item_key_with_the_same_message() {
        let message = unknown_item_key("qestion");
        assert!(
            message.starts_with(
                "unknown key `qestion` on a checklist item; did you mean `question`? (known: order, question,"
            ),
            "{message}"
        );
        for fast in [true, false] {
            let found = findings("order: 1\n    qestion: x\n", fast);
            assert_eq!(unknown(&found), [message.as_str()]);
        }
        let far = unknown_item_key("assignee");
        assert!(!far.contains("did you mean"), "{far}");
    }

    /// The names, required names and docs of one object in the schema.
    fn described(object: &Value) -> Vec<(String, bool, String)> {
        let required = object["required"].as_array().unwrap();
        let mut out: Vec<_> = object["properties"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, p)| {
                let doc = p["description"].as_str().unwrap_or_default().to_string();
                (
                    name.clone(),
                    required.contains(&Value::from(name.as_str())),
                    doc,
                )
            })
            .collect();
        out.sort();
        out
    }

    fn declared<'a>(keys: impl Iterator<Item = &'a Key>) -> Vec<(String, bool, String)> {
        let mut out: Vec<_> = keys
            .map(|k| (k.name.to_string(), k.required, k.doc.to_string()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn the_schema_describes_exactly_the_declared_keys() {
        let schema = crate::schema::schema(crate::schema::SchemaKind::Playbook);
        assert_eq!(
            described(&schema),
            declared(PLAYBOOK.iter().map(|k| &k.key))
        );
        assert_eq!(
            described(&schema["$defs"]["ItemDoc"]),
            declared(ITEM.iter())
        );
    }
}
