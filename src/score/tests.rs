//! Table-driven and property tests of the scoring rules.
