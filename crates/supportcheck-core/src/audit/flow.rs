//! The audit as a plain loop over a plan of questions: what to ask, in which
//! order, and what answer to record. All I/O goes through the [`Prompter`]
//! and the `save` callback, so tests drive it with a script.

use super::prompt::{Choice, PromptError, Prompter, QuestionView};
use crate::answers::{Answer, AnswersFile, Open, Status, is_url};
use crate::conditions::{self, Applies};
use crate::playbook::{Playbook, Question, Set};
use chrono::{DateTime, FixedOffset};
use std::collections::BTreeSet;

/// Which questions an audit visits.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Playbook ids or full question ids; empty means all.
    pub only: Vec<String>,
    pub tag: Option<String>,
    /// Revisit answered questions too.
    pub all: bool,
    /// Only questions whose answer is stale (another MAJOR version), or
    /// listed in `renew`.
    pub stale: bool,
    /// Questions whose answers are past, or close to, their `max_age`:
    /// re-asked by `--stale` with the old answer as the default.
    pub renew: BTreeSet<String>,
    /// Only questions owned by one of these roles; empty means all.
    pub owners: Vec<String>,
}

/// One question to ask, with its place in the whole set.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    pub playbook: usize,
    pub question: usize,
    /// 1-based position among all questions of the set.
    pub position: usize,
}

/// The questions to ask, in set order.
#[derive(Debug, Clone)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// Number of questions in the whole set.
    pub total: usize,
    /// Answered questions are asked too (`--all`).
    pub revisit: bool,
    /// Answered questions asked again because of their age (`--stale`).
    pub renew: BTreeSet<String>,
}

impl Plan {
    pub fn new(set: &Set, answers: &AnswersFile, sel: &Selection) -> Plan {
        let mut steps = Vec::new();
        let mut position = 0;
        for (pi, p) in set.playbooks.iter().enumerate() {
            for (qi, q) in p.questions.iter().enumerate() {
                position += 1;
                let wanted =
                    sel.only.is_empty() || sel.only.iter().any(|o| o == &p.id || o == &q.id);
                let tagged = sel.tag.as_ref().is_none_or(|t| q.tags.contains(t))
                    && (sel.owners.is_empty()
                        || q.owner.as_ref().is_some_and(|o| sel.owners.contains(o)));
                let open = crate::answers::open(answers.get(&q.id), &q.version);
                let due = if sel.stale {
                    open == Some(Open::Stale) || sel.renew.contains(&q.id)
                } else {
                    // The rule `check` counts unanswered questions by.
                    sel.all || open.is_some()
                };
                if wanted && tagged && due {
                    steps.push(Step {
                        playbook: pi,
                        question: qi,
                        position,
                    });
                }
            }
        }
        Plan {
            steps,
            total: position,
            revisit: sel.all,
            renew: sel.renew.clone(),
        }
    }
}

/// How an audit ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every planned question was visited.
    Completed,
    /// The team chose "save and quit".
    Quit,
    /// Ctrl-C.
    Interrupted,
}

/// Who is answering, what time it is, which evidence paths exist, and the
/// facts conditions read.
pub struct Meta<'a> {
    pub by: Option<String>,
    pub now: &'a dyn Fn() -> DateTime<FixedOffset>,
    /// Whether an evidence path (relative to the project root) exists.
    pub exists: &'a dyn Fn(&str) -> bool,
    pub facts: &'a crate::conditions::Facts,
}

/// Saves the answers after `id` was answered. It may change `answers` (say,
/// to take in what was edited on disk meanwhile) and may ask the person.
pub type Save<'a> =
    dyn FnMut(&mut AnswersFile, &str, &mut dyn Prompter) -> Result<(), PromptError> + 'a;

/// Walks the plan. Each confirmed answer is put in `answers` and handed to
/// `save` before the next question is asked. Returns how the walk ended and
/// how many questions were answered (a question answered twice counts once).
pub fn run(
    set: &Set,
    plan: &Plan,
    answers: &mut AnswersFile,
    prompter: &mut dyn Prompter,
    save: &mut Save<'_>,
    meta: &Meta<'_>,
) -> anyhow::Result<(Outcome, usize)> {
    let mut answered = BTreeSet::new();
    let mut i = 0;
    let mut backwards = false;
    while i < plan.steps.len() {
        let step = plan.steps[i];
        let playbook = &set.playbooks[step.playbook];
        let question = &playbook.questions[step.question];
        // Answered in the file since the walk began (a save took in a
        // teammate's edit): not asked again, unless revisiting everything.
        let settled = !plan.revisit
            && !answered.contains(&question.id)
            && !plan.renew.contains(&question.id)
            && crate::answers::open(answers.get(&question.id), &question.version).is_none();
        // Conditions are read again before every question, so a question
        // gated on an earlier answer follows that answer in the same session.
        // Going back passes over questions that do not apply, as forward does.
        let now_applies = conditions::Evaluator::new(meta.facts, answers);
        let skipped = matches!(now_applies.applies(playbook, question), Applies::No(_));
        if settled || skipped {
            if backwards && i > 0 {
                i -= 1;
            } else {
                backwards = false;
                i += 1;
            }
            continue;
        }
        backwards = false;
        let current = answers.get(&question.id).cloned();
        let view = QuestionView {
            position: step.position,
            total: plan.total,
            playbook,
            question,
            current: current.as_ref(),
            can_go_back: plan.steps[..i].iter().any(|s| {
                let p = &set.playbooks[s.playbook];
                !matches!(
                    now_applies.applies(p, &p.questions[s.question]),
                    Applies::No(_)
                )
            }),
        };
        let outcome = ask(prompter, &view, meta).and_then(|step| {
            if let Step2::Answer(answer) = &step {
                let mut answer = (**answer).clone();
                if let Some(old) = &current {
                    // A re-answer keeps what the audit does not ask about.
                    answer.waiver = old.waiver.clone();
                    answer.extra = old.extra.clone();
                    answer.line = old.line;
                }
                answers.answers.insert(question.id.clone(), answer);
                save(answers, &question.id, prompter)?;
            }
            Ok(step)
        });
        match outcome {
            Ok(Step2::Answer(_)) => {
                answered.insert(question.id.clone());
                i += 1;
            }
            Ok(Step2::Skip) => i += 1,
            Ok(Step2::Back) => {
                backwards = true;
                i = i.saturating_sub(1);
            }
            Ok(Step2::Quit) => return Ok((Outcome::Quit, answered.len())),
            Err(PromptError::Interrupted) => return Ok((Outcome::Interrupted, answered.len())),
            Err(PromptError::Other(e)) => return Err(e),
        }
    }
    Ok((Outcome::Completed, answered.len()))
}

