//! What a playbook says about when it applies: the facts it depends on,
//! `applies_if` conditions (checked for syntax with minijinja); `max_age` is a
//! [`crate::duration::Age`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;

/// The value of one fact: `true`, `b2b`, `[email, chat]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum FactValue {
    Bool(bool),
    One(String),
    Many(Vec<String>),
}

impl FactValue {
    /// The value as YAML text for `supportcheck.yaml`: `true`, `b2b`, `[email, chat]`.
    pub fn to_yaml(&self, scalar: &dyn Fn(&str) -> String) -> String {
        match self {
            FactValue::Bool(b) => b.to_string(),
            FactValue::One(s) => scalar(s),
            FactValue::Many(list) => format!(
                "[{}]",
                list.iter()
                    .map(|s| scalar(s))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// The value in words, for messages: `true`, `b2b`, `email, chat`, `none`.
    pub fn words(&self) -> String {
        match self {
            FactValue::Bool(b) => b.to_string(),
            FactValue::One(s) => s.clone(),
            FactValue::Many(list) if list.is_empty() => "none".to_string(),
            FactValue::Many(list) => list.join(", "),
        }
    }
}

/// The kinds of fact a playbook can declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema, strum::IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum FactKind {
    Bool,
    OneOf,
    ManyOf,
    /// Free text: a URL, a path, a name (`type: text`), for probes.
    Text,
}

/// A fact a playbook depends on, with what it takes to ask for it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct FactDecl {
    pub name: String,
    pub question: String,
    pub kind: FactKind,
    /// The choices of a `one-of` or `many-of` fact.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<FactValue>,
    /// Line of the `facts:` key in the playbook file.
    pub line: u64,
}

impl FactDecl {
    /// Whether `value` is a value of this fact; `Err` says why not.
    pub fn check(&self, value: &FactValue) -> Result<(), String> {
        let known = |s: &String| self.options.is_empty() || self.options.contains(s);
        match (self.kind, value) {
            (FactKind::Bool, FactValue::Bool(_)) => Ok(()),
            (FactKind::OneOf, FactValue::One(s)) if known(s) => Ok(()),
            (FactKind::ManyOf, FactValue::Many(list)) if list.iter().all(known) => Ok(()),
            // Empty: the product has none (its probes do not run).
            (FactKind::Text, FactValue::One(_)) => Ok(()),
            (FactKind::Text, _) => Err("must be a piece of text".into()),
            (FactKind::Bool, _) => Err("must be true or false".into()),
            (FactKind::OneOf, _) => Err(format!("must be one of: {}", self.options.join(", "))),
            (FactKind::ManyOf, _) => Err(format!(
                "must be a list of some of: {}",
                self.options.join(", ")
            )),
        }
    }
}

/// An `applies_if` expression and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub source: String,
    pub line: u64,
    pub column: u64,
    /// The top-level names it reads (facts, and `answers`), sorted.
    pub names: Vec<String>,
}

impl Condition {
    /// The expression for messages: cut after 80 characters.
    pub fn shown(&self) -> String {
        shorten(&self.source)
    }
}

/// Text cut after 80 characters, with `…` when cut.
pub fn shorten(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

impl Serialize for Condition {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

impl JsonSchema for Condition {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Condition".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An `applies_if` expression over facts and answers, as written."
        })
    }
}

/// The environment conditions are compiled and evaluated in: a bounded
/// vocabulary, nothing from the outside world, and a fuel limit so that no
/// expression can run for long (see [`super::expression`]).
pub fn expression_env() -> minijinja::Environment<'static> {
    super::expression::environment()
}

impl Condition {
    /// Compiles `source`; `Err((column offset within source, message))`.
    pub fn compile(source: &str, line: u64, column: u64) -> Result<Condition, (u64, String)> {
        // The shape first: a deep expression would overflow the parser's stack.
        super::expression::check_shape(source)?;
        let env = expression_env();
        let expr = env.compile_expression(source).map_err(|e| {
            let offset = e.range().map_or(0, |r| r.start as u64);
            let detail = e
                .detail()
                .map_or_else(|| e.kind().to_string(), str::to_string);
            (offset, detail)
        })?;
        // `range`, `dict` and the other globals are the language's, not facts.
        let names: BTreeSet<String> = expr
            .undeclared_variables(false)
            .into_iter()
            .filter(|n| env.globals().all(|(g, _)| g != n))
            .collect();
        Ok(Condition {
            source: source.to_string(),
            line,
            column,
            names: names.into_iter().collect(),
        })
    }
}

