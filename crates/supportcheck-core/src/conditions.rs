//! Conditions: whether a question applies, from the project's facts and the
//! answers so far; and the checks that every condition can be evaluated.
//! Pure: the facts, the playbooks and the answers come in as values.

use crate::answers::AnswersFile;
use crate::diagnostic::{Code, Finding, Location};
use crate::playbook::facts::{Condition, FactDecl, FactValue, expression_env};
use crate::playbook::{Playbook, Question, Set};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The facts as the config sets them.
pub type Facts = BTreeMap<String, FactValue>;

/// Whether a question applies.
#[derive(Debug, Clone, PartialEq)]
pub enum Applies {
    Yes,
    /// The condition is false; the text says why, e.g. `no chatbot`.
    No(String),
    /// The condition reads facts that are not set: the question is asked
    /// and counted until they are.
    NeedsFacts(Vec<String>),
    /// The condition could not be evaluated (e.g. `'x' in` a true/false
    /// fact); the question is asked and counted.
    Broken(String),
}

/// Evaluates conditions against one state of the facts and answers; the
/// variables are built once, on the first condition, and shared by the rest.
pub struct Evaluator<'a> {
    facts: &'a Facts,
    answers: &'a AnswersFile,
    /// Converted to minijinja's value once: evaluating with it then shares
    /// it instead of converting every answer again for each condition.
    context: std::cell::OnceCell<minijinja::Value>,
}

impl<'a> Evaluator<'a> {
    pub fn new(facts: &'a Facts, answers: &'a AnswersFile) -> Evaluator<'a> {
        Evaluator {
            facts,
            answers,
            context: std::cell::OnceCell::new(),
        }
    }

    /// Whether `q` of `playbook` applies: the playbook's condition, then the question's.
    pub fn applies(&self, playbook: &Playbook, q: &Question) -> Applies {
        for cond in [&playbook.applies_if, &q.applies_if].into_iter().flatten() {
            let ctx = self.context.get_or_init(|| {
                minijinja::Value::from_serialize(context_of(self.facts, self.answers))
            });
            match evaluate(cond, self.facts, ctx) {
                Applies::Yes => {}
                other => return other,
            }
        }
        Applies::Yes
    }
}

/// The variables an expression sees: every fact, and `answers` (question id
/// to status, e.g. `answers['support-channels/q1'] == 'met'`).
fn context_of(facts: &Facts, answers: &AnswersFile) -> Value {
    let mut ctx: Map<String, Value> = facts
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or(Value::Null)))
        .collect();
    let statuses: Map<String, Value> = answers
        .answers
        .iter()
        .filter_map(|(id, a)| Some((id.clone(), Value::String(a.status?.as_str().to_string()))))
        .collect();
    ctx.insert("answers".to_string(), Value::Object(statuses));
    Value::Object(ctx)
}

fn evaluate(cond: &Condition, facts: &Facts, ctx: &minijinja::Value) -> Applies {
    let missing: Vec<String> = cond
        .names
        .iter()
        .filter(|n| n.as_str() != "answers" && !facts.contains_key(*n))
        .cloned()
        .collect();
    if !missing.is_empty() {
        return Applies::NeedsFacts(missing);
    }
    match run(cond, ctx) {
        Ok(v) if v.is_true() => Applies::Yes,
        Ok(_) => Applies::No(reason(cond, facts)),
        Err(e) => Applies::Broken(format!(
            "`applies_if: {}` could not be evaluated ({}); the question is asked and counted",
            cond.shown(),
            e.detail()
                .map_or_else(|| e.kind().to_string(), str::to_string)
        )),
    }
}

/// Compiles and evaluates a condition.
fn run(cond: &Condition, ctx: &minijinja::Value) -> Result<minijinja::Value, minijinja::Error> {
    expression_env()
        .compile_expression(&cond.source)
        .and_then(|e| e.eval(ctx))
}

/// Why a false condition skips: `no chatbot`, or the expression with the
/// facts it read.
fn reason(cond: &Condition, facts: &Facts) -> String {
    if let Some(v) = facts.get(&cond.source) {
        return match v {
            FactValue::Bool(false) => format!("no {}", cond.source.replace('_', " ")),
            other => format!("{} is {}", cond.source, other.words()),
        };
    }
    let read: Vec<String> = cond
        .names
        .iter()
        .filter_map(|n| Some(format!("{n}: {}", facts.get(n)?.words())))
        .collect();
    if read.is_empty() {
        format!("`{}` is false", cond.shown())
    } else {
        format!("`{}` is false ({})", cond.shown(), read.join("; "))
    }
}

