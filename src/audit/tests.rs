//! Tests of the audit flow through a scripted prompter.
