//! The raw frontmatter both YAML readers produce (the fast path and
//! serde-saphyr), with the position of every value.

use serde_json::Value;

/// A place in the YAML text (without its `---` fence): 1-based line and column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: u64,
    pub column: u64,
}

impl From<&serde_saphyr::Location> for Pos {
    fn from(l: &serde_saphyr::Location) -> Pos {
        Pos {
            line: l.line(),
            column: l.column(),
        }
    }
}

/// The frontmatter keys a playbook reads, with where their values are.
/// Built by the fast path ([`simple_yaml`]) or from serde-saphyr's output;
/// both must agree exactly.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Front {
    pub title: Option<(Pos, Value)>,
    pub id: Option<(Pos, Value)>,
    pub summary: Option<(Pos, Value)>,
    pub owner: Option<(Pos, Value)>,
    pub checklist: Option<(Pos, RawChecklist)>,
    /// `applies_if`, `max_age` and `facts` (issue 15: conditional questions).
    pub applies_if: Option<(Pos, Value)>,
    pub max_age: Option<(Pos, Value)>,
    pub facts: Option<(Pos, Value)>,
    /// `level` of a playbook and `levels` of a set's index page (issue 27).
    pub level: Option<(Pos, Value)>,
    pub levels: Option<(Pos, Value)>,
    /// Known keys written in another case (`Title:`), where they are.
    pub miscased: Vec<(String, Pos)>,
}

/// The `checklist` value: a list of items, or something else to report.
#[derive(Debug, PartialEq)]
pub(crate) enum RawChecklist {
    Items(Vec<(Pos, RawItem)>),
    Null,
    Other(&'static str),
}

/// One checklist item: its entries in file order, or what it was instead.
#[derive(Debug, PartialEq)]
pub(crate) enum RawItem {
    Entries(Vec<RawEntry>),
    Other(&'static str),
}

/// One `key: value` of a checklist item.
#[derive(Debug, PartialEq)]
pub(crate) struct RawEntry {
    pub key: String,
    pub key_pos: Pos,
    pub value: Value,
    pub value_pos: Pos,
}