/// Every fact declared by the loaded playbooks, by name (the first
/// declaration wins; a different one elsewhere is a lint error).
pub fn declared(set: &Set) -> BTreeMap<&str, (&Playbook, &FactDecl)> {
    let mut out = BTreeMap::new();
    for p in &set.playbooks {
        for d in &p.facts {
            out.entry(d.name.as_str()).or_insert((p, d));
        }
    }
    out
}

/// Every condition with the file it is in, in set order.
fn conditions(set: &Set) -> impl Iterator<Item = (&Playbook, &Condition)> {
    set.playbooks.iter().flat_map(|p| {
        p.applies_if
            .iter()
            .chain(p.questions.iter().filter_map(|q| q.applies_if.as_ref()))
            .map(move |c| (p, c))
    })
}

/// The declared facts that some condition or probe reads and the config
/// does not set, in the order the playbooks declare them.
pub fn missing(set: &Set, facts: &Facts) -> Vec<FactDecl> {
    let probed =
        crate::probe::missing_facts(set.questions().flat_map(|(_, q)| q.probes.iter()), facts);
    let read: std::collections::BTreeSet<&str> = conditions(set)
        .flat_map(|(_, c)| c.names.iter().map(String::as_str))
        .chain(probed.iter().map(String::as_str))
        .collect();
    let mut out: Vec<FactDecl> = Vec::new();
    for d in set.playbooks.iter().flat_map(|p| &p.facts) {
        if read.contains(d.name.as_str())
            && !facts.contains_key(&d.name)
            && !out.iter().any(|o| o.name == d.name)
        {
            out.push(d.clone());
        }
    }
    out
}

/// Checks that conditions can be evaluated: every name they read is a
/// declared or configured fact (else "did you mean"), declarations agree,
/// and configured values fit their declarations. `config` is the config's
/// shown path and text, for the line of a fact's value.
pub fn lint(set: &Set, facts: &Facts, config: (&str, &str)) -> Vec<Finding> {
    let (config_path, _) = config;
    let declared = declared(set);
    let mut findings = unknown_names(set, facts, &declared, config_path);
    findings.extend(stopped_conditions(set, facts));
    findings.extend(conflicting_declarations(set, &declared));
    findings.extend(answer_loops(set));
    findings.extend(misfit_values(facts, &declared, config));
    findings
}

/// The declarations of facts by name, as [`declared`] gives them.
type Declared<'a> = BTreeMap<&'a str, (&'a Playbook, &'a FactDecl)>;

/// An error for each name a condition reads that no playbook declares and
/// the config does not set, with a "did you mean".
fn unknown_names(
    set: &Set,
    facts: &Facts,
    declared: &Declared<'_>,
    config_path: &str,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let known: Vec<&str> = declared
        .keys()
        .copied()
        .chain(facts.keys().map(String::as_str))
        .collect();
    for (p, c) in conditions(set) {
        for n in c.names.iter().filter(|n| n.as_str() != "answers") {
            if known.contains(&n.as_str()) {
                continue;
            }
            let hint = crate::suggest::closest(n, known.iter().copied())
                .map(|m| format!("; did you mean `{m}`?"))
                .unwrap_or_default();
            findings.push(Finding::error(
                Code::UnknownFact,
                Location::at(&p.path, c.line, c.column),
                format!(
                    "`applies_if: {}` reads `{n}`, which no playbook declares under `facts:` and {config_path} does not set{hint}",
                    c.shown()
                ),
            ));
        }
    }
    findings
}

/// An error for each condition that builds more than a condition may, or
/// runs out of fuel, with the facts as configured.
fn stopped_conditions(set: &Set, facts: &Facts) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Each expression once: the same one on many questions gives one answer.
    let ctx = minijinja::Value::from_serialize(context_of(facts, &AnswersFile::default()));
    let mut stopped: BTreeMap<&str, Option<String>> = BTreeMap::new();
    for (p, c) in conditions(set) {
        let why = stopped.entry(c.source.as_str()).or_insert_with(|| {
            run(c, &ctx)
                .err()
                .filter(crate::playbook::expression::is_exhausted)
                .map(|e| {
                    e.detail()
                        .map_or_else(|| e.kind().to_string(), str::to_string)
                })
        });
        if let Some(why) = why {
            findings.push(Finding::error(
                Code::Condition,
                Location::at(&p.path, c.line, c.column),
                format!("`applies_if: {}` was stopped: {why}", c.shown()),
            ));
        }
    }
    findings
}

