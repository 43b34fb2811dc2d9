//! Tests of the audit flow through a scripted prompter.

use super::flow::*;
use super::prompt::{Choice, PromptError, Prompter, QuestionView};
use crate::answers::{self, Answer, AnswersFile, Status};
use crate::playbook::parse::{FileInfo, Parsed, parse};
use crate::playbook::{Playbook, Set};
use chrono::{DateTime, FixedOffset};
use std::collections::VecDeque;

const ALPHA: &str = "---
title: Alpha
id: alpha
checklist:
  - order: 1
    question: First?
    expectation: One.
    version: 1.0.0
    tags: [chat]
  - order: 2
    question: Second?
    expectation: Two.
    version: 1.2.0
  - order: 3
    question: Which criteria?
    expectation: Three.
    version: 2.0.0
    criteria:
      - id: c1
        text: One holds
      - id: c2
        text: Two holds
      - id: c3
        text: Three holds
  - order: 4
    question: Evidence?
    expectation: Four.
    version: 1.0.0
    evidence: required
---
## How

Do the work.
";

const BETA: &str = "---
title: Beta
id: beta
checklist:
  - order: 1
    question: Beta one?
    expectation: B1.
    version: 1.0.0
    tags: [ops]
  - order: 2
    question: Beta two?
    expectation: B2.
    version: 1.0.0
    tags: [chat, ops]
---
";

fn playbook(text: &str, stem: &str) -> Playbook {
    let info = FileInfo {
        path: format!("test/{stem}.md"),
        section: None,
        stem: stem.into(),
    };
    match parse(text.as_bytes().to_vec(), &info) {
        Parsed::Playbook(p, findings) => {
            assert!(findings.is_empty(), "{findings:?}");
            *p
        }
        other => panic!("not a playbook: {other:?}"),
    }
}

/// alpha/q1..q4 (positions 1-4), beta/q1..q2 (positions 5-6).
fn set() -> Set {
    Set {
        playbooks: vec![playbook(ALPHA, "01-alpha"), playbook(BETA, "02-beta")],
        ..Set::default()
    }
}

fn answers_from(yaml: &str) -> AnswersFile {
    let (file, findings) = answers::parse(yaml, "answers.yaml");
    assert!(
        findings.iter().all(|f| !f.is_error()),
        "answers fixture has errors: {findings:?}"
    );
    file
}

/// One scripted response, in the order the flow is expected to ask.
#[derive(Debug, Clone)]
enum Say {
    Choose(Choice),
    Criteria(Vec<bool>),
    Note(Option<&'static str>),
    Evidence(Vec<&'static str>),
    /// The index picked from a list of choices.
    Pick(usize),
    /// A line typed.
    Line(&'static str),
    /// Accept the offer of a follow-up action: what, due date.
    Act(&'static str, &'static str),
    /// Ctrl-C at whatever prompt comes next.
    CtrlC,
}

use Say::*;

fn pick(s: Status) -> Say {
    Choose(Choice::Answer(s))
}

/// A question as the flow showed it.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    id: String,
    position: usize,
    total: usize,
    can_go_back: bool,
    current: Option<Status>,
}

/// A prompter that plays a script and records what it was asked. Asking
/// something the script does not expect (or leaving script unplayed) fails
/// the test.
#[derive(Debug, Default)]
struct Scripted {
    script: VecDeque<Say>,
    shown: Vec<Shown>,
    criteria_defaults: Vec<Vec<bool>>,
    /// (prompt, default, required)
    notes: Vec<(String, Option<String>, bool)>,
    /// (default, required)
    evidence: Vec<(Vec<String>, bool)>,
    guidance: Vec<String>,
    notices: Vec<String>,
    /// (prompt, value)
    echoes: Vec<(String, String)>,
    /// (prompt, items)
    picks: Vec<(String, Vec<String>)>,
    /// Questions after which an action was offered.
    offers: Vec<String>,
    log: Vec<String>,
}

impl Scripted {
    fn new(script: impl IntoIterator<Item = Say>) -> Scripted {
        let mut s = Scripted::default();
        s.script = script.into_iter().collect();
        s
    }

    fn next(&mut self, asked: &str) -> Result<Say, PromptError> {
        self.log.push(asked.to_string());
        match self.script.pop_front() {
            Some(CtrlC) => Err(PromptError::Interrupted),
            Some(say) => Ok(say),
            None => panic!(
                "the flow asked `{asked}` but the script is over; asked so far: {:#?}",
                self.log
            ),
        }
    }

    fn unexpected(&self, asked: &str, got: &Say) -> ! {
        panic!(
            "the flow asked `{asked}` but the script says {got:?}; asked so far: {:#?}",
            self.log
        )
    }
}

impl Drop for Scripted {
    fn drop(&mut self) {
        if !std::thread::panicking() && !self.script.is_empty() {
            panic!(
                "the flow stopped before the script ended; left: {:?}; asked: {:#?}",
                self.script, self.log
            );
        }
    }
}

impl Prompter for Scripted {
    /// Takes the offer only when the script's next line is an `Act`, so
    /// that scripts written before actions existed run unchanged.
    fn action(
        &mut self,
        view: &QuestionView<'_>,
        _default: Option<&crate::answers::Action>,
    ) -> Result<Option<crate::answers::Action>, PromptError> {
        self.offers.push(view.question.id.clone());
        match self.script.front() {
            Some(Act(what, due)) => {
                let (what, due) = (*what, *due);
                self.next(&format!("action {}", view.question.id))?;
                Ok(Some(crate::answers::Action {
                    what: what.to_string(),
                    who: None,
                    due: chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").ok(),
                    extra: Default::default(),
                }))
            }
            _ => Ok(None),
        }
    }

    fn choose(&mut self, view: &QuestionView<'_>) -> Result<Choice, PromptError> {
        self.shown.push(Shown {
            id: view.question.id.clone(),
            position: view.position,
            total: view.total,
            can_go_back: view.can_go_back,
            current: view.current.and_then(|a| a.status),
        });
        let asked = format!("choose {} [{}]", view.question.id, view.position);
        match self.next(&asked)? {
            Choose(c) => {
                assert!(
                    c != Choice::Back || view.can_go_back,
                    "the script goes back from the first question, where the menu has no Back"
                );
                Ok(c)
            }
            other => self.unexpected(&asked, &other),
        }
    }

    fn criteria(
        &mut self,
        view: &QuestionView<'_>,
        defaults: &[bool],
    ) -> Result<Vec<bool>, PromptError> {
        assert_eq!(defaults.len(), view.question.criteria.len());
        self.criteria_defaults.push(defaults.to_vec());
        let asked = format!("criteria {}", view.question.id);
        match self.next(&asked)? {
            Criteria(ticks) => {
                assert_eq!(ticks.len(), defaults.len(), "one tick per criterion");
                Ok(ticks)
            }
            other => self.unexpected(&asked, &other),
        }
    }

    fn note(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        required: bool,
    ) -> Result<Option<String>, PromptError> {
        self.notes
            .push((prompt.to_string(), default.map(str::to_string), required));
        let asked = format!("note (required: {required})");
        match self.next(&asked)? {
            Note(text) => {
                assert!(
                    !(required && text.is_none()),
                    "a required note cannot be left empty"
                );
                Ok(text.map(str::to_string))
            }
            other => self.unexpected(&asked, &other),
        }
    }

    fn evidence(&mut self, default: &[String], required: bool) -> Result<Vec<String>, PromptError> {
        self.evidence.push((default.to_vec(), required));
        let asked = format!("evidence (required: {required})");
        match self.next(&asked)? {
            Evidence(list) => Ok(list.into_iter().map(str::to_string).collect()),
            other => self.unexpected(&asked, &other),
        }
    }

    fn pick(&mut self, prompt: &str, items: &[&str]) -> Result<usize, PromptError> {
        self.picks.push((
            prompt.to_string(),
            items.iter().map(|i| i.to_string()).collect(),
        ));
        let asked = format!("pick {prompt}");
        match self.next(&asked)? {
            Pick(i) => {
                assert!(i < items.len(), "{items:?}");
                Ok(i)
            }
            other => self.unexpected(&asked, &other),
        }
    }

    fn line(&mut self, prompt: &str, _initial: &str) -> Result<String, PromptError> {
        let asked = format!("line {prompt}");
        match self.next(&asked)? {
            Line(text) => Ok(text.to_string()),
            other => self.unexpected(&asked, &other),
        }
    }

    fn echo(&mut self, prompt: &str, value: &str) {
        self.echoes.push((prompt.to_string(), value.to_string()));
    }

    fn show_guidance(&mut self, playbook: &Playbook) {
        self.log.push(format!("guidance {}", playbook.id));
        self.guidance.push(playbook.id.clone());
    }

    fn notice(&mut self, text: &str) {
        self.log.push(format!("notice {text}"));
        self.notices.push(text.to_string());
    }
}

/// Who answers nobody knows, the clock is [`fixed_now`], every evidence
/// path exists and no fact is set.
fn plain_meta() -> Meta<'static> {
    static NO_FACTS: crate::conditions::Facts = std::collections::BTreeMap::new();
    Meta {
        by: None,
        now: &fixed_now,
        exists: &|_| true,
        facts: &NO_FACTS,
    }
}

fn fixed_now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z").unwrap()
}

