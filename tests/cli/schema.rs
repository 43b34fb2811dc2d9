//! `schema`: the JSON Schemas print, and every shipped file validates against them.

use crate::support::{Test, repo};
use serde_json::Value;
use std::path::Path;

fn schema_of(kind: &str) -> Value {
    let out = Test::new().args(["schema", kind]).status(0);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{kind}: {e}\n{}", out.stdout))
}

fn validator(kind: &str) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema_of(kind))
        .unwrap_or_else(|e| panic!("the {kind} schema does not compile: {e}"))
}

/// The validation errors of `instance`, one per line (empty when valid).
fn errors(v: &jsonschema::Validator, instance: &Value) -> String {
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// YAML read as the tool reads it: YAML 1.2 booleans, comments skipped.
fn yaml(text: &str) -> Value {
    let mut options = serde_saphyr::Options::default();
    options.emit_comments = false;
    options.strict_booleans = true;
    serde_saphyr::from_str_with_options::<Value>(text, options)
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The YAML between a Markdown file's `---` fences, split the way the tool
/// splits it.
fn frontmatter(text: &str) -> Option<&str> {
    use supportcheck::playbook::frontmatter::{split, strip_bom};
    split(strip_bom(text)).ok().map(|s| s.yaml)
}

fn check_file(v: &jsonschema::Validator, path: &Path, instance: &Value) {
    let errs = errors(v, instance);
    assert!(
        errs.is_empty(),
        "{} does not validate:\n{errs}",
        path.display()
    );
}

#[test]
fn schema_prints_json_for_every_kind() {
    let kinds = ["playbook", "answers", "config", "report", "signoffs"];
    for kind in kinds.into_iter().chain(OUTPUTS) {
        let schema = schema_of(kind);
        assert!(schema.is_object(), "{kind}");
        assert!(schema.get("$id").is_none(), "{kind} has an $id");
        let text = schema.to_string();
        assert!(
            !text.contains("\"$ref\":\"http"),
            "{kind} refers to the network"
        );
        jsonschema::validator_for(&schema).unwrap();
    }
}

#[test]
fn every_builtin_playbook_validates() {
    let v = validator("playbook");
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(repo().join("checklists")).sort_by_file_name() {
        let entry = entry.unwrap();
        // Section index pages (`index.md`) name a section; they hold no checklist.
        if entry.path().extension().is_none_or(|e| e != "md") || entry.file_name() == "index.md" {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let front = frontmatter(&text)
            .unwrap_or_else(|| panic!("{} has no frontmatter", entry.path().display()));
        check_file(&v, entry.path(), &yaml(front));
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} playbooks found");
}

#[test]
fn the_example_project_validates() {
    let acme = repo().join("examples/acme");
    for (kind, rel) in [
        ("answers", "readiness/answers.yaml"),
        ("config", "supportcheck.yaml"),
    ] {
        let path = acme.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        check_file(&validator(kind), &path, &yaml(&text));
    }
}

#[test]
fn wrong_files_fail_validation() {
    let answers = yaml(
        "format: 1\nanswers:\n  a/q1:\n    status: 7\n  a/q2:\n    status: maybe\n    waiver:\n      expires: tomorrow\n",
    );
    let errs = errors(&validator("answers"), &answers);
    assert!(errs.contains("/answers/a~1q1/status"), "{errs}");
    assert!(errs.contains("/answers/a~1q2/status"), "{errs}");
    assert!(errs.contains("/answers/a~1q2/waiver"), "{errs}");

    let playbook = yaml(
        "title: T\nchecklist:\n  - order: 0\n    question: Q?\n    expectation: E.\n    version: one\n    weight: 0\n    evidence: sometimes\n",
    );
    let errs = errors(&validator("playbook"), &playbook);
    for field in ["order", "version", "weight", "evidence"] {
        assert!(
            errs.contains(&format!("/checklist/0/{field}")),
            "{field}: {errs}"
        );
    }

    let config = validator("config");
    for bad in [
        "gate:\n  min_scroe: 80\n",
        "gate:\n  fail_on: [nope]\n",
        "gate:\n  min_score: 101\n",
    ] {
        let errs = errors(&config, &yaml(bad));
        assert!(errs.contains("/gate"), "{bad}: {errs}");
    }
    let errs = errors(&config, &yaml("checklist: [builtin]\n"));
    assert!(errs.contains("checklist"), "{errs}");
}

#[test]
fn a_json_report_validates() {
    let playbook = "---\ntitle: Help desk\nid: help-desk\nchecklist:\n  - order: 1\n    question: Is every request tracked?\n    expectation: Every request gets a ticket.\n    version: 1.0.0\n    critical: true\n    criteria: [one, {id: two, text: Two}]\n    tags: [desk]\n  - order: 2\n    question: Are tickets prioritised?\n    expectation: Priorities are defined.\n    version: 1.0.0\n---\n";
    let t = Test::new()
        .file("pb/sub/help-desk.md", playbook)
        .file("supportcheck.yaml", "product: Acme\nchecklists: [pb]\n")
        .file(
            "readiness/answers.yaml",
            "format: 1\nanswers:\n  help-desk/q1:\n    status: partial\n    criteria_met: [two]\n    waiver: {reason: later, expires: 2027-01-31}\n  gone/q9:\n    status: met\n",
        );
    t.exec(["report", "--format", "json"], 0);
    t.exec(["report", "--format", "json", "--force"], 0);
    let v = validator("report");
    for n in [1, 2] {
        let rel = format!("readiness/reports/readiness-v{n}.json");
        let report: Value = serde_json::from_str(&t.read(&rel)).unwrap();
        check_file(&v, Path::new(&rel), &report);
    }
    let mut broken: Value =
        serde_json::from_str(&t.read("readiness/reports/readiness-v2.json")).unwrap();
    broken["schema"] = "supportcheck.report/9".into();
    assert!(!errors(&v, &broken).is_empty());
}

#[test]
fn init_writes_schemas_and_hints_that_survive_a_save() {
    let t = Test::new().args(["init", "--product", "Acme Helpdesk"]);
    t.status(0);
    let config = t.read("supportcheck.yaml");
    assert!(
        config.starts_with("# yaml-language-server: $schema=supportcheck.schema.json\n"),
        "{config}"
    );
    let answers = t.read("readiness/answers.yaml");
    assert!(
        answers.starts_with("# yaml-language-server: $schema=answers.schema.json\n"),
        "{answers}"
    );
    let config_schema: Value = serde_json::from_str(&t.read("supportcheck.schema.json")).unwrap();
    let answers_schema: Value =
        serde_json::from_str(&t.read("readiness/answers.schema.json")).unwrap();
    assert_eq!(config_schema, schema_of("config"));
    assert_eq!(answers_schema, schema_of("answers"));
    check_file(
        &validator("config"),
        Path::new("supportcheck.yaml"),
        &yaml(&config),
    );
    check_file(
        &validator("answers"),
        Path::new("answers.yaml"),
        &yaml(&answers),
    );

    // A save (what `audit` does) keeps the hint.
    let (file, findings) = supportcheck::answers::parse(&answers, "readiness/answers.yaml");
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(file.schema_hint.as_deref(), Some("answers.schema.json"));
    let mut file = file;
    file.answers.insert(
        "support-channels/q1".into(),
        supportcheck::answers::Answer {
            status: Some(supportcheck::answers::Status::Met),
            ..Default::default()
        },
    );
    let saved = supportcheck::answers::to_yaml(&file, &[]);
    assert!(
        saved.starts_with("# yaml-language-server: $schema=answers.schema.json\n"),
        "{saved}"
    );
    let (again, _) = supportcheck::answers::parse(&saved, "readiness/answers.yaml");
    assert_eq!(again.schema_hint, file.schema_hint);
    assert_eq!(
        again.answers["support-channels/q1"].status,
        file.answers["support-channels/q1"].status
    );
    check_file(&validator("answers"), Path::new("saved"), &yaml(&saved));
}

#[test]
fn a_file_without_the_hint_is_saved_without_it() {
    let text = "format: 1\nanswers:\n  a/q1:\n    status: met\n";
    let (file, _) = supportcheck::answers::parse(text, "answers.yaml");
    assert_eq!(file.schema_hint, None);
    assert!(!supportcheck::answers::to_yaml(&file, &[]).contains("yaml-language-server"));
}

/// `schema` with every object closed: a key the schema does not name is an
/// error, so a field the report writes but the schema lacks cannot pass.
fn closed(mut schema: Value) -> Value {
    fn close(v: &mut Value) {
        match v {
            Value::Object(map) => {
                if map.contains_key("properties") {
                    map.insert("additionalProperties".into(), Value::Bool(false));
                }
                map.values_mut().for_each(close);
            }
            Value::Array(items) => items.iter_mut().for_each(close),
            _ => {}
        }
    }
    close(&mut schema);
    schema
}

#[test]
fn every_key_a_report_writes_is_in_the_report_schema() {
    let playbook = "---\ntitle: Desk\nid: desk\nchecklist:\n  - order: 1\n    question: Tracked?\n    expectation: Tickets.\n    version: 2.0.0\n    critical: true\n    criteria: [one, {id: two, text: Two}]\n    tags: [desk]\n  - {order: 2, question: Old?, expectation: Yes., version: 2.0.0}\n  - {order: 3, question: Gone?, expectation: No., version: 1.0.0}\n---\n";
    let answers = "format: 1\nanswers:\n  desk/q1:\n    status: partial\n    note: half done\n    evidence: [docs/x.md, https://example.com/y]\n    criteria_met: [two]\n    question_version: 2.0.0\n    answered_by: Ann\n    answered_at: 2026-11-20T10:03:00Z\n    custom: kept\n    waiver: {reason: later, expires: 2020-01-31, approved_by: Bo, ticket: 7}\n  desk/q2:\n    status: met\n    question_version: 1.0.0\n  desk/q3:\n    status: not-applicable\n  gone/q9:\n    status: met\n";
    let t = Test::new()
        .file("pb/sub/desk.md", playbook)
        .file("supportcheck.yaml", "product: Acme\nchecklists: [pb]\n")
        .file("readiness/answers.yaml", answers);
    t.exec(["report", "--format", "json"], 0);
    t.exec(["report", "--format", "json", "--force"], 0);
    let strict = jsonschema::validator_for(&closed(schema_of("report"))).unwrap();
    let report: Value =
        serde_json::from_str(&t.read("readiness/reports/readiness-v2.json")).unwrap();
    check_file(&strict, Path::new("readiness-v2.json"), &report);
    for pointer in [
        "",
        "/summary",
        "/playbooks/0/questions/0",
        "/orphaned/0/finding",
    ] {
        let mut extra = report.clone();
        extra
            .pointer_mut(pointer)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("no object at {pointer:?}"))
            .insert("not_in_the_schema".into(), 1.into());
        assert!(
            !errors(&strict, &extra).is_empty(),
            "a new key at {pointer:?} went unnoticed"
        );
    }
}

#[test]
fn the_report_schema_is_the_one_documented() {
    let printed = Test::new().args(["schema", "report"]).status(0).stdout;
    let documented = std::fs::read_to_string(repo().join("docs/report.schema.json")).unwrap();
    assert!(
        printed == documented,
        "the report's fields changed: update docs/report.schema.json (`supportcheck schema report > docs/report.schema.json`) and docs/report-schema.md"
    );
}

/// The JSON a command prints, read as a value.
fn json_of(out: &crate::support::Output) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", out.stdout))
}

/// Where the schema of a command's JSON is checked in.
fn checked_in(kind: &str) -> std::path::PathBuf {
    match kind {
        "report" => repo().join("docs/report.schema.json"),
        _ => repo().join(format!("docs/schemas/{kind}.schema.json")),
    }
}

/// The commands whose JSON output has a schema, and the id each carries.
const OUTPUTS: [&str; 8] = [
    "check",
    "status",
    "owners",
    "lint",
    "list",
    "history",
    "diff",
    "portfolio",
];

#[test]
fn every_output_schema_is_the_one_checked_in() {
    for kind in OUTPUTS {
        let printed = Test::new().args(["schema", kind]).status(0).stdout;
        let path = checked_in(kind);
        let documented = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            printed == documented,
            "the {kind} JSON changed: update {} (`supportcheck schema {kind} > {}`)",
            path.display(),
            path.display()
        );
    }
}