/// An error for each fact declared with another type or other options than
/// its first declaration.
fn conflicting_declarations(set: &Set, declared: &Declared<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for p in &set.playbooks {
        for d in &p.facts {
            if let Some((first, other)) = declared.get(d.name.as_str())
                && !std::ptr::eq(*other, d)
                && (other.kind != d.kind || other.options != d.options)
            {
                findings.push(Finding::error(
                    Code::Fact,
                    Location::at(&p.path, d.line, 0),
                    format!(
                        "fact `{}` is declared differently in {} (line {}); one fact, one type and one set of options",
                        d.name, first.path, other.line
                    ),
                ));
            }
        }
    }
    findings
}

/// An error for each configured fact whose value does not fit its
/// declaration, at the value's line in the config.
fn misfit_values(facts: &Facts, declared: &Declared<'_>, config: (&str, &str)) -> Vec<Finding> {
    let (config_path, config_text) = config;
    let mut findings = Vec::new();
    for (name, value) in facts {
        if let Some((_, d)) = declared.get(name.as_str())
            && let Err(why) = d.check(value)
        {
            let line = crate::config::fact_line(config_text, name).unwrap_or(0);
            findings.push(Finding::error(
                Code::Fact,
                Location::at(config_path, line, 3),
                format!("fact `{name}` is `{}`, but it {why}", value.words()),
            ));
        }
    }
    findings
}

/// The question ids a condition reads through `answers`: each string
/// literal in it, and each `answers.name`, that is the id of a question in
/// `ids`. A static reading, so that a branch not taken still counts.
fn answers_read<'a>(cond: &Condition, ids: &BTreeSet<&'a str>) -> BTreeSet<&'a str> {
    let mut out = BTreeSet::new();
    if !cond.names.iter().any(|n| n == "answers") {
        return out;
    }
    let mut found = |word: &str| {
        if let Some(id) = ids.get(word) {
            out.insert(*id);
        }
    };
    let src = cond.source.as_str();
    let mut chars = src.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' || c == '"' {
            found(&string_literal(&mut chars, c));
        } else if src[i..].starts_with("answers.") {
            let rest = &src[i + "answers.".len()..];
            let end = rest
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len());
            found(&rest[..end]);
        }
    }
    out
}

/// The rest of a string literal opened by `quote`, read from `chars` up to
/// its closing quote (or the end), a backslash taking the character after
/// it as it is.
fn string_literal(chars: &mut impl Iterator<Item = (usize, char)>, quote: char) -> String {
    let mut literal = String::new();
    while let Some((_, d)) = chars.next() {
        match d {
            '\\' => {
                if let Some((_, e)) = chars.next() {
                    literal.push(e);
                }
            }
            d if d == quote => break,
            d => literal.push(d),
        }
    }
    literal
}

/// Conditions that read answers so that a question can hide itself: an
/// `applies_if` that reads the answer of a question it guards, or a cycle
/// of questions whose conditions read each other's answers. Each is an
/// error at the condition's line.
fn answer_loops(set: &Set) -> Vec<Finding> {
    let ids: BTreeSet<&str> = set.questions().map(|(_, q)| q.id.as_str()).collect();
    if ids.is_empty() || !conditions(set).any(|(_, c)| c.names.iter().any(|n| n == "answers")) {
        return Vec::new();
    }
    // Per question: the answers its conditions read, with the condition.
    let mut edges: BTreeMap<&str, Vec<(&str, &Playbook, &Condition)>> = BTreeMap::new();
    let mut findings: Vec<Finding> = Vec::new();
    for (p, q, c) in guards(set) {
        for read in answers_read(c, &ids) {
            if read == q.id {
                findings.push(Finding::error(
                    Code::Condition,
                    Location::at(&p.path, c.line, c.column),
                    format!(
                        "`applies_if: {}` reads the answer of `{}`, the question it guards: an answer could hide its own question",
                        c.shown(),
                        q.id
                    ),
                ));
            } else {
                edges.entry(q.id.as_str()).or_default().push((read, p, c));
            }
        }
    }
    for component in cycles(&edges) {
        let members: BTreeSet<&str> = component.iter().copied().collect();
        let names: Vec<String> = component.iter().map(|id| format!("`{id}`")).collect();
        for id in &component {
            for (read, p, c) in edges.get(id).into_iter().flatten() {
                if members.contains(read) {
                    findings.push(Finding::error(
                        Code::Condition,
                        Location::at(&p.path, c.line, c.column),
                        format!(
                            "`applies_if: {}` of `{id}` reads the answer of `{read}`, and the conditions of {} read each other's answers in a cycle: an answer could hide its own question",
                            c.shown(),
                            names.join(", ")
                        ),
                    ));
                }
            }
        }
    }
    findings.sort();
    findings.dedup();
    findings
}