/// What one walk produced.
struct Walk {
    outcome: Outcome,
    saved: usize,
    answers: AnswersFile,
    /// The file as handed to `save`, one entry per call.
    saves: Vec<AnswersFile>,
    prompter: Scripted,
}

fn walk(start: AnswersFile, sel: &Selection, script: Vec<Say>) -> Walk {
    walk_with(start, sel, script, &|_| true)
}

/// [`walk`] in a project where only the evidence paths `exists` accepts exist.
fn walk_with(
    start: AnswersFile,
    sel: &Selection,
    script: Vec<Say>,
    exists: &dyn Fn(&str) -> bool,
) -> Walk {
    let set = set();
    let plan = Plan::new(&set, &start, sel);
    let mut answers = start;
    let mut prompter = Scripted::new(script);
    let mut saves = Vec::new();
    let mut save = |f: &mut AnswersFile, _: &str, _: &mut dyn Prompter| {
        saves.push(f.clone());
        Ok(())
    };
    let now = fixed_now;
    let meta = Meta {
        by: Some("Dana Lee".into()),
        now: &now,
        exists,
        facts: &Default::default(),
    };
    let (outcome, saved) =
        run(&set, &plan, &mut answers, &mut prompter, &mut save, &meta).expect("the walk runs");
    Walk {
        outcome,
        saved,
        answers,
        saves,
        prompter,
    }
}

fn only(ids: &[&str]) -> Selection {
    Selection {
        only: ids.iter().map(|s| s.to_string()).collect(),
        ..Selection::default()
    }
}

fn status_of(file: &AnswersFile, id: &str) -> Option<Status> {
    file.get(id).and_then(|a| a.status)
}

fn ids(plan: &Plan, set: &Set) -> Vec<String> {
    plan.steps
        .iter()
        .map(|s| set.playbooks[s.playbook].questions[s.question].id.clone())
        .collect()
}

// ---- answering ------------------------------------------------------------

