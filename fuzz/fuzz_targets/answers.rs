#![no_main]
//! Fuzz target: see `supportcheck::fuzz::answers`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| supportcheck::fuzz::answers(data));
