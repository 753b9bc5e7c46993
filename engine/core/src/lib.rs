//! tollgate: a policy-as-code engine for IEC 62443 service-provider delivery configurations
//!
//! Rules are written in a small language (see `docs/dsl.md`) whose conditions are sandboxed
//! Rhai expressions. They are evaluated against YAML documents loaded with a byte span on
//! every node, so every finding points at the exact line and column it is about.
//!
//! Data flow: rule files → [`rule::parse_rule_file`] → [`RulePack`] (compiled once) →
//! [`Engine::check`] over inputs → [`Report`] → an emitter in [`report`]. Tool problems
//! ([`Problem`]) and findings ([`report::Finding`]) are separate streams. The library never
//! prints; the `tollgate` binary decides what goes to stdout and stderr.
//!
//! This crate does not expose nom, Rhai or YAML-parser types: the parser, the script engine
//! and the YAML library can be replaced without changing callers.

mod builtin;
pub mod catalog;
mod check;
pub mod contract;
mod diagnostic;
mod eval;
pub mod input;
pub mod model;
mod native;
mod pack;
pub mod reference;
pub mod report;
pub mod rule;
pub mod script;
mod source;
pub mod testing;
pub mod yaml;

pub use builtin::{builtin_rule_files, builtin_rule_tests};
pub use check::{CheckOptions, Engine};
pub use diagnostic::{Label, Problem, ProblemLevel};
pub use pack::{LoadedRule, RulePack};
pub use report::Report;
pub use source::{LineCol, SourceFile, Span};

/// Parses a date written `YYYY-MM-DD`, the only form tollgate accepts anywhere (inputs,
/// `--as-of`, test cases, rule parameters and helpers), so a date means the same everywhere
#[must_use]
pub fn parse_iso_date(text: &str) -> Option<jiff::civil::Date> {
    script::functions::dates::parse_iso_date(text)
}
