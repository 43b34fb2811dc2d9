//! Replays every input kept from fuzzing (`fuzz/regressions/<target>/`) and
//! the fuzz seeds (`fuzz/seeds/<target>/`) through the same checks the fuzz
//! targets run, on the stable toolchain, in every `cargo test`.
//! See `fuzz/run.sh` for running the fuzzers themselves.
// Tests are shell: they read the kept inputs.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for kind in ["regressions", "seeds"] {
        let Ok(dir) = std::fs::read_dir(root.join(kind).join(target)) else {
            continue;
        };
        files.extend(dir.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
    }
    if target == "playbook" {
        // The built-in set and the lint fixtures are the playbook seeds.
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["checklists", "tests/fixtures"] {
            let walk = walkdir::WalkDir::new(repo.join(dir)).into_iter();
            files.extend(
                walk.map(|e| e.unwrap().into_path())
                    .filter(|p| p.extension().is_some_and(|e| e == "md")),
            );
        }
    }
    files.sort();
    files
}

/// Runs `check` on every input of `target`, spread over the cores (the
/// `project` check starts the binary several times an input).
fn replay(target: &str, check: impl Fn(&[u8]) + Sync) -> usize {
    let files = inputs(target);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let per_worker = files.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        for share in files.chunks(per_worker) {
            let check = &check;
            scope.spawn(move || {
                for path in share {
                    let data = std::fs::read(path).unwrap();
                    let result =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&data)));
                    assert!(result.is_ok(), "{} fails its fuzz check", path.display());
                }
            });
        }
    });
    files.len()
}

#[test]
fn playbook_inputs_replay_cleanly() {
    let n = replay("playbook", supportcheck::fuzz::playbook);
    assert!(n >= 30, "only {n} playbook inputs found");
}

#[test]
fn answers_inputs_replay_cleanly() {
    let n = replay("answers", supportcheck::fuzz::answers);
    assert!(n > 0, "no answers inputs found");
}

#[test]
fn config_inputs_replay_cleanly() {
    let n = replay("config", supportcheck::fuzz::config);
    assert!(n > 0, "no config inputs found");
}

/// The `project` check, through the real binary: the fuzz target runs the
/// same commands in-process.
#[test]
fn project_inputs_replay_cleanly_through_the_binary() {
    let n = replay("project", |data| {
        let dir = tempfile::tempdir().unwrap();
        let Some(answers) = supportcheck::fuzz::write_project(data, dir.path()) else {
            return;
        };
        let before = std::fs::read(&answers).ok();
        for args in supportcheck::fuzz::PROJECT_RUNS {
            let out = assert_cmd::Command::cargo_bin("supportcheck")
                .unwrap()
                .args(["--color", "never", "-q", "-C"])
                .arg(dir.path())
                .args(args)
                .output()
                .unwrap();
            let code = out.status.code();
            assert!(
                matches!(code, Some(0..=2)),
                "{args:?} exited {code:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                std::fs::read(&answers).ok(),
                before,
                "{args:?} changed the answers file"
            );
        }
    });
    assert!(n > 0, "no project inputs found");
}