/// examples/acme with two report versions and a signed-off answers file.
fn acme_with_history() -> Test {
    let t = Test::new();
    crate::action::copy_dir(&repo().join("examples/acme"), t.path());
    t.exec(["report", "--format", "json"], 0);
    t.exec(["report", "--format", "json", "--force"], 0);
    t
}

#[test]
fn every_key_each_command_prints_is_in_its_schema() {
    let t = acme_with_history();
    let runs: [(&str, Vec<&str>); 8] = [
        ("check", vec!["check", "--format", "json"]),
        ("status", vec!["status", "--format", "json"]),
        (
            "owners",
            vec!["status", "--by", "owner", "--format", "json"],
        ),
        ("lint", vec!["lint", "--format", "json"]),
        ("list", vec!["list", "--format", "json"]),
        ("history", vec!["history", "--verify", "--format", "json"]),
        ("diff", vec!["diff", "--format", "json"]),
        ("portfolio", vec!["portfolio", ".", "--format", "json"]),
    ];
    for (kind, args) in runs {
        let out = t.exec_any(&args);
        assert!(out.code == 0 || out.code == 1, "{args:?}: {out:?}");
        let value = json_of(&out);
        assert_eq!(
            value["schema"],
            format!("supportcheck.{kind}/1"),
            "{args:?} carries its schema id"
        );
        let strict = jsonschema::validator_for(&closed(schema_of(kind))).unwrap();
        check_file(&strict, Path::new(kind), &value);
        // A key the schema does not name fails: the test that catches a
        // field added to the output without its schema.
        let mut extra = value.clone();
        extra["surprise"] = true.into();
        assert!(
            !errors(&strict, &extra).is_empty(),
            "{kind}: an unknown key passes"
        );
        let mut wrong = value;
        wrong["schema"] = format!("supportcheck.{kind}/9").into();
        assert!(!errors(&strict, &wrong).is_empty(), "{kind}: any id passes");
    }
}