#[test]
fn an_action_is_offered_after_partial_and_unmet_answers_only_and_saved_with_them() {
    let w = walk(
        AnswersFile::default(),
        &only(&["alpha/q1", "alpha/q2", "beta/q1"]),
        vec![
            pick(Status::Met),
            Note(None),
            Evidence(vec![]),
            pick(Status::Partial),
            Note(None),
            Evidence(vec![]),
            Act("Write the runbook", "2026-12-15"),
            pick(Status::Unmet),
            Note(None),
            Evidence(vec![]),
        ],
    );
    assert_eq!(w.prompter.offers, ["alpha/q2", "beta/q1"]);
    let action = w.answers.get("alpha/q2").unwrap().action.clone().unwrap();
    assert_eq!(action.what, "Write the runbook");
    assert_eq!(action.due.unwrap().to_string(), "2026-12-15");
    assert!(
        w.saves[1].get("alpha/q2").unwrap().action.is_some(),
        "saved with the answer"
    );
    assert_eq!(w.answers.get("beta/q1").unwrap().action, None, "declined");
}

#[test]
fn met_partial_and_unmet_are_recorded_with_note_and_evidence() {
    let w = walk(
        AnswersFile::default(),
        &only(&["alpha/q1", "alpha/q2", "beta/q1"]),
        vec![
            pick(Status::Met),
            Note(Some("CSAT 87%")),
            Evidence(vec!["docs/csat.md", "https://example.com/d/1"]),
            pick(Status::Partial),
            Note(None),
            Evidence(vec![]),
            pick(Status::Unmet),
            Note(Some("not yet")),
            Evidence(vec![]),
        ],
    );
    assert_eq!(w.outcome, Outcome::Completed);
    assert_eq!(w.saved, 3);
    let q1 = w.answers.get("alpha/q1").unwrap();
    assert_eq!(q1.status, Some(Status::Met));
    assert_eq!(q1.note.as_deref(), Some("CSAT 87%"));
    assert_eq!(q1.evidence, ["docs/csat.md", "https://example.com/d/1"]);
    assert_eq!(q1.criteria_met, None, "no criteria on this question");
    let q2 = w.answers.get("alpha/q2").unwrap();
    assert_eq!(q2.status, Some(Status::Partial));
    assert_eq!(q2.note, None);
    assert!(q2.evidence.is_empty());
    assert_eq!(status_of(&w.answers, "beta/q1"), Some(Status::Unmet));
    assert_eq!(w.answers.answers.len(), 3);
    // The optional note prompt is not required; evidence is optional here.
    assert!(w.prompter.notes.iter().all(|(_, _, required)| !required));
    assert!(w.prompter.evidence.iter().all(|(_, required)| !required));
    assert!(w.prompter.notices.is_empty());
}

#[test]
fn each_answer_is_saved_before_the_next_question_once_per_answer() {
    let w = walk(
        AnswersFile::default(),
        &only(&["alpha/q1", "alpha/q2", "beta/q1"]),
        vec![
            pick(Status::Met),
            Note(None),
            Evidence(vec![]),
            pick(Status::Unmet),
            Note(None),
            Evidence(vec![]),
            pick(Status::Partial),
            Note(None),
            Evidence(vec![]),
        ],
    );
    let sizes: Vec<usize> = w.saves.iter().map(|f| f.answers.len()).collect();
    assert_eq!(sizes, [1, 2, 3]);
    assert_eq!(status_of(&w.saves[0], "alpha/q1"), Some(Status::Met));
    assert_eq!(status_of(&w.saves[1], "alpha/q2"), Some(Status::Unmet));
    assert_eq!(w.saves.last().unwrap(), &w.answers);
}

#[test]
fn the_answer_records_version_author_and_time() {
    let w = walk(
        AnswersFile::default(),
        &only(&["alpha/q2", "alpha/q3"]),
        vec![
            pick(Status::Met),
            Note(None),
            Evidence(vec![]),
            pick(Status::Unmet),
            Criteria(vec![false, false, false]),
            Note(None),
            Evidence(vec![]),
        ],
    );
    let q2 = w.answers.get("alpha/q2").unwrap();
    assert_eq!(
        q2.question_version,
        Some(semver::Version::parse("1.2.0").unwrap())
    );
    assert_eq!(q2.answered_by.as_deref(), Some("Dana Lee"));
    assert_eq!(q2.answered_at, Some(fixed_now()));
    let q3 = w.answers.get("alpha/q3").unwrap();
    assert_eq!(
        q3.question_version,
        Some(semver::Version::parse("2.0.0").unwrap())
    );
}

#[test]
fn skip_leaves_the_question_unanswered_and_goes_on() {
    let w = walk(
        AnswersFile::default(),
        &only(&["alpha/q1", "alpha/q2"]),
        vec![
            Choose(Choice::Skip),
            pick(Status::Met),
            Note(None),
            Evidence(vec![]),
        ],
    );
    assert_eq!(w.outcome, Outcome::Completed);
    assert_eq!(w.saved, 1);
    assert!(w.answers.get("alpha/q1").is_none());
    assert_eq!(status_of(&w.answers, "alpha/q2"), Some(Status::Met));
    assert_eq!(w.saves.len(), 1, "a skip saves nothing");
}

#[test]
fn skipping_everything_completes_with_nothing_saved() {
    let w = walk(
        AnswersFile::default(),
        &only(&["beta"]),
        vec![Choose(Choice::Skip), Choose(Choice::Skip)],
    );
    assert_eq!(w.outcome, Outcome::Completed);
    assert_eq!(w.saved, 0);
    assert!(w.saves.is_empty());
    assert!(w.answers.answers.is_empty());
}

