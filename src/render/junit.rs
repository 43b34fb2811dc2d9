//! JUnit XML: one testsuite per playbook, one testcase per question; missing,
//! stale, blocked and unmet questions fail, not-applicable ones (by answer
//! or by condition) are skipped.

use crate::answers::Status;
use crate::diagnostic::Code;
use crate::report::{QuestionReport, Report};
use crate::score::State;
use quick_junit::{NonSuccessKind, Report as Junit, TestCase, TestCaseStatus, TestSuite};

pub fn render(r: &Report) -> String {
    let mut junit = Junit::new("supportcheck");
    for p in r.playbooks.iter() {
        let mut suite = TestSuite::new(p.id.as_str());
        for q in &p.questions {
            let failure = if q.blocker {
                Some(("blocker", Code::Blocker, "critical question not met"))
            } else if q.state == State::Missing {
                Some(("missing", Code::Missing, "not answered"))
            } else if q.state == State::Stale && q.findings.iter().any(|f| f.code == Code::Expired)
            {
                Some((
                    "stale",
                    Code::Expired,
                    "the answer is older than its max_age",
                ))
            } else if q.state == State::Stale {
                Some((
                    "stale",
                    Code::Stale,
                    "answered for an older version of the question",
                ))
            } else if q.status == Some(Status::Unmet) {
                Some(("unmet", Code::Unmet, "unmet"))
            } else {
                None
            };
            let mut status = match failure {
                Some((ty, code, fallback)) => failed(q, ty, code, fallback),
                None if q.state == State::Skipped => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message(format!(
                        "skipped: {}",
                        q.skipped.as_deref().unwrap_or_default()
                    ));
                    s
                }
                None if q.state == State::Upcoming => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message(format!(
                        "upcoming: counts from {}",
                        q.effective_from.map(|d| d.to_string()).unwrap_or_default()
                    ));
                    s
                }
                None if q.status == Some(Status::NotApplicable) => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message("not applicable");
                    s
                }
                None => TestCaseStatus::success(),
            };
            if failure.is_none()
                && let Some(f) = q.findings.iter().find(|f| f.code == Code::ExpiredWaiver)
            {
                status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_type("expired-waiver");
                status.set_message(without_id(q, &f.message));
            }
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

/// A failure that says each thing once: the test case's name carries the
/// id and question, its class name the playbook and line; the message is the
/// finding that fails it, the text the other findings and the expectation
/// (unless the message already gives it).
fn failed(q: &QuestionReport, ty: &str, code: Code, fallback: &str) -> TestCaseStatus {
    let main = q
        .findings
        .iter()
        .find(|f| f.code == code || (code == Code::Missing && f.code == Code::NaReason));
    let message = main.map_or_else(|| fallback.to_string(), |f| without_id(q, &f.message));
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