enum Step2 {
    Answer(Box<Answer>),
    Skip,
    Back,
    Quit,
}

/// Asks one question until it is answered, skipped, left or quit.
fn ask(
    p: &mut dyn Prompter,
    view: &QuestionView<'_>,
    meta: &Meta<'_>,
) -> Result<Step2, PromptError> {
    let q = view.question;
    loop {
        let status = match p.choose(view)? {
            Choice::Skip => return Ok(Step2::Skip),
            Choice::Back => return Ok(Step2::Back),
            Choice::Quit => return Ok(Step2::Quit),
            Choice::Guidance => {
                p.show_guidance(view.playbook);
                continue;
            }
            Choice::Answer(status) => status,
        };
        let mut answer = Answer {
            status: Some(status),
            question_version: Some(q.version.clone()),
            answered_by: meta.by.clone(),
            answered_at: Some((meta.now)()),
            ..Answer::default()
        };
        let current = view.current;
        if status != Status::NotApplicable && !q.criteria.is_empty() {
            let defaults = criteria_defaults(q, status, current);
            let ticked = p.criteria(view, &defaults)?;
            let met: Vec<String> = q
                .criteria
                .iter()
                .zip(&ticked)
                .filter(|(_, t)| **t)
                .map(|(c, _)| c.id.clone())
                .collect();
            answer.status = Some(Status::from_criteria(met.len(), q.criteria.len()));
            answer.criteria_met = Some(met);
        }
        // What is recorded, after the criteria: not what was picked.
        let recorded = answer.status.unwrap_or(status);
        p.echo(
            "Answer",
            &match &answer.criteria_met {
                Some(met) => format!(
                    "{recorded} ({} of {} criteria)",
                    met.len(),
                    q.criteria.len()
                ),
                None => recorded.to_string(),
            },
        );
        let old_note = current.and_then(|a| a.note.as_deref());
        answer.note = if status == Status::NotApplicable {
            Some(
                p.note("Why does this not apply? (required)", old_note, true)?
                    .unwrap_or_default(),
            )
        } else {
            p.note("Note (optional; !e opens $EDITOR)", old_note, false)?
        };
        if answer.status != Some(Status::NotApplicable) {
            let required = q.evidence_required && answer.status == Some(Status::Met);
            let old = current.map(|a| a.evidence.as_slice()).unwrap_or_default();
            let given = p.evidence(old, required)?;
            answer.evidence = check_paths(p, given, meta)?;
            if required && answer.evidence.is_empty() {
                answer.status = Some(Status::Partial);
                p.notice("No evidence given: recorded as partial (this question needs evidence to count as met).");
            }
        }
        if matches!(answer.status, Some(Status::Partial | Status::Unmet)) {
            answer.action = p
                .action(view, current.and_then(|a| a.action.as_deref()))?
                .map(Box::new);
        }
        return Ok(Step2::Answer(Box::new(answer)));
    }
}

/// Each evidence path that does not exist is named where it is typed; the
/// person fixes it or keeps it (it then scores as missing evidence).
fn check_paths(
    p: &mut dyn Prompter,
    given: Vec<String>,
    meta: &Meta<'_>,
) -> Result<Vec<String>, PromptError> {
    let mut out = Vec::new();
    for mut entry in given {
        while !is_url(&entry) && !(meta.exists)(&entry) {
            let asked = format!(
                "`{entry}` is not a file inside the project (paths are relative to the project root)"
            );
            let fix = p.pick(
                &asked,
                &[
                    "Fix the path",
                    "Keep it (a met answer then counts as partial)",
                ],
            )?;
            if fix != 0 {
                break;
            }
            entry = p.line("Evidence", &entry)?.trim().to_string();
        }
        if !entry.is_empty() {
            out.push(entry);
        }
    }
    Ok(out)
}

/// Criteria ticked by default: all for met, none for unmet, the current
/// answer's for partial (or when re-answering).
fn criteria_defaults(q: &Question, status: Status, current: Option<&Answer>) -> Vec<bool> {
    let existing = current.and_then(|a| a.criteria_met.as_ref());
    q.criteria
        .iter()
        .map(|c| match status {
            Status::Met => true,
            Status::Unmet => false,
            _ => existing.is_some_and(|m| m.contains(&c.id)),
        })
        .collect()
}

/// The playbook title and question id as shown in progress lines.
pub fn progress(position: usize, total: usize, playbook: &Playbook, question: &Question) -> String {
    format!(
        "[{position}/{total}] {} › {}",
        playbook.title, question.local_id
    )
}