#[test]
fn back_re_asks_the_previous_question_and_the_new_answer_replaces_the_old() {
    let w = walk(
        AnswersFile::default(),
        &only(&["alpha/q1", "alpha/q2"]),
        vec![
            pick(Status::Met),
            Note(Some("first try")),
            Evidence(vec!["a.md"]),
            Choose(Choice::Back),
            // alpha/q1 again, showing the answer just given.
            pick(Status::Unmet),
            Note(Some("second thoughts")),
            Evidence(vec![]),
            pick(Status::Partial),
            Note(None),
            Evidence(vec![]),
        ],
    );
    assert_eq!(w.outcome, Outcome::Completed);
    let shown: Vec<(&str, usize, bool, Option<Status>)> = w
        .prompter
        .shown
        .iter()
        .map(|s| (s.id.as_str(), s.position, s.can_go_back, s.current))
        .collect();
    assert_eq!(
        shown,
        [
            ("alpha/q1", 1, false, None),
            ("alpha/q2", 2, true, None),
            ("alpha/q1", 1, false, Some(Status::Met)),
            ("alpha/q2", 2, true, None),
        ]
    );
    // The re-ask offers the earlier note and evidence as defaults.
    assert_eq!(w.prompter.notes[1].1.as_deref(), Some("first try"));
    assert_eq!(w.prompter.evidence[1].0, ["a.md"]);
    let q1 = w.answers.get("alpha/q1").unwrap();
    assert_eq!(q1.status, Some(Status::Unmet));
    assert_eq!(q1.note.as_deref(), Some("second thoughts"));
    assert!(q1.evidence.is_empty());
    assert_eq!(w.answers.answers.len(), 2);
    // Questions answered, not saves: q1 answered twice counts once.
    assert_eq!(w.saved, 2, "q1 and q2");
    assert_eq!(w.saves.len(), 3);
}

#[test]
fn back_after_a_skip_returns_to_the_skipped_question() {
    let w = walk(
        AnswersFile::default(),
        &only(&["alpha/q1", "alpha/q2"]),
        vec![
            Choose(Choice::Skip),
            Choose(Choice::Back),
            pick(Status::Met),
            Note(None),
            Evidence(vec![]),
            Choose(Choice::Skip),
        ],
    );
    let order: Vec<&str> = w.prompter.shown.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(order, ["alpha/q1", "alpha/q2", "alpha/q1", "alpha/q2"]);
    assert_eq!(status_of(&w.answers, "alpha/q1"), Some(Status::Met));
    assert!(w.answers.get("alpha/q2").is_none());
}

#[test]
fn guidance_is_shown_and_the_question_asked_again() {
    let w = walk(
        AnswersFile::default(),
        &only(&["alpha/q1"]),
        vec![
            Choose(Choice::Guidance),
            pick(Status::Met),
            Note(None),
            Evidence(vec![]),
        ],
    );
    assert_eq!(w.prompter.guidance, ["alpha"]);
    assert_eq!(w.prompter.shown.len(), 2);
    assert_eq!(w.prompter.shown[1].id, "alpha/q1");
    assert_eq!(w.saved, 1);
}

// ---- leaving --------------------------------------------------------------

#[test]
fn save_and_quit_stops_with_what_was_saved() {
    let w = walk(
        AnswersFile::default(),
        &Selection::default(),
        vec![
            pick(Status::Met),
            Note(None),
            Evidence(vec![]),
            pick(Status::Partial),
            Note(None),
            Evidence(vec![]),
            Choose(Choice::Quit),
        ],
    );
    assert_eq!(w.outcome, Outcome::Quit);
    assert_eq!(w.saved, 2);
    assert_eq!(w.saves.len(), 2, "saved once per answer, not again on quit");
    assert_eq!(w.saves[0].answers.len(), 1);
    assert_eq!(w.saves[1].answers.len(), 2);
    assert_eq!(w.saves[1], w.answers);
    assert_eq!(w.prompter.shown.len(), 3);
}

#[test]
fn ctrl_c_at_a_question_keeps_the_earlier_answers() {
    let w = walk(
        AnswersFile::default(),
        &Selection::default(),
        vec![
            pick(Status::Met),
            Note(None),
            Evidence(vec![]),
            pick(Status::Unmet),
            Note(None),
            Evidence(vec![]),
            CtrlC,
        ],
    );
    assert_eq!(w.outcome, Outcome::Interrupted);
    assert_eq!(w.saved, 2);
    assert_eq!(w.saves.len(), 2);
    assert_eq!(w.saves[1].answers.len(), 2);
    assert_eq!(status_of(&w.answers, "alpha/q1"), Some(Status::Met));
    assert_eq!(status_of(&w.answers, "alpha/q2"), Some(Status::Unmet));
}

#[test]
fn ctrl_c_while_typing_loses_only_the_answer_being_typed() {
    for script in [
        vec![pick(Status::Met), CtrlC],
        vec![pick(Status::Met), Note(Some("half-typed")), CtrlC],
    ] {
        let mut full = vec![pick(Status::Met), Note(None), Evidence(vec!["a.md"])];
        full.extend(script);
        let w = walk(AnswersFile::default(), &Selection::default(), full);
        assert_eq!(w.outcome, Outcome::Interrupted);
        assert_eq!(w.saved, 1);
        assert_eq!(w.saves.len(), 1);
        assert_eq!(w.answers.answers.len(), 1);
        assert!(w.answers.get("alpha/q2").is_none());
    }
}

#[test]
fn ctrl_c_in_the_criteria_list_saves_nothing_for_that_question() {
    let w = walk(
        AnswersFile::default(),
        &only(&["alpha/q3"]),
        vec![pick(Status::Partial), CtrlC],
    );
    assert_eq!(w.outcome, Outcome::Interrupted);
    assert_eq!(w.saved, 0);
    assert!(w.saves.is_empty());
}

#[test]
fn a_failing_save_stops_the_audit_with_the_error() {
    let set = set();
    let mut answers = AnswersFile::default();
    let plan = Plan::new(&set, &answers, &only(&["alpha/q1", "alpha/q2"]));
    let mut prompter = Scripted::new([pick(Status::Met), Note(None), Evidence(vec![])]);
    let mut save = |_: &mut AnswersFile, _: &str, _: &mut dyn Prompter| {
        Err(PromptError::Other(anyhow::anyhow!("disk full")))
    };
    let meta = plain_meta();
    let err = run(&set, &plan, &mut answers, &mut prompter, &mut save, &meta).unwrap_err();
    assert!(err.to_string().contains("disk full"), "{err}");
}

// ---- criteria -------------------------------------------------------------

