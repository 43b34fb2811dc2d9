#![no_main]
//! Fuzz target: a whole project through lint, status, check and report;
//! see `supportcheck::fuzz::project`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    supportcheck::fuzz::project(data, dir.path());
});