/// Each question with each condition that guards it, its playbook's and
/// then its own, in playbook and question order.
fn guards(set: &Set) -> impl Iterator<Item = (&Playbook, &Question, &Condition)> {
    set.playbooks.iter().flat_map(|p| {
        p.questions.iter().flat_map(move |q| {
            [&p.applies_if, &q.applies_if]
                .into_iter()
                .flatten()
                .map(move |c| (p, q, c))
        })
    })
}

/// The strongly connected components of more than one question (Tarjan's
/// algorithm, without recursion so that a long chain cannot overflow the
/// stack), each sorted.
fn cycles<'a>(
    edges: &BTreeMap<&'a str, Vec<(&'a str, &Playbook, &Condition)>>,
) -> Vec<Vec<&'a str>> {
    let mut index: BTreeMap<&str, (usize, usize)> = BTreeMap::new(); // (index, lowlink)
    let mut on_stack: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    let mut next = 0usize;
    let succ = |v: &str| -> Vec<&'a str> {
        edges
            .get(v)
            .map(|e| e.iter().map(|(r, _, _)| *r).collect())
            .unwrap_or_default()
    };
    for &start in edges.keys() {
        if index.contains_key(start) {
            continue;
        }
        // (node, its successors, position in them)
        let mut work: Vec<(&str, Vec<&str>, usize)> = vec![(start, succ(start), 0)];
        index.insert(start, (next, next));
        next += 1;
        stack.push(start);
        on_stack.insert(start);
        while let Some(top) = work.last_mut() {
            let v = top.0;
            if let Some(&w) = top.1.get(top.2) {
                top.2 += 1;
                match index.get(w) {
                    None => {
                        index.insert(w, (next, next));
                        next += 1;
                        stack.push(w);
                        on_stack.insert(w);
                        work.push((w, succ(w), 0));
                    }
                    Some(&(wi, _)) if on_stack.contains(w) => {
                        let e = index.get_mut(v).expect("visited");
                        e.1 = e.1.min(wi);
                    }
                    Some(_) => {}
                }
                continue;
            }
            work.pop();
            let (vi, vl) = index[v];
            if let Some(parent) = work.last() {
                let p = index.get_mut(parent.0).expect("visited");
                p.1 = p.1.min(vl);
            }
            if vi == vl {
                let mut component = pop_component(&mut stack, &mut on_stack, v);
                if component.len() > 1 {
                    component.sort_unstable();
                    out.push(component);
                }
            }
        }
    }
    out
}

/// Pops the nodes of `root`'s component off Tarjan's `stack`, `root` last.
fn pop_component<'a>(
    stack: &mut Vec<&'a str>,
    on_stack: &mut BTreeSet<&'a str>,
    root: &str,
) -> Vec<&'a str> {
    let mut component = Vec::new();
    while let Some(w) = stack.pop() {
        on_stack.remove(w);
        component.push(w);
        if w == root {
            break;
        }
    }
    component
}

