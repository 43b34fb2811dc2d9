//! `lint` through the real binary.
