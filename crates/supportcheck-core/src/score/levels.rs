//! Maturity levels (issue 27): which levels a set declares, which level each
//! question counts toward, the target level, and the achieved level of a
//! playbook or of everything. Computed once here, during scoring; every
//! output reads the result from the report.
//!
//! * Levels are ordered, lowest first (`[beta, launch, scale]`). A question
//!   counts toward its own `level:`, else its playbook's, else the highest.
//! * A question passes when it is met, or set aside as the gate allows:
//!   waived, not applicable (with its reason), skipped by condition, or
//!   upcoming (before its `effective_from`).
//! * The achieved level is the highest level L such that every question of
//!   L and of every level below it passes; none when a question of the
//!   lowest level does not.

use crate::conditions::Facts;
use crate::config::FactValue;
use crate::diagnostic::{Code, Finding, Location};
use crate::gate::Gate;
use crate::playbook::Set;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Question ids kept for "what is missing for the next level"; the count
/// says how many there are in all.
pub const MISSING_SHOWN: usize = 10;

/// Questions of one level, and how many of them do not pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LevelTally {
    pub level: String,
    /// Questions counted toward this level (not upcoming, not skipped).
    pub questions: usize,
    /// Of those, how many do not pass yet.
    pub open: usize,
}

/// Where a group (a playbook, or everything) stands on the levels.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Standing {
    /// Index into the levels of the first level with an open question;
    /// `levels.len()` when every level is reached.
    first_open: usize,
    /// Open questions of that level, at most [`MISSING_SHOWN`].
    missing: Vec<String>,
    missing_count: usize,
    tally: Vec<(usize, usize)>,
}

impl Standing {
    pub fn new(levels: usize) -> Standing {
        Standing {
            first_open: levels,
            missing: Vec::new(),
            missing_count: 0,
            tally: vec![(0, 0); levels],
        }
    }

    /// Adds a question of level `rank` (0-based) that counts; `passes` says
    /// whether it is met or set aside.
    pub fn add(&mut self, rank: usize, passes: bool, id: &str) {
        let Some(t) = self.tally.get_mut(rank) else {
            return;
        };
        t.0 += 1;
        if passes {
            return;
        }
        t.1 += 1;
        if rank < self.first_open {
            self.first_open = rank;
            self.missing.clear();
            self.missing_count = 0;
        }
        if rank == self.first_open {
            self.missing_count += 1;
            if self.missing.len() < MISSING_SHOWN {
                self.missing.push(id.to_string());
            }
        }
    }

    /// The standing in words: achieved, next and what is missing.
    pub fn outcome(&self, levels: &[String], target: Option<&str>) -> Outcome {
        if levels.is_empty() {
            return Outcome::default();
        }
        let achieved = self
            .first_open
            .checked_sub(1)
            .and_then(|i| levels.get(i).cloned());
        let next = levels.get(self.first_open).cloned();
        let below = target.is_some_and(|t| rank(levels, Some(t)) > self.first_open);
        Outcome {
            achieved_level: achieved,
            target_level: target.map(str::to_string),
            next_level: next,
            missing_for_next: self.missing.clone(),
            missing_for_next_count: self.missing_count,
            below_target: below,
            levels: levels
                .iter()
                .zip(&self.tally)
                .map(|(l, &(questions, open))| LevelTally {
                    level: l.clone(),
                    questions,
                    open,
                })
                .collect(),
        }
    }
}

/// A level's rank: 1 for the lowest, 0 for none (or a name not declared).
pub fn rank(levels: &[String], level: Option<&str>) -> usize {
    level
        .and_then(|l| levels.iter().position(|x| x == l))
        .map_or(0, |i| i + 1)
}

/// The levels part of a summary or a playbook's row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    pub achieved_level: Option<String>,
    pub target_level: Option<String>,
    pub next_level: Option<String>,
    pub missing_for_next: Vec<String>,
    pub missing_for_next_count: usize,
    pub below_target: bool,
    pub levels: Vec<LevelTally>,
}

/// The target level: `gate.level`, else the level the `gate.level_from`
/// fact names (through `gate.level_map`). `None` when neither gives one.
pub fn target(gate: &Gate, facts: &Facts) -> Option<String> {
    if let Some(level) = &gate.level {
        return Some(level.clone());
    }
    let fact = gate.level_from.as_ref()?;
    let value = match facts.get(fact)? {
        FactValue::One(v) => v.clone(),
        FactValue::Bool(b) => b.to_string(),
        FactValue::Many(_) => return None,
    };
    Some(gate.level_map.get(&value).cloned().unwrap_or(value))
}