fn criteria_walk(choice: Status, ticks: Vec<bool>, start: AnswersFile) -> Walk {
    let sel = Selection {
        only: vec!["alpha/q3".into()],
        all: true,
        ..Selection::default()
    };
    walk(
        start,
        &sel,
        vec![pick(choice), Criteria(ticks), Note(None), Evidence(vec![])],
    )
}

#[test]
fn ticked_criteria_decide_the_status() {
    let all = criteria_walk(Status::Met, vec![true, true, true], AnswersFile::default());
    let a = all.answers.get("alpha/q3").unwrap();
    assert_eq!(a.status, Some(Status::Met));
    assert_eq!(
        a.criteria_met.as_deref(),
        Some(&["c1", "c2", "c3"].map(String::from)[..])
    );

    let none = criteria_walk(
        Status::Met,
        vec![false, false, false],
        AnswersFile::default(),
    );
    let a = none.answers.get("alpha/q3").unwrap();
    assert_eq!(
        a.status,
        Some(Status::Unmet),
        "nothing ticked is unmet, whatever was picked"
    );
    assert_eq!(a.criteria_met, Some(vec![]));

    let some = criteria_walk(Status::Met, vec![true, false, true], AnswersFile::default());
    let a = some.answers.get("alpha/q3").unwrap();
    assert_eq!(a.status, Some(Status::Partial));
    assert_eq!(
        a.criteria_met,
        Some(vec!["c1".to_string(), "c3".to_string()])
    );

    let all_from_unmet = criteria_walk(
        Status::Unmet,
        vec![true, true, true],
        AnswersFile::default(),
    );
    assert_eq!(
        status_of(&all_from_unmet.answers, "alpha/q3"),
        Some(Status::Met)
    );
}

#[test]
fn criteria_defaults_follow_the_choice_and_the_current_answer() {
    let met = criteria_walk(Status::Met, vec![true, true, true], AnswersFile::default());
    assert_eq!(met.prompter.criteria_defaults, [vec![true, true, true]]);
    let unmet = criteria_walk(Status::Unmet, vec![false; 3], AnswersFile::default());
    assert_eq!(
        unmet.prompter.criteria_defaults,
        [vec![false, false, false]]
    );
    let fresh_partial = criteria_walk(
        Status::Partial,
        vec![true, false, false],
        AnswersFile::default(),
    );
    assert_eq!(
        fresh_partial.prompter.criteria_defaults,
        [vec![false, false, false]]
    );

    let existing = answers_from(
        "format: 1\nanswers:\n  alpha/q3:\n    status: partial\n    criteria_met: [c2]\n    question_version: 2.0.0\n",
    );
    let re = criteria_walk(Status::Partial, vec![false, true, true], existing);
    assert_eq!(re.prompter.criteria_defaults, [vec![false, true, false]]);
    assert_eq!(
        re.answers.get("alpha/q3").unwrap().criteria_met,
        Some(vec!["c2".to_string(), "c3".to_string()])
    );
}

// ---- not applicable -------------------------------------------------------

#[test]
fn not_applicable_requires_a_reason_and_asks_no_evidence() {
    let w = walk(
        AnswersFile::default(),
        &only(&["alpha/q4"]),
        vec![pick(Status::NotApplicable), Note(Some("no phone support"))],
    );
    assert_eq!(w.outcome, Outcome::Completed);
    let a = w.answers.get("alpha/q4").unwrap();
    assert_eq!(a.status, Some(Status::NotApplicable));
    assert_eq!(a.note.as_deref(), Some("no phone support"));
    assert!(a.evidence.is_empty());
    assert_eq!(w.prompter.notes.len(), 1);
    assert!(w.prompter.notes[0].2, "the reason is required");
    assert!(w.prompter.evidence.is_empty(), "no evidence asked");
    assert!(w.prompter.notices.is_empty());
}

#[test]
fn not_applicable_on_a_criteria_question_skips_the_criteria() {
    let w = walk(
        AnswersFile::default(),
        &only(&["alpha/q3"]),
        vec![pick(Status::NotApplicable), Note(Some("not for us"))],
    );
    let a = w.answers.get("alpha/q3").unwrap();
    assert_eq!(a.status, Some(Status::NotApplicable));
    assert_eq!(a.criteria_met, None);
    assert!(w.prompter.criteria_defaults.is_empty());
}

// ---- evidence -------------------------------------------------------------

#[test]
fn met_without_required_evidence_is_recorded_partial_with_a_notice() {
    let w = walk(
        AnswersFile::default(),
        &only(&["alpha/q4"]),
        vec![pick(Status::Met), Note(None), Evidence(vec![])],
    );
    assert_eq!(w.prompter.evidence, [(vec![], true)]);
    assert_eq!(status_of(&w.answers, "alpha/q4"), Some(Status::Partial));
    assert_eq!(w.prompter.notices.len(), 1);
    assert!(
        w.prompter.notices[0].contains("partial"),
        "{:?}",
        w.prompter.notices
    );
}

#[test]
fn met_with_required_evidence_stays_met() {
    let w = walk(
        AnswersFile::default(),
        &only(&["alpha/q4"]),
        vec![
            pick(Status::Met),
            Note(None),
            Evidence(vec!["docs/page.md"]),
        ],
    );
    let a = w.answers.get("alpha/q4").unwrap();
    assert_eq!(a.status, Some(Status::Met));
    assert_eq!(a.evidence, ["docs/page.md"]);
    assert!(w.prompter.notices.is_empty());
}

#[test]
fn evidence_is_only_required_for_met() {
    let w = walk(
        AnswersFile::default(),
        &only(&["alpha/q4"]),
        vec![pick(Status::Unmet), Note(None), Evidence(vec![])],
    );
    assert_eq!(w.prompter.evidence, [(vec![], false)]);
    assert_eq!(status_of(&w.answers, "alpha/q4"), Some(Status::Unmet));
    assert!(w.prompter.notices.is_empty());
}

