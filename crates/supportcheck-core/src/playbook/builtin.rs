//! The built-in support-readiness set, embedded from `checklists/` at build time.

include!(concat!(env!("OUT_DIR"), "/builtin_files.rs"));

/// The name of the built-in set on the command line and in config.
pub const NAME: &str = "builtin";

/// Prefix of built-in playbook paths in output.
pub const PATH_PREFIX: &str = "builtin/";