/// Settles the set's levels: `levels:` from the config wins over the set's
/// index page. Fills in every question's level (its own, its playbook's,
/// else the highest) and returns findings for names that are not declared,
/// in the playbooks and in the gate. `config` is (shown path, text).
pub fn settle(
    set: &mut Set,
    config_levels: Option<&[String]>,
    gate: &Gate,
    facts: &Facts,
    config: (&str, &str),
) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(levels) = config_levels {
        let value = serde_json::Value::from(levels.to_vec());
        match crate::playbook::parse::level_list(&value) {
            Ok(list) => set.levels = list,
            Err(message) => {
                findings.push(Finding::error(
                    Code::Level,
                    config_location(config, "levels"),
                    message,
                ));
                return findings;
            }
        }
    }
    let declared = set.levels.clone();
    let known = |name: &str| declared.iter().any(|l| l == name);
    let list = declared.join(", ");
    let mut undeclared = |path: &str, line: u64, name: &str, what: &str| {
        let message = if declared.is_empty() {
            format!(
                "{what} has `level: {name}`, but no levels are declared; declare them with `levels: [...]` in supportcheck.yaml or the set's root index page"
            )
        } else {
            format!(
                "{what} has `level: {name}`, which is not a declared level ({list}){}",
                crate::suggest::closest(name, declared.iter().map(String::as_str))
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default()
            )
        };
        findings.push(Finding::error(
            Code::Level,
            Location::at(path, line, 0),
            message,
        ));
    };
    for p in &mut set.playbooks {
        if let Some(level) = &p.level
            && !known(level)
        {
            undeclared(&p.path, 1, level, &format!("playbook `{}`", p.id));
        }
        for q in &mut p.questions {
            if let Some(level) = &q.level
                && !known(level)
            {
                undeclared(&p.path, q.line, level, &q.id);
            }
            if q.level.is_none() {
                q.level = p.level.clone().or_else(|| declared.last().cloned());
            }
            if declared.is_empty() {
                q.level = None;
            }
        }
    }
    if gate.targets_level()
        && let Some(finding) = unknown_target(gate, facts, &declared, config)
    {
        findings.push(finding);
    }
    findings
}

/// Where `key` is set in the config (its shown path and text): its line, or
/// the whole file.
fn config_location(config: (&str, &str), key: &str) -> Location {
    let (config_path, config_text) = config;
    let line = config_text
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.starts_with(':'))
        })
        .map(|i| i as u64 + 1);
    match line {
        Some(line) => Location::at(config_path, line, 0),
        None => Location::file(config_path),
    }
}

/// The error when the gate's target level is not a declared level.
fn unknown_target(
    gate: &Gate,
    facts: &Facts,
    declared: &[String],
    config: (&str, &str),
) -> Option<Finding> {
    let known = |name: &str| declared.iter().any(|l| l == name);
    let list = declared.join(", ");
    let configured = gate.level.is_some();
    match target(gate, facts) {
        Some(t) if !known(&t) => {
            let (key, how) = if configured {
                ("level", "gate.level".to_string())
            } else {
                (
                    "level_from",
                    format!(
                        "gate.level_from: the fact `{}` gives `{t}`, which",
                        gate.level_from.as_deref().unwrap_or_default()
                    ),
                )
            };
            let what = if configured {
                format!("{how}: `{t}` is not")
            } else {
                format!("{how} is not")
            };
            Some(Finding::error(
                Code::Level,
                config_location(config, key),
                if declared.is_empty() {
                    format!(
                        "{what} a level: the playbooks declare no levels (`levels: [...]` in supportcheck.yaml or the set's root index page)"
                    )
                } else {
                    format!("{what} one of the levels ({list}); map it with gate.level_map")
                },
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels() -> Vec<String> {
        ["beta", "launch", "scale"].map(String::from).to_vec()
    }

    #[test]
    fn the_achieved_level_is_the_highest_with_every_level_below_it_passing() {
        let l = levels();
        let mut s = Standing::new(3);
        s.add(0, true, "a/q1");
        s.add(1, false, "a/q2");
        s.add(2, false, "a/q3");
        let o = s.outcome(&l, Some("launch"));
        assert_eq!(o.achieved_level.as_deref(), Some("beta"));
        assert_eq!(o.next_level.as_deref(), Some("launch"));
        assert_eq!(o.missing_for_next, ["a/q2"]);
        assert!(o.below_target);
        // An open beta question takes the playbook below beta.
        s.add(0, false, "a/q4");
        let o = s.outcome(&l, Some("beta"));
        assert_eq!(o.achieved_level, None);
        assert_eq!(o.missing_for_next, ["a/q4"]);
        assert!(o.below_target);
        let mut all = Standing::new(3);
        all.add(2, true, "x");
        let o = all.outcome(&l, Some("scale"));
        assert_eq!(o.achieved_level.as_deref(), Some("scale"));
        assert_eq!(o.next_level, None);
        assert!(!o.below_target);
    }

    #[test]
    fn a_fact_names_the_target_through_the_map() {
        let mut gate = Gate {
            level_from: Some("stage".into()),
            ..Gate::default()
        };
        gate.level_map.insert("ga".into(), "scale".into());
        let mut facts = Facts::new();
        assert_eq!(target(&gate, &facts), None);
        facts.insert("stage".into(), FactValue::One("ga".into()));
        assert_eq!(target(&gate, &facts).as_deref(), Some("scale"));
        facts.insert("stage".into(), FactValue::One("beta".into()));
        assert_eq!(target(&gate, &facts).as_deref(), Some("beta"));
        gate.level = Some("launch".into());
        assert_eq!(target(&gate, &facts).as_deref(), Some("launch"));
    }
}
