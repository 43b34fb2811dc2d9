//! JUnit XML: one testsuite per playbook, one testcase per question; missing,
//! stale, blocked and unmet questions fail, not-applicable ones (by answer
//! or by condition) are skipped.

use crate::answers::Status;
use crate::diagnostic::Code;
use crate::report::Report;
use crate::score::State;
use quick_junit::{NonSuccessKind, Report as Junit, TestCase, TestCaseStatus, TestSuite};

pub fn render(r: &Report) -> String {
    let mut junit = Junit::new("supportcheck");
    for p in &r.playbooks {
        let mut suite = TestSuite::new(p.id.as_str());
        for q in &p.questions {
            let failure = if q.blocker {
                Some(("blocker", "critical question not met"))
            } else if q.state == State::Missing {
                Some(("missing", "not answered"))
            } else if q.state == State::Stale && q.findings.iter().any(|f| f.code == Code::Expired)
            {
                Some(("stale", "the answer is older than its max_age"))
            } else if q.state == State::Stale {
                Some(("stale", "answered for an older version of the question"))
            } else if q.status == Some(Status::Unmet) {
                Some(("unmet", "unmet"))
            } else {
                None
            };
            let mut status = match failure {
                Some((ty, message)) => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    s.set_type(ty);
                    s.set_message(format!("{}: {message}", q.id));
                    let detail: Vec<String> = q
                        .findings
                        .iter()
                        .map(|f| f.to_string())
                        .chain(std::iter::once(format!("expected: {}", q.expectation)))
                        .collect();
                    s.set_description(detail.join("\n"));
                    s
                }
                None if q.state == State::Skipped => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message(format!(
                        "skipped: {}",
                        q.skipped.as_deref().unwrap_or_default()
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
                status.set_message(f.message.clone());
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