// ---- resume and selection ---------------------------------------------------

const THREE_ANSWERED: &str = "format: 1
answers:
  alpha/q1:
    status: met
    question_version: 1.0.0
  alpha/q2:
    status: unmet
    question_version: 1.0.0
  alpha/q3:
    status: partial
    criteria_met: [c1]
    question_version: 2.0.0
";

#[test]
fn a_resumed_plan_skips_answered_questions_and_counts_the_whole_set() {
    let set = set();
    let answers = answers_from(THREE_ANSWERED);
    let plan = Plan::new(&set, &answers, &Selection::default());
    assert_eq!(plan.total, 6);
    assert_eq!(ids(&plan, &set), ["alpha/q4", "beta/q1", "beta/q2"]);
    let positions: Vec<usize> = plan.steps.iter().map(|s| s.position).collect();
    assert_eq!(positions, [4, 5, 6]);

    let w = walk(answers, &Selection::default(), vec![Choose(Choice::Quit)]);
    assert_eq!(
        w.prompter.shown[0],
        Shown {
            id: "alpha/q4".into(),
            position: 4,
            total: 6,
            can_go_back: false,
            current: None,
        }
    );
}

#[test]
fn a_fresh_plan_visits_every_question_in_set_order() {
    let set = set();
    let plan = Plan::new(&set, &AnswersFile::default(), &Selection::default());
    assert_eq!(
        ids(&plan, &set),
        [
            "alpha/q1", "alpha/q2", "alpha/q3", "alpha/q4", "beta/q1", "beta/q2"
        ]
    );
    let positions: Vec<usize> = plan.steps.iter().map(|s| s.position).collect();
    assert_eq!(positions, [1, 2, 3, 4, 5, 6]);
}

#[test]
fn entries_without_a_status_still_count_as_unanswered() {
    let set = set();
    let answers = answers_from(
        "format: 1\nanswers:\n  alpha/q1:\n    note: thinking about it\n  alpha/q2:\n    status: met\n",
    );
    let plan = Plan::new(&set, &answers, &Selection::default());
    assert_eq!(
        ids(&plan, &set),
        ["alpha/q1", "alpha/q3", "alpha/q4", "beta/q1", "beta/q2"]
    );
}

#[test]
fn all_revisits_answered_questions() {
    let set = set();
    let answers = answers_from(THREE_ANSWERED);
    let sel = Selection {
        all: true,
        ..Selection::default()
    };
    let plan = Plan::new(&set, &answers, &sel);
    assert_eq!(plan.steps.len(), 6);
    assert_eq!(plan.steps[0].position, 1);
}

#[test]
fn everything_answered_gives_an_empty_plan() {
    let set = set();
    let mut yaml = String::from("format: 1\nanswers:\n");
    for (_, q) in set.questions() {
        yaml.push_str(&format!(
            "  {}:\n    status: unmet\n    question_version: {}\n",
            q.id, q.version
        ));
    }
    let answers = answers_from(&yaml);
    assert!(
        Plan::new(&set, &answers, &Selection::default())
            .steps
            .is_empty()
    );
    let stale = Selection {
        stale: true,
        ..Selection::default()
    };
    assert!(Plan::new(&set, &answers, &stale).steps.is_empty());
}

#[test]
fn stale_visits_only_answers_of_an_older_major_version() {
    let set = set();
    // alpha/q2 is at 1.2.0: 1.0.0 differs in minor only (not stale);
    // alpha/q3 is at 2.0.0: 1.4.0 is a major behind (stale);
    // beta/q1 has no status (unanswered, not stale); beta/q2 has no version.
    let answers = answers_from(
        "format: 1
answers:
  alpha/q1:
    status: met
    question_version: 1.0.0
  alpha/q2:
    status: met
    question_version: 1.0.0
  alpha/q3:
    status: partial
    criteria_met: [c1]
    question_version: 1.4.0
  beta/q1:
    note: later
    question_version: 0.1.0
  beta/q2:
    status: unmet
",
    );
    let sel = Selection {
        stale: true,
        ..Selection::default()
    };
    let plan = Plan::new(&set, &answers, &sel);
    assert_eq!(ids(&plan, &set), ["alpha/q3"]);
    assert_eq!(plan.steps[0].position, 3);

    // Re-answering a stale question records the current version.
    let w = walk(
        answers,
        &sel,
        vec![
            pick(Status::Met),
            Criteria(vec![true, true, true]),
            Note(None),
            Evidence(vec![]),
        ],
    );
    assert_eq!(w.prompter.shown[0].current, Some(Status::Partial));
    assert_eq!(
        w.answers.get("alpha/q3").unwrap().question_version,
        Some(semver::Version::parse("2.0.0").unwrap())
    );
    let again = Plan::new(&set, &w.answers, &sel);
    assert!(again.steps.is_empty(), "no longer stale");
}

#[test]
fn only_takes_playbook_ids_and_full_question_ids() {
    let set = set();
    let none = AnswersFile::default();
    let beta = Plan::new(&set, &none, &only(&["beta"]));
    assert_eq!(ids(&beta, &set), ["beta/q1", "beta/q2"]);
    let positions: Vec<usize> = beta.steps.iter().map(|s| s.position).collect();
    assert_eq!(positions, [5, 6], "positions still count the whole set");
    assert_eq!(beta.total, 6);

    let one = Plan::new(&set, &none, &only(&["alpha/q2"]));
    assert_eq!(ids(&one, &set), ["alpha/q2"]);

    let mixed = Plan::new(&set, &none, &only(&["beta/q2", "alpha"]));
    assert_eq!(
        ids(&mixed, &set),
        ["alpha/q1", "alpha/q2", "alpha/q3", "alpha/q4", "beta/q2"],
        "set order, whatever the order of --only"
    );

    // A local id alone is not a full id.
    assert!(Plan::new(&set, &none, &only(&["q1"])).steps.is_empty());

    // --only still skips what is answered, unless --all.
    let answered = answers_from(THREE_ANSWERED);
    assert!(
        Plan::new(&set, &answered, &only(&["alpha/q1"]))
            .steps
            .is_empty()
    );
    let sel = Selection {
        all: true,
        ..only(&["alpha/q1"])
    };
    assert_eq!(ids(&Plan::new(&set, &answered, &sel), &set), ["alpha/q1"]);
}