/// Reads `--fact key=value` against the declared facts: `true`/`false` for
/// a bool fact, one option for one-of, options separated by commas for many-of.
pub fn parse_assignment(
    text: &str,
    declared: &BTreeMap<&str, (&Playbook, &FactDecl)>,
) -> Result<(String, FactValue), String> {
    let Some((key, value)) = text.split_once('=') else {
        return Err(format!(
            "`--fact {text}`: write it as KEY=VALUE, e.g. `--fact chatbot=true`"
        ));
    };
    let (key, value) = (key.trim(), value.trim());
    let Some((_, decl)) = declared.get(key) else {
        let names: Vec<&str> = declared.keys().copied().collect();
        let hint = crate::suggest::closest(key, names.iter().copied())
            .map(|m| format!("; did you mean `{m}`?"))
            .unwrap_or_else(|| format!(" (declared: {})", names.join(", ")));
        return Err(format!(
            "`--fact {text}`: no loaded playbook declares a fact `{key}`{hint}"
        ));
    };
    use crate::playbook::facts::FactKind;
    let parsed = match decl.kind {
        FactKind::Bool => match value.to_ascii_lowercase().as_str() {
            "true" | "yes" => FactValue::Bool(true),
            "false" | "no" => FactValue::Bool(false),
            _ => FactValue::One(value.to_string()),
        },
        FactKind::OneOf | FactKind::Text => FactValue::One(value.to_string()),
        FactKind::ManyOf => FactValue::Many(
            value
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .collect(),
        ),
    };
    decl.check(&parsed)
        .map_err(|why| format!("`--fact {text}`: `{key}` {why}"))?;
    Ok((key.to_string(), parsed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{Answer, Status};
    use crate::playbook::parse::{FileInfo, Parsed, parse};

    fn set(text: &str) -> Set {
        let info = FileInfo {
            path: "p.md".into(),
            section: None,
            stem: "p".into(),
        };
        let Parsed::Playbook(p, findings) = parse(text.as_bytes().to_vec(), &info) else {
            panic!("not a playbook");
        };
        assert!(findings.is_empty(), "{findings:?}");
        Set {
            playbooks: vec![*p],
            ..Set::default()
        }
    }

    const TEXT: &str = "---\ntitle: P\nfacts:\n  - {name: chatbot, question: A bot?, type: bool}\n  - {name: channels, question: Which?, type: many-of, options: [email, phone]}\nchecklist:\n  - order: 1\n    question: a\n    expectation: b\n    version: 1.0.0\n    applies_if: chatbot\n  - order: 2\n    question: a\n    expectation: b\n    version: 1.0.0\n    applies_if: \"'phone' in channels\"\n  - order: 3\n    question: a\n    expectation: b\n    version: 1.0.0\n    applies_if: answers['p/q1'] == 'met'\n---\n";

    fn facts(pairs: &[(&str, FactValue)]) -> Facts {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn conditions_follow_facts_and_answers() {
        let set = set(TEXT);
        let p = &set.playbooks[0];
        let f = facts(&[
            ("chatbot", FactValue::Bool(false)),
            ("channels", FactValue::Many(vec!["email".into()])),
        ]);
        let mut answers = AnswersFile::default();
        let at =
            |i: usize, f: &Facts, a: &AnswersFile| Evaluator::new(f, a).applies(p, &p.questions[i]);
        assert_eq!(at(0, &f, &answers), Applies::No("no chatbot".into()));
        assert_eq!(
            at(1, &f, &answers),
            Applies::No("`'phone' in channels` is false (channels: email)".into())
        );
        assert!(matches!(at(2, &f, &answers), Applies::No(_)));
        answers.answers.insert(
            "p/q1".into(),
            Answer {
                status: Some(Status::Met),
                ..Answer::default()
            },
        );
        assert_eq!(at(2, &f, &answers), Applies::Yes);
        assert_eq!(
            at(0, &Facts::new(), &answers),
            Applies::NeedsFacts(vec!["chatbot".into()])
        );
        let names: Vec<String> = missing(&set, &Facts::new())
            .into_iter()
            .map(|d| d.name)
            .collect();
        assert_eq!(names, ["chatbot", "channels"]);
        let odd = facts(&[
            ("chatbot", FactValue::Bool(true)),
            ("channels", FactValue::Bool(true)),
        ]);
        assert!(matches!(at(1, &odd, &answers), Applies::Broken(_)));
    }

    #[test]
    fn an_unknown_fact_is_an_error_with_a_suggestion() {
        let set = set(&TEXT.replace("applies_if: chatbot", "applies_if: chatbots"));
        let findings = lint(&set, &Facts::new(), ("supportcheck.yaml", ""));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code, Code::UnknownFact);
        assert_eq!(findings[0].location.line, Some(11));
        assert!(
            findings[0].message.contains("did you mean `chatbot`?"),
            "{}",
            findings[0]
        );
        let bad = lint(
            &set,
            &facts(&[("channels", FactValue::Many(vec!["fax".into()]))]),
            ("c.yaml", "facts:\n  # which\n  channels: [fax]\n"),
        );
        assert!(
            bad.iter()
                .any(|f| f.code == Code::Fact && f.location.line == Some(3)),
            "{bad:?}"
        );
    }
}
