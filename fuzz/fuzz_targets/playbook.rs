#![no_main]
//! Fuzz target: see `supportcheck::fuzz::playbook`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| supportcheck::fuzz::playbook(data));