#[test]
fn tag_selects_tagged_questions() {
    let set = set();
    let none = AnswersFile::default();
    let chat = Selection {
        tag: Some("chat".into()),
        ..Selection::default()
    };
    assert_eq!(
        ids(&Plan::new(&set, &none, &chat), &set),
        ["alpha/q1", "beta/q2"]
    );
    let ops_in_alpha = Selection {
        tag: Some("ops".into()),
        ..only(&["alpha"])
    };
    assert!(Plan::new(&set, &none, &ops_in_alpha).steps.is_empty());
    let missing = Selection {
        tag: Some("nope".into()),
        ..Selection::default()
    };
    assert!(Plan::new(&set, &none, &missing).steps.is_empty());
}

// ---- re-answering ---------------------------------------------------------

#[test]
fn a_re_answer_keeps_the_waiver_and_unknown_keys() {
    let start = answers_from(
        "format: 1
answers:
  alpha/q1:
    status: unmet
    note: old note
    evidence: [old.md]
    question_version: 1.0.0
    answered_by: Someone Else
    answered_at: 2026-01-01T09:00:00Z
    reviewer: Sam
    waiver:
      reason: Vendor contract signed
      expires: 2027-01-31
      approved_by: Head of Support
",
    );
    let old = start.get("alpha/q1").unwrap().clone();
    assert!(old.waiver.is_some() && old.extra.contains_key("reviewer"));
    let sel = Selection {
        all: true,
        ..only(&["alpha/q1"])
    };
    let w = walk(
        start,
        &sel,
        vec![
            pick(Status::Met),
            Note(Some("done now")),
            Evidence(vec!["new.md"]),
        ],
    );
    assert_eq!(w.prompter.shown[0].current, Some(Status::Unmet));
    assert_eq!(w.prompter.notes[0].1.as_deref(), Some("old note"));
    assert_eq!(w.prompter.evidence[0].0, ["old.md"]);
    let a: &Answer = w.answers.get("alpha/q1").unwrap();
    assert_eq!(a.status, Some(Status::Met));
    assert_eq!(a.note.as_deref(), Some("done now"));
    assert_eq!(a.evidence, ["new.md"]);
    assert_eq!(a.answered_by.as_deref(), Some("Dana Lee"));
    assert_eq!(a.answered_at, Some(fixed_now()));
    assert_eq!(a.waiver, old.waiver, "the waiver is kept");
    assert_eq!(a.extra, old.extra, "unknown keys are kept");

    // And they survive the write.
    let order: Vec<String> = set().questions().map(|(_, q)| q.id.clone()).collect();
    let text = answers::to_yaml(&w.answers, &order);
    let reread = answers_from(&text);
    assert_eq!(reread.get("alpha/q1").unwrap().waiver, old.waiver);
    assert_eq!(reread.get("alpha/q1").unwrap().extra, old.extra);
}

#[test]
fn answers_for_other_questions_are_left_alone() {
    let start = answers_from(
        "format: 1
product: Acme
answers:
  gone/q9:
    status: met
  beta/q1:
    status: partial
    note: keep me
",
    );
    let w = walk(
        start.clone(),
        &only(&["alpha/q1"]),
        vec![pick(Status::Met), Note(None), Evidence(vec![])],
    );
    assert_eq!(w.answers.get("gone/q9"), start.get("gone/q9"));
    assert_eq!(w.answers.get("beta/q1"), start.get("beta/q1"));
    assert_eq!(w.answers.product.as_deref(), Some("Acme"));
    assert_eq!(w.answers.answers.len(), 3);
}

#[test]
fn progress_names_the_position_playbook_and_question() {
    let set = set();
    let p = &set.playbooks[1];
    assert_eq!(progress(5, 6, p, &p.questions[0]), "[5/6] Beta › q1");
}

// ---- issue 13: what is typed is what is kept --------------------------------

#[test]
fn a_plain_audit_asks_what_check_counts_as_unanswered() {
    // Stale (alpha/q3 is at 2.0.0) and not-applicable without a reason both
    // count as unanswered in `check`, so a plain audit asks them.
    let answers = answers_from(
        "answers:\n  alpha/q1:\n    status: met\n  alpha/q2:\n    status: not-applicable\n  alpha/q3:\n    status: met\n    question_version: 1.0.0\n  alpha/q4:\n    status: not-applicable\n    note: no such thing\n",
    );
    let set = set();
    let plan = Plan::new(&set, &answers, &Selection::default());
    assert_eq!(
        ids(&plan, &set),
        ["alpha/q2", "alpha/q3", "beta/q1", "beta/q2"]
    );
}

#[test]
fn a_missing_evidence_path_is_named_and_can_be_fixed_or_kept() {
    let url = "https://wiki.test/page?ids=1,2";
    let exists = |p: &str| p == "docs/right.md";
    let w = walk_with(
        AnswersFile::default(),
        &only(&["alpha/q1", "alpha/q2"]),
        vec![
            pick(Status::Met),
            Note(None),
            Evidence(vec!["docs/wrong.md", url]),
            Pick(0), // fix it
            Line("docs/right.md"),
            pick(Status::Met),
            Note(None),
            Evidence(vec!["docs/later.md"]),
            Pick(1), // keep it
        ],
        &exists,
    );
    assert_eq!(
        w.answers.get("alpha/q1").unwrap().evidence,
        ["docs/right.md", url]
    );
    assert_eq!(
        w.answers.get("alpha/q2").unwrap().evidence,
        ["docs/later.md"]
    );
    let asked: Vec<&str> = w.prompter.picks.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        asked.len(),
        2,
        "a URL is never checked as a path: {asked:?}"
    );
    assert!(
        asked[0].contains("`docs/wrong.md` is not a file inside the project"),
        "{asked:?}"
    );
}

