//! The portfolio model: reading the index and the report head, filters,
//! order and gate.

use super::*;

fn line(version: u64, score: f64, level: &str) -> String {
    format!(
        r#"{{"version":{version},"generated_at":"2026-11-{:02}T10:00:00Z","schema":"supportcheck.report/1","scoring":1,"product":"Acme","level":"{level}","score":{score},"min_score":80.0,"passed":{},"questions":75,"answered":45,"missing":30,"blockers":1,"expired_waivers":2,"playbooks":[{{"id":"support-channels","title":"Support channels","score":83.3}}],"files":{{"readiness-v{version}.json":"aa","readiness-v{version}.html":"bb"}},"previous":null}}"#,
        version + 1,
        level == "ready"
    )
}

#[test]
fn the_index_gives_the_latest_version_and_the_history() {
    let text = format!(
        "{}\n{}\n",
        line(1, 40.0, "not-ready"),
        line(2, 47.5, "blocked")
    );
    let r = from_index(&text).unwrap();
    assert_eq!(r.latest.version, 2);
    assert_eq!(r.latest.level, "blocked");
    assert_eq!(r.latest.score, Some(47.5));
    assert_eq!(r.latest.expired_waivers, 2);
    assert_eq!(r.product.as_deref(), Some("Acme"));
    assert_eq!(r.history.len(), 2);
    assert_eq!(r.history[0].score, Some(40.0));
    assert_eq!(r.html.as_deref(), Some("readiness-v2.html"));
    assert_eq!(r.playbooks[0].id, "support-channels");
}

#[test]
fn a_bad_index_line_is_named() {
    let text = format!("{}\n{{\"version\": \n", line(1, 40.0, "ready"));
    let err = from_index(&text).unwrap_err();
    assert!(err.starts_with("line 2: "), "{err}");
    assert!(from_index("\n\n").is_err());
}

#[test]
fn the_report_head_skips_the_questions_and_reads_the_trend() {
    let json = r#"{"content_sha256":"00","schema":"supportcheck.report/2","scoring":4,"report_version":3,
      "generated_at":"2026-11-20T10:00:00Z","product":"Beta",
      "summary":{"score":61.5,"level":"not-ready","questions":3,"answered":2,"missing":1,"blockers":0,"expired_waivers":0,"min_score":80.0,"brand_new":true},
      "gate":{"passed":false},
      "playbooks":[{"id":"a","title":"A","score":50.0,"questions":[{"id":"a/q1","deep":[[[[1]]]]}]}],
      "trend":[{"report_version":1,"generated_at":"2026-11-01T10:00:00Z","score":20.0,"level":"blocked"},
               {"report_version":2,"generated_at":"2026-11-10T10:00:00Z","score":55.0,"level":"not-ready"}]}"#;
    let r = from_report_json(json.as_bytes(), 9).unwrap();
    assert_eq!(r.latest.version, 3, "the report's own number wins");
    assert_eq!(r.latest.schema, "supportcheck.report/2");
    assert_eq!(r.latest.scoring, Some(4));
    assert_eq!(r.latest.passed, Some(false));
    assert_eq!(
        r.history.iter().map(|p| p.score).collect::<Vec<_>>(),
        [Some(20.0), Some(55.0), Some(61.5)]
    );
    let mut p = Product::empty(String::new(), "b".into(), "b/r".into(), None);
    apply(&mut p, r, Source::Report, None);
    assert_eq!(p.change, Some(6.5));
    assert_eq!(p.name, "Beta");
    let notes = p.notes();
    assert!(
        notes.contains(&"schema supportcheck.report/2".to_string()),
        "{notes:?}"
    );
    assert!(notes.contains(&"scoring rules v4".to_string()), "{notes:?}");
}

#[test]
fn a_report_that_is_not_json_is_an_error_not_a_panic() {
    assert!(from_report_json(b"\xff\xfe{", 1).is_err());
    assert!(from_report_json(b"{\"schema\": 5}", 1).is_err());
    assert!(from_report_json(b"[]", 1).is_err());
}

#[test]
fn signoffs_count_the_signed_ones() {
    let v: serde_json::Value = serde_json::from_str(
        r#"[{"role":"legal","status":"signed"},{"role":"support-lead","status":"outdated"}]"#,
    )
    .unwrap();
    assert_eq!(
        signoffs(&v),
        Some(Signoffs {
            signed: 1,
            total: 2
        })
    );
    assert_eq!(signoffs(&serde_json::json!("x")), None);
}

