#![no_main]
//! Fuzz target: see `supportcheck::fuzz::config`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| supportcheck::fuzz::config(data));