#[test]
fn the_echo_of_a_criteria_answer_is_the_status_recorded() {
    let w = walk(
        AnswersFile::default(),
        &only(&["alpha/q3", "alpha/q1"]),
        vec![
            pick(Status::Unmet),
            Note(None),
            Evidence(vec![]),
            pick(Status::Met),
            Criteria(vec![true, false, true]),
            Note(None),
            Evidence(vec![]),
        ],
    );
    assert_eq!(status_of(&w.answers, "alpha/q3"), Some(Status::Partial));
    assert_eq!(
        w.prompter.echoes,
        [
            ("Answer".to_string(), "unmet".to_string()),
            (
                "Answer".to_string(),
                "partial (2 of 3 criteria)".to_string()
            ),
        ]
    );
}

#[test]
fn a_question_answered_in_the_file_meanwhile_is_not_asked_again() {
    let set = set();
    let mut answers = AnswersFile::default();
    let plan = Plan::new(&set, &answers, &only(&["alpha/q1", "alpha/q2", "beta/q1"]));
    // The first save takes in a teammate's answer to alpha/q2, as a merge
    // with the file on disk would.
    let mut save = |f: &mut AnswersFile, id: &str, _: &mut dyn Prompter| {
        if id == "alpha/q1" {
            f.answers.insert(
                "alpha/q2".into(),
                Answer {
                    status: Some(Status::Met),
                    note: Some("by hand".into()),
                    ..Answer::default()
                },
            );
        }
        Ok(())
    };
    let mut prompter = Scripted::new([
        pick(Status::Met),
        Note(None),
        Evidence(vec![]),
        // alpha/q2 is skipped: beta/q1 comes next; Back passes over it too.
        Choose(Choice::Back),
        Choose(Choice::Skip),
        pick(Status::Unmet),
        Note(None),
        Evidence(vec![]),
    ]);
    let meta = plain_meta();
    let (outcome, saved) = run(&set, &plan, &mut answers, &mut prompter, &mut save, &meta).unwrap();
    assert_eq!(outcome, Outcome::Completed);
    assert_eq!(saved, 2);
    let asked: Vec<&str> = prompter.shown.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(asked, ["alpha/q1", "beta/q1", "alpha/q1", "beta/q1"]);
    assert_eq!(
        answers.get("alpha/q2").and_then(|a| a.note.as_deref()),
        Some("by hand")
    );
}

const GATED: &str = "---
title: Gamma
id: gamma
checklist:
  - order: 1
    question: Is there a bot?
    expectation: Yes.
    version: 1.0.0
  - order: 2
    question: Does the bot hand over?
    expectation: Always.
    version: 1.0.0
    applies_if: answers['gamma/q1'] == 'met'
  - order: 3
    question: Last?
    expectation: Yes.
    version: 1.0.0
---
";

#[test]
fn a_question_gated_on_an_answer_follows_it_going_forward_and_back() {
    let set = Set {
        playbooks: vec![playbook(GATED, "gamma")],
        ..Set::default()
    };
    let start = AnswersFile::default();
    let plan = Plan::new(&set, &start, &Selection::default());
    assert_eq!(plan.steps.len(), 3, "the plan keeps gated questions");
    let mut answers = start;
    // Each answer without a note or evidence.
    let plain = |s: Status| [pick(s), Note(None), Evidence(vec![])];
    let mut prompter = Scripted::new(
        plain(Status::Unmet)
            .into_iter()
            // gamma/q2 does not apply: gamma/q3 is next, and Back skips q2 too.
            .chain([Choose(Choice::Back)])
            .chain(plain(Status::Met))
            // Now gamma/q2 applies.
            .chain(plain(Status::Met))
            .chain(plain(Status::Partial)),
    );
    let mut save = |_: &mut AnswersFile, _: &str, _: &mut dyn Prompter| Ok(());
    let meta = plain_meta();
    let (outcome, saved) = run(&set, &plan, &mut answers, &mut prompter, &mut save, &meta).unwrap();
    // gamma/q1 was answered twice; it counts once.
    assert_eq!((outcome, saved), (Outcome::Completed, 3));
    let shown: Vec<(&str, bool)> = prompter
        .shown
        .iter()
        .map(|s| (s.id.as_str(), s.can_go_back))
        .collect();
    assert_eq!(
        shown,
        [
            ("gamma/q1", false),
            ("gamma/q3", true),
            ("gamma/q1", false),
            ("gamma/q2", true),
            ("gamma/q3", true),
        ]
    );
}

#[test]
fn re_confirming_an_answer_keeps_its_note_and_evidence_with_a_new_time() {
    let start = answers_from(
        "format: 1
answers:
  beta/q1:
    status: met
    note: Checked by hand
    evidence: [a.md]
    answered_at: 2026-01-05T10:00:00Z
",
    );
    let mut sel = only(&["beta/q1"]);
    sel.stale = true;
    sel.renew.insert("beta/q1".to_string());
    // Enter at each prompt: the defaults are the old answer, note and evidence.
    let w = walk(
        start,
        &sel,
        vec![
            pick(Status::Met),
            Note(Some("Checked by hand")),
            Evidence(vec!["a.md"]),
        ],
    );
    assert_eq!(w.prompter.notes[0].1.as_deref(), Some("Checked by hand"));
    assert_eq!(w.prompter.evidence[0].0, ["a.md"]);
    let a = w.answers.get("beta/q1").unwrap();
    assert_eq!(a.note.as_deref(), Some("Checked by hand"));
    assert_eq!(a.evidence, ["a.md"]);
    assert_eq!(a.answered_at, Some(fixed_now()));
}