#[test]
fn fail_if_parses_and_matches() {
    assert_eq!("blocked".parse::<FailIf>(), Ok(FailIf::Blocked));
    assert_eq!("stale:30d".parse::<FailIf>(), Ok(FailIf::Stale(age("30d"))));
    assert!("stale".parse::<FailIf>().is_err());
    let ready = product("a", Some((90.0, "ready")), 3);
    let none = product("b", None, 0);
    assert!(!FailIf::NotReady.matches(&ready));
    assert!(FailIf::NotReady.matches(&none));
    assert!(FailIf::Stale(age("2d")).matches(&ready));
    assert!(!FailIf::Stale(age("5d")).matches(&ready));
    assert!(FailIf::Stale(age("5d")).matches(&none));
}

fn product(path: &str, latest: Option<(f64, &str)>, age_days: i64) -> Product {
    let mut p = Product::empty(path.into(), path.into(), path.into(), None);
    if let Some((score, level)) = latest {
        let r = from_index(&line(1, score, level)).unwrap();
        apply(&mut p, r, Source::Index, None);
        p.age = Some(TimeDelta::days(age_days));
        p.age_days = Some(age_days);
    }
    p
}

#[test]
fn sorting_puts_unread_products_last_in_every_order() {
    let mut ps = vec![
        product("c", None, 0),
        product("b", Some((70.0, "not-ready")), 1),
        product("a", Some((90.0, "ready")), 9),
    ];
    sort(&mut ps, Order::Score);
    assert_eq!(
        ps.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
        ["b", "a", "c"]
    );
    sort(&mut ps, Order::Age);
    assert_eq!(
        ps.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
    sort(&mut ps, Order::Path);
    assert_eq!(
        ps.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
}

#[test]
fn filters_by_state_and_age() {
    let ps = [
        product("a", Some((90.0, "ready")), 40),
        product("b", Some((30.0, "blocked")), 2),
        product("c", None, 0),
    ];
    let f = Filter {
        states: vec![State::Blocked, State::NoReports],
        older_than: None,
    };
    assert_eq!(ps.iter().filter(|p| f.keeps(p)).count(), 2);
    let f = Filter {
        states: vec![],
        older_than: Some(age("30d")),
    };
    let kept: Vec<_> = ps.iter().filter(|p| f.keeps(p)).map(|p| &p.path).collect();
    assert_eq!(kept, ["a", "c"]);
    let c = counts(&ps);
    assert_eq!((c.ready, c.blocked, c.no_reports), (1, 1, 1));
    assert_eq!(
        c.line(),
        "3 products: 1 ready, 0 not ready, 1 blocked, 1 without reports"
    );
}

#[test]
fn relative_paths_climb_out_of_the_output_folder() {
    assert_eq!(
        relative_path(Path::new("/w/p/a/r/v1.html"), Path::new("/w/out")),
        PathBuf::from("../p/a/r/v1.html")
    );
    assert_eq!(
        relative_path(Path::new("/w/./a/../b/v1.html"), Path::new("/w")),
        PathBuf::from("b/v1.html")
    );
}

#[test]
fn the_dashboard_links_the_best_output_a_version_has() {
    use super::best_output;
    let pick = |files: &[&str]| best_output(3, files.iter().copied());
    assert_eq!(
        pick(&["readiness-v3.json", "readiness-v3.html", "readiness-v3.pdf"]).as_deref(),
        Some("readiness-v3.html")
    );
    assert_eq!(
        pick(&[
            "readiness-v3.json",
            "readiness-v3-brand.html",
            "readiness-v3.md"
        ])
        .as_deref(),
        Some("readiness-v3-brand.html")
    );
    assert_eq!(
        pick(&["readiness-v3.json", "readiness-v3-client.md"]).as_deref(),
        Some("readiness-v3-client.md")
    );
    assert_eq!(
        pick(&["readiness-v3.json"]).as_deref(),
        Some("readiness-v3.json")
    );
    assert_eq!(pick(&["readiness-v31.html", "readiness-v2.html"]), None);
}

fn age(s: &str) -> crate::duration::Duration {
    crate::duration::Duration::parse(s).unwrap()
}

#[test]
fn a_stale_condition_takes_the_one_duration_syntax() {
    assert_eq!("stale:6m".parse::<FailIf>(), Ok(FailIf::Stale(age("6m"))));
    let e = "stale:30".parse::<FailIf>().unwrap_err();
    assert!(e.contains("`stale:30`") && e.contains("has no unit"), "{e}");
    assert_eq!(
        FailIf::Stale(age("12h")).describe(),
        "no report in the last 12 hours"
    );
}
