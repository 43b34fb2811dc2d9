//! JUnit XML: the gate's verdict, as a JUnit reader (GitLab, Jenkins) sees
//! it. A `gate` testsuite has one testcase per category in effect, failed
//! exactly when the verdict names it (so the file shows a failure exactly
//! when `check` exits 1); then one testsuite per playbook, one testcase per
//! question, failed when one of its findings is among the gate's reasons,
//! skipped when not applicable (by answer or by condition).

use crate::answers::Status;
use crate::diagnostic::Code;
use crate::gate;
use crate::report::{QuestionReport, Report};
use crate::score::State;
use quick_junit::{NonSuccessKind, Report as Junit, TestCase, TestCaseStatus, TestSuite};

pub fn render(r: &Report) -> String {
    let mut junit = Junit::new("supportcheck");
    junit.add_test_suite(gate_suite(r));
    for p in r.playbooks.iter() {
        let mut suite = TestSuite::new(p.id.as_str());
        for q in &p.questions {
            // The finding that makes this question one of the gate's
            // reasons, the most telling first.
            let failing = q
                .findings
                .iter()
                .filter(|f| gate::fails(&r.gate.failed, f))
                .min_by_key(|f| rank(f.code));
            let status = match failing {
                Some(f) => failed(
                    q,
                    gate::category_of(f).map_or("gate", |c| c.as_str()),
                    f.code,
                ),
                None if q.state == State::Skipped => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message(format!(
                        "{}: {}",
                        q.standing(),
                        q.skipped.as_deref().unwrap_or_default()
                    ));
                    s
                }
                None if q.state == State::Upcoming => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message(format!(
                        "{}: counts from {}",
                        q.standing(),
                        q.effective_from.map(|d| d.to_string()).unwrap_or_default()
                    ));
                    s
                }
                None if q.status == Some(Status::NotApplicable) => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message(q.standing());
                    s
                }
                None => TestCaseStatus::success(),
            };
            let mut case = TestCase::new(format!("{}: {}", q.id, q.question), status);
            case.set_classname(format!("{}:{}", p.path, q.line));
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    junit
        .to_string()
        .unwrap_or_else(|e| format!("<!-- junit serialisation failed: {e} -->\n"))
}

/// One testcase per category in effect: failed with the gate's reason when
/// the verdict names it. A category the verdict adds (a score that is not
/// a number fails `below-score`) is listed too.
fn gate_suite(r: &Report) -> TestSuite {
    let mut suite = TestSuite::new("gate");
    let mut categories = r.gate.fail_on.clone();
    for c in &r.gate.failed {
        if !categories.contains(c) {
            categories.push(*c);
        }
    }
    let reasons = super::check::reasons(r);
    for c in categories {
        let status = match r.gate.failed.iter().position(|f| *f == c) {
            Some(i) => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_type(c.as_str());
                s.set_message(reasons.get(i).cloned().unwrap_or_default());
                if c == gate::FailOn::Orphaned && !r.orphaned.is_empty() {
                    let ids: Vec<&str> = r.orphaned.iter().map(|o| o.id.as_str()).collect();
                    s.set_description(format!("orphaned: {}", ids.join(", ")));
                }
                s
            }
            None => TestCaseStatus::success(),
        };
        let mut case = TestCase::new(format!("gate: {c}"), status);
        case.set_classname("supportcheck.gate");
        suite.add_test_case(case);
    }
    suite
}

/// Which finding names a failing question best: a blocker first, then why
/// it has no answer, then the rest.
fn rank(code: Code) -> u8 {
    match code {
        Code::Blocker => 0,
        Code::Missing | Code::NaReason => 1,
        Code::Expired | Code::Stale => 2,
        Code::ExpiredWaiver => 3,
        Code::Unmet => 4,
        _ => 5,
    }
}

/// A failure that says each thing once: the test case's name carries the
/// id and question, its class name the playbook and line; the message is the
/// finding that fails it, the text the other findings and the expectation
/// (unless the message already gives it).
fn failed(q: &QuestionReport, ty: &str, code: Code) -> TestCaseStatus {
    let main = q.findings.iter().find(|f| f.code == code);
    let message = main.map_or_else(String::new, |f| without_id(q, &f.message));
    let mut detail: Vec<String> = q
        .findings
        .iter()
        .filter(|f| Some(*f) != main)
        .map(|f| without_id(q, &f.message))
        .collect();
    if !message.contains(&q.expectation) && !detail.iter().any(|d| d.contains(&q.expectation)) {
        detail.push(format!("expected: {}", q.expectation));
    }
    if let Some(owner) = &q.owner {
        detail.push(format!("owner: {owner}"));
    }
    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
    s.set_type(ty);
    s.set_message(message);
    if !detail.is_empty() {
        s.set_description(detail.join("\n"));
    }
    s
}

/// A finding's message without the `id: ` it starts with.
fn without_id(q: &QuestionReport, message: &str) -> String {
    message
        .strip_prefix(&format!("{}: ", q.id))
        .unwrap_or(message)
        .to_string()
}