/// Reads a playbook's `facts:` value; errors are messages for the `facts` key.
pub fn parse_decls(value: &Value, line: u64) -> Result<Vec<FactDecl>, String> {
    let Value::Array(list) = value else {
        return Err("`facts` must be a list of {name, question, type, options, default}".into());
    };
    let mut out: Vec<FactDecl> = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let n = i + 1;
        let Value::Object(map) = item else {
            return Err(format!(
                "fact {n} must be a mapping with name, question and type"
            ));
        };
        if let Some(key) = map
            .keys()
            .find(|k| !["name", "question", "type", "options", "default"].contains(&k.as_str()))
        {
            return Err(format!(
                "fact {n} has an unknown key `{key}` (known: name, question, type, options, default)"
            ));
        }
        let text = |k: &str| map.get(k).and_then(Value::as_str).map(str::trim);
        let name = text("name").filter(|s| valid_fact_name(s)).ok_or_else(|| {
            format!(
                "fact {n} needs a `name`: a word of letters, digits and `_`, starting with a letter"
            )
        })?;
        let question = text("question")
            .filter(|s| !s.is_empty())
            .ok_or_else(|| format!("fact `{name}` needs a `question` to ask"))?;
        let kind = match text("type") {
            Some("bool") => FactKind::Bool,
            Some("one-of") => FactKind::OneOf,
            Some("many-of") => FactKind::ManyOf,
            Some("text") => FactKind::Text,
            _ => {
                return Err(format!(
                    "fact `{name}` needs a `type`: bool, one-of, many-of or text"
                ));
            }
        };
        let options = decl_options(map, name, kind)?;
        let mut decl = FactDecl {
            name: name.to_string(),
            question: question.to_string(),
            kind,
            options,
            default: None,
            line,
        };
        if let Some(d) = map.get("default").filter(|d| !d.is_null()) {
            let value: FactValue = serde_json::from_value(d.clone()).map_err(|_| {
                format!("fact `{name}`: `default` must be true/false, a word or a list of words")
            })?;
            decl.check(&value)
                .map_err(|why| format!("fact `{name}`: `default` {why}"))?;
            decl.default = Some(value);
        }
        if out.iter().any(|d| d.name == decl.name) {
            return Err(format!("fact `{name}` is declared twice"));
        }
        out.push(decl);
    }
    Ok(out)
}

/// The `options` of the fact `name`, checked against its kind: one-of and
/// many-of need some, bool and text take none.
fn decl_options(
    map: &serde_json::Map<String, Value>,
    name: &str,
    kind: FactKind,
) -> Result<Vec<String>, String> {
    let options: Vec<String> = match map.get("options") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(o)) if o.iter().all(Value::is_string) => o
            .iter()
            .filter_map(|s| s.as_str().map(|s| s.trim().to_string()))
            .collect(),
        Some(_) => return Err(format!("fact `{name}`: `options` must be a list of words")),
    };
    if matches!(kind, FactKind::Bool | FactKind::Text) && !options.is_empty() {
        return Err(format!(
            "fact `{name}` is {}: it takes no `options`",
            <&str>::from(kind)
        ));
    }
    if matches!(kind, FactKind::OneOf | FactKind::ManyOf) && options.is_empty() {
        return Err(format!(
            "fact `{name}` is {}: list its `options`",
            <&str>::from(kind)
        ));
    }
    Ok(options)
}

/// A fact name can be used as a variable in an expression: a word that is
/// not `answers` and not one of the expression language's own words.
pub fn valid_fact_name(s: &str) -> bool {
    const RESERVED: [&str; 15] = [
        "answers", "and", "or", "not", "in", "is", "if", "else", "true", "false", "none", "True",
        "False", "None", "loop",
    ];
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_condition_names_what_it_reads() {
        let c =
            Condition::compile("'phone' in channels and answers['a/q1'] == 'met'", 3, 5).unwrap();
        assert_eq!(c.names, ["answers", "channels"]);
        // The language's own globals are not facts.
        let c = Condition::compile("range(3) | length > 0 and x", 1, 1).unwrap();
        assert_eq!(c.names, ["x"]);
        assert!(shorten(&"y".repeat(200)).ends_with('…'));
        let (offset, message) = Condition::compile("chatbot ==", 3, 5).unwrap_err();
        assert!(offset > 0 && !message.is_empty(), "{offset} {message}");
    }

    #[test]
    fn declarations_are_checked() {
        let v: Value = serde_json::json!([
            {"name": "chatbot", "question": "A bot?", "type": "bool", "default": false},
            {"name": "channels", "question": "Which?", "type": "many-of", "options": ["email", "chat"], "default": ["email"]}
        ]);
        let decls = parse_decls(&v, 4).unwrap();
        assert_eq!(decls.len(), 2);
        assert_eq!(
            decls[1].default,
            Some(FactValue::Many(vec!["email".into()]))
        );
        for (bad, needle) in [
            (
                serde_json::json!([{"name": "x", "question": "?", "type": "maybe"}]),
                "type",
            ),
            (
                serde_json::json!([{"name": "x", "question": "?", "type": "one-of"}]),
                "options",
            ),
            (
                serde_json::json!([{"name": "x", "question": "?", "type": "one-of", "options": ["a"], "default": "b"}]),
                "default",
            ),
            (
                serde_json::json!([{"name": "answers", "question": "?", "type": "bool"}]),
                "name",
            ),
            (serde_json::json!({"name": "x"}), "list"),
        ] {
            let err = parse_decls(&bad, 1).unwrap_err();
            assert!(err.contains(needle), "{err}");
        }
    }
}
